"""``reviewer scan PATH...`` with several packages, from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.service.batch_helpers import make_packages

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reviewer", *args, "--db", str(db)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)


@pytest.fixture(scope="module")
def term(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cli") / "term"
    make_packages(root, 3)
    (root / "broken.zip").write_bytes(b"not a zip")
    return root


def test_a_folder_of_packages_gives_json_lines_and_the_worst_exit(term, tmp_path):
    proc = run_cli("--lang", "en", "scan", str(term), "--jsonl", "-", "--jobs", "2",
                   db=tmp_path / "s.db")
    assert proc.returncode == 2, proc.stderr  # the broken zip
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert sorted(d["path"] for d in lines) == sorted(str(p) for p in sorted(term.iterdir()))
    by_name = {Path(d["path"]).name: d for d in lines}
    assert by_name["broken.zip"]["status"] == "error" and by_name["broken.zip"]["exit"] == 2
    ok = by_name["p00-zh-data-structures"]
    assert ok["status"] == "ok" and ok["exit"] == 1 and ok["errors"] > 0
    assert len(ok["report"]["findings"]) == ok["errors"] + ok["warnings"] + ok["infos"]
    # the summary table is on stderr, with the failure said in one line
    assert "p01-en-intro-ml" in proc.stderr and "broken.zip: corrupt zip" in proc.stderr
    assert "4 packages" in proc.stderr


def test_several_paths_give_a_summary_table_on_stdout(term, tmp_path):
    out = tmp_path / "out.jsonl"
    proc = run_cli("scan", str(term / "p00-zh-data-structures"), str(term / "p01-en-intro-ml"),
                   "--jsonl", str(out), db=tmp_path / "s.db")
    assert proc.returncode == 1, proc.stderr
    assert "数据结构" in proc.stdout and "机器学习导论" in proc.stdout
    assert "2 个课程包" in proc.stdout
    assert [json.loads(line)["index"] for line in out.read_text().splitlines()] != []


def test_several_packages_refuse_a_single_report_format(term, tmp_path):
    proc = run_cli("scan", str(term), "--format", "json", db=tmp_path / "s.db")
    assert proc.returncode == 2 and "--jsonl" in proc.stderr and proc.stdout == ""


def test_one_package_is_scanned_as_before(term, tmp_path):
    proc = run_cli("scan", str(term / "p00-zh-data-structures"), "--format", "json",
                   db=tmp_path / "s.db")
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    assert doc["package"]["title"] == "数据结构" and "status" not in doc


def test_in_chinese_a_failed_package_and_an_empty_folder_are_said_in_chinese(term, tmp_path):
    from tests.english import english_lines

    proc = run_cli("scan", str(term), "--jsonl", str(tmp_path / "o.jsonl"), "--jobs", "1",
                   db=tmp_path / "s.db")
    line = next(ln for ln in proc.stderr.splitlines() if "broken.zip:" in ln)
    assert "不是完好的 zip 压缩包" in line and not english_lines(line)
    record = next(json.loads(x) for x in (tmp_path / "o.jsonl").read_text().splitlines()
                  if x and "broken.zip" in x)
    assert "corrupt zip" in record["message"] and "said" not in record  # programs: English
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "a.txt").write_text("x")
    proc = run_cli("scan", str(empty), str(tmp_path / "missing"), db=tmp_path / "s.db")
    assert proc.returncode == 2 and not english_lines(proc.stderr), proc.stderr
