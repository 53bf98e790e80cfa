"""Which paths are course packages — room: service.

``reviewer scan PATH...`` asks this of every path before anything else, so it lives
apart from the batch machinery (a single package's scan never imports that).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def _has_manifest(folder: Path) -> bool:
    from reviewer.ingest.manifest import MANIFEST_NAMES

    return any((folder / name).is_file() for name in MANIFEST_NAMES)


def is_package_folder(path: str | Path) -> bool:
    """Whether a folder is one package rather than a folder of packages.

    A folder with ``course.yaml`` is a package; so is one without it unless
    at least one of its subfolders has ``course.yaml`` or it holds ``.zip``
    files — then each such subfolder and zip is a package.
    """
    folder = Path(path)
    if not folder.is_dir() or _has_manifest(folder):
        return True
    return not _children(folder)


def _children(folder: Path) -> list[Path]:
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError:
        return []
    return [p for p in entries if not p.name.startswith((".", "~$")) and (
        (p.is_dir() and _has_manifest(p)) or (p.is_file() and p.suffix.lower() == ".zip"))]


def expand_paths(paths: Iterable[str | Path]) -> list[str]:
    """The packages named by ``paths``: each path as given, except a folder of
    packages (:func:`is_package_folder`), which stands for its packages.

    A path that does not exist is kept: scanning it reports why it can't be read.
    """
    out: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir() and not is_package_folder(path):
            out.extend(str(p) for p in _children(path))
        else:
            out.append(str(raw))
    return out
