"""An unchanged re-scan into a pipe stays light: the text report is written without rich,
exactly as rich writes it there, and the re-scan imports none of the modules it doesn't need."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reviewer.cli.scan import plain_lines, rich_lines

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("pieces", [
    ["■ 敏感词 (lexicon)"],
    ["    ", "notes/课程笔记.md · 第 3 行", "  [pii-phone] 个人信息：手机号"],
    ["      ", "前文\t", "13812345678", "\t后文 [bold]x[/bold] :smile:"],
    ["a\tb\t\tc", "中文\t字", "x" * 12_000],
    ["bell\x07 back\x08 vt\x0b ff\x0c cr\r end", "\x1b[31m esc"],
    ["two\nlines\tafter a newline\t.", ""],
    [""],
])
def test_plain_lines_write_what_rich_writes_into_a_pipe(pieces):
    lines = [[(piece, "bold") for piece in pieces], [("next", "dim")]]
    assert plain_lines(lines) == rich_lines(lines, terminal=False)


def test_the_text_report_of_a_sample_is_what_rich_wrote(tmp_path):
    from reviewer.cli.scan import _text_lines, render_text
    from reviewer.service.scan import scan
    from reviewer.store import open_db

    outcome = scan(open_db(tmp_path / "s.db"), ROOT / "sample_courses" / "zh-data-structures")
    for lang in ("zh", "en"):
        lines = list(_text_lines(outcome, lang))
        assert render_text(outcome, lang, tty=False) == rich_lines(lines, terminal=False)
    assert "■" in render_text(outcome, "en", tty=True)


CHILD = r"""
import runpy, sys
sys.argv = ["reviewer", "scan", sys.argv[1], "--db", sys.argv[2]]
try:
    runpy.run_module("reviewer", run_name="__main__")
except SystemExit:
    pass
print("LOADED", ",".join(m for m in ("rich", "importlib.metadata", "reviewer.service.review",
                                     "jsonschema", "numpy") if m in sys.modules), file=sys.stderr)
"""


def test_an_unchanged_rescan_into_a_pipe_imports_no_rich_and_no_metadata(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(ROOT / "sample_courses" / "en-intro-ml", course)
    env = dict(os.environ)

    def loaded() -> str:
        out = subprocess.run([sys.executable, "-c", CHILD, str(course), str(tmp_path / "s.db")],
                             capture_output=True, text=True, timeout=300, cwd=ROOT, env=env)
        assert "digest sha256:" in out.stdout, out.stderr
        return out.stderr.rsplit("LOADED", 1)[1].strip()

    loaded()  # the first scan
    assert loaded() == ""
