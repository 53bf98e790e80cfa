"""Eight small packages for the batch tests: copies of the sample courses, each
with a variation of its own (a note naming its own contact number, some zipped)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ["zh-data-structures", "en-intro-ml", "bi-computer-networks"]


def make_packages(root: Path, count: int = 8, *, zipped: tuple[int, ...] = (3,)) -> list[Path]:
    """``count`` packages under ``root`` (``zipped``: these indexes as .zip files)."""
    root.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(count):
        name = f"p{i:02d}-{SAMPLES[i % len(SAMPLES)]}"
        folder = root / name if i not in zipped else root / ".build" / name
        shutil.copytree(ROOT / "sample_courses" / SAMPLES[i % len(SAMPLES)], folder)
        # a variation of its own: a note with this package's own phone number
        (folder / "notes" / f"extra-{i}.md").write_text(
            f"# 答疑\n\n第 {i} 组助教不在时，请拨打 1390013{i:04d} 联系。\n", encoding="utf-8")
        if i in zipped:
            target = root / f"{name}.zip"
            with zipfile.ZipFile(target, "w") as zf:
                for path in sorted(folder.rglob("*")):
                    if path.is_file():
                        zf.write(path, path.relative_to(folder).as_posix())
            out.append(target)
        else:
            out.append(folder)
    shutil.rmtree(root / ".build", ignore_errors=True)
    return out


def finding_keys(findings) -> list[tuple]:
    """What must agree between two scans of one package: everything but the scan."""
    return sorted((f.id, f.check, f.rule, f.severity, f.file, str(f.location), f.match,
                   f.context) for f in findings)
