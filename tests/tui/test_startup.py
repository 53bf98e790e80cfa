"""The first screen comes up without spaCy, jieba or the PDF/Office readers (they load lazily)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import sys
from reviewer.tui.app import create_app
app = create_app(sys.argv[1], "zh")
seen = {}

async def first_frame(pilot):
    await pilot.pause()
    seen["screen"] = type(app.screen).__name__
    seen["heavy"] = sorted(m for m in ("spacy", "jieba", "pdfplumber", "pypdfium2", "pptx",
                                       "docx", "ahocorasick_rs", "rapidfuzz") if m in sys.modules)
    app.exit()

app.run(headless=True, size=(80, 24), auto_pilot=first_frame)
print(seen["screen"], ",".join(seen["heavy"]) or "-")
"""


def test_library_is_up_without_heavy_imports(tmp_path):
    out = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "s.db")], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    screen, heavy = out.stdout.split()
    assert screen == "LibraryScreen"
    assert heavy == "-"
