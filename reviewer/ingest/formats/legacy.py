"""Legacy Office files through LibreOffice (room: ingest): .doc .wps .rtf → docx, .ppt .pps .dps → pptx,
.xls .et → xlsx.

University archives still hold Word 97 documents and PowerPoint 97 decks.  No
maintained pure-Python reader gives their text with paragraph and slide
structure, so they are converted by LibreOffice in headless mode — when it is
installed — into the modern format and read by the same readers
(:func:`~reviewer.ingest.formats.office.read_docx`,
:func:`~reviewer.ingest.formats.office.read_pptx`,
:func:`~reviewer.ingest.formats.sheet.read_xlsx`): locators are paragraphs,
slides and sheet rows as for .docx/.pptx/.xlsx, and pictures are read by OCR the same way.

Each conversion runs in a private temporary folder with its own LibreOffice
profile (a reviewer's open LibreOffice window is not disturbed, two scans don't
share a lock), offline, with a time limit.  When LibreOffice is missing, or
can't open the file, the file is an error that says so and how to install it;
the scan goes on.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from reviewer.ingest.formats.base import Extracted, ExtractError
from reviewer.ingest.formats.detect import extension

#: Legacy extension → the modern format it is converted to (and read as).
TARGET = {".doc": "docx", ".wps": "docx", ".rtf": "docx", ".ppt": "pptx", ".pps": "pptx", ".dps": "pptx",
          ".xls": "xlsx", ".et": "xlsx"}
#: Longest one conversion may take.
TIMEOUT_S = 120
INSTALL_EN = ("install LibreOffice to read it (Debian/Ubuntu: apt install libreoffice-writer-nogui "
              "libreoffice-impress-nogui libreoffice-calc-nogui; Windows: winget install TheDocumentFoundation.LibreOffice; "
              "macOS: brew install --cask libreoffice), or save it as .docx/.pptx/.xlsx")
INSTALL_ZH = ("请安装 LibreOffice 后重新扫描（Debian/Ubuntu：apt install libreoffice-writer-nogui "
              "libreoffice-impress-nogui libreoffice-calc-nogui；Windows：winget install TheDocumentFoundation.LibreOffice；"
              "macOS：brew install --cask libreoffice），或另存为 .docx/.pptx/.xlsx")


def soffice() -> str | None:
    """The LibreOffice executable, when installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in ("/usr/lib/libreoffice/program/soffice",
                      "/Applications/LibreOffice.app/Contents/MacOS/soffice",
                      r"C:\Program Files\LibreOffice\program\soffice.exe"):
        if os.path.isfile(candidate):
            return candidate
    return None


def convert(data: bytes, path: str, target: str, exe: str, timeout: float = TIMEOUT_S) -> bytes:
    """``data`` (a legacy file named ``path``) converted to ``target`` by LibreOffice; :class:`ExtractError`."""
    ext = extension(path)
    with tempfile.TemporaryDirectory(prefix="reviewer-lo-") as tmp:
        folder = Path(tmp)
        source = folder / f"in{ext}"
        source.write_bytes(data)
        out = folder / "out"
        cmd = [exe, "--headless", "--norestore", "--nolockcheck", "--nodefault",
               f"-env:UserInstallation={(folder / 'profile').as_uri()}",
               "--convert-to", target, "--outdir", str(out), str(source)]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False,
                                  env=dict(os.environ, HOME=str(folder)), stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise ExtractError(f"LibreOffice took longer than {timeout:.0f} s to convert it; not read",
                               rule="legacy-convert-failed",
                               zh=f"LibreOffice 转换超过 {timeout:.0f} 秒，未读取") from None
        except OSError as exc:
            raise ExtractError(f"LibreOffice could not be started: {exc}", rule="legacy-convert-failed",
                               zh=f"无法启动 LibreOffice：{exc}") from None
        result = out / f"in.{target}"
        if not result.is_file() or result.stat().st_size == 0:
            said = (proc.stderr or proc.stdout or b"").decode("utf-8", "replace").strip().splitlines()
            detail = f" ({said[-1][:160]})" if said else ""
            raise ExtractError(f"LibreOffice could not open it as a {ext} file{detail}; not read",
                               rule="legacy-convert-failed",
                               zh=f"LibreOffice 无法打开此 {ext} 文件{detail}，未读取")
        return result.read_bytes()


def read_legacy(data: bytes, path: str, ocr: Any = None) -> Extracted:
    """Convert and read a legacy Office file; ``meta["converted"]`` says by what, to what."""
    from reviewer.ingest.formats.office import read_docx, read_pptx

    ext = extension(path)
    target = TARGET.get(ext)
    if target is None:  # pragma: no cover - detect only sends the listed extensions
        raise ExtractError(f"unsupported legacy format ({ext})", rule="unsupported-format",
                           zh=f"不支持的旧格式（{ext}）")
    exe = soffice()
    if exe is None:
        raise ExtractError(f"legacy {ext} file: {INSTALL_EN}", rule="legacy-needs-libreoffice",
                           zh=f"旧版 {ext} 文件：{INSTALL_ZH}")
    modern = convert(data, path, target, exe)
    try:
        if target == "xlsx":
            from reviewer.ingest.formats.sheet import read_xlsx

            out = read_xlsx(modern, path)
        else:
            out = (read_docx if target == "docx" else read_pptx)(modern, path, ocr=ocr)
    except ExtractError as exc:
        raise ExtractError(f"converted by LibreOffice, but {exc.reason}", rule=exc.rule,
                           zh=f"已由 LibreOffice 转换，但{exc.zh}") from None
    out.meta["converted"] = {"from": ext, "to": target, "by": "libreoffice"}
    return out
