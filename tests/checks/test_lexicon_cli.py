"""``reviewer lexicon import | test | check`` through click's test runner."""

from __future__ import annotations

import textwrap
from pathlib import Path

import yaml
from click.testing import CliRunner

from reviewer.cli import cli

RULE = textwrap.dedent("""\
    id: demo
    name: Demo
    category: demo
    severity: warning
    message: "hit {term}"
    terms: [代刷网课, {term: 包过, allow: [包过滤]}]
    tests:
      match: [代 刷 网 课]
      no_match: [包过滤]
    """)


def run(*args: str):
    return CliRunner().invoke(cli, ["--lang", "en", *args], obj={}, catch_exceptions=False)


def test_import_utf8_word_list_warns_about_flooding_entries(tmp_path):
    words = tmp_path / "list.txt"
    words.write_text("代刷网课\n\n出\n网络\nab\n123\n代写论文\n代写论文\n代寫論文\n***\n代考枪手\n",
                     encoding="utf-8")
    out = tmp_path / "demo.yaml"
    result = run("lexicon", "import", str(words), "--id", "demo", "--category", "cheating-ads",
                 "--severity", "error", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "4 entries would flood" in result.stderr
    for word, reason in (("出", "single character"), ("网络", "very common word"),
                         ("ab", "ASCII of at most 2"), ("123", "only digits")):
        assert f"{word}\t" in result.stderr and reason in result.stderr
    assert "3 more entries left out" in result.stderr  # two duplicates, one empty
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["terms"] == ["代刷网课", "代写论文", "代考枪手"]
    assert data["id"] == "demo" and data["severity"] == "error" and data["category"] == "cheating-ads"
    assert result.stdout == ""
    # The generated file loads and is checked clean.
    assert run("lexicon", "check", str(out)).exit_code == 0


def test_import_to_an_unusable_place_is_exit_2_not_a_traceback(tmp_path):
    words = tmp_path / "list.txt"
    words.write_text("代刷网课\n", encoding="utf-8")
    result = run("lexicon", "import", str(words), "--id", "d", "--category", "c",
                 "--severity", "info", "--out", str(words / "d.yaml"))  # under a file
    assert result.exit_code == 2 and result.stderr.startswith("reviewer: ")


def test_import_gbk_to_stdout_and_keep_common(tmp_path):
    words = tmp_path / "gbk.txt"
    words.write_bytes("代刷网课\r\n网络\r\n代写论文\r\n".encode("gbk"))
    result = run("lexicon", "import", str(words), "--id", "g", "--category", "c", "--severity", "info",
                 "--keep-common")
    assert result.exit_code == 0
    data = yaml.safe_load(result.stdout)
    assert data["terms"] == ["代刷网课", "网络", "代写论文"]
    assert "kept (--keep-common)" in result.stderr
    assert "(gb18030)" in result.stdout.splitlines()[0]


def test_import_rejects_bad_ids_and_lists_with_nothing_usable(tmp_path):
    words = tmp_path / "w.txt"
    words.write_text("代刷网课\n", encoding="utf-8")
    bad = run("lexicon", "import", str(words), "--id", "Bad Id", "--category", "c", "--severity", "info")
    assert bad.exit_code == 2 and "--id" in bad.stderr
    words.write_text("出\n法\n", encoding="utf-8")
    empty = run("lexicon", "import", str(words), "--id", "e", "--category", "c", "--severity", "info")
    assert empty.exit_code == 1 and "no usable entries" in empty.stderr
    binary = tmp_path / "b.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    garbage = run("lexicon", "import", str(binary), "--id", "b", "--category", "c", "--severity", "info")
    assert garbage.exit_code in (1, 2)


def test_test_runs_embedded_examples(tmp_path):
    path = tmp_path / "demo.yaml"
    path.write_text(RULE, encoding="utf-8")
    ok = run("lexicon", "test", str(path))
    assert ok.exit_code == 0 and "all 2 examples pass" in ok.stdout
    path.write_text(RULE.replace("no_match: [包过滤]", "no_match: [包过滤, 保证包过]"), encoding="utf-8")
    failing = run("lexicon", "test", str(path))
    assert failing.exit_code == 1
    assert "FAIL line 9: no_match '保证包过': matched '包过'" in failing.stdout


def test_test_shows_matches_in_a_string(tmp_path):
    path = tmp_path / "demo.yaml"
    path.write_text(RULE, encoding="utf-8")
    result = run("lexicon", "test", str(path), "请 代 刷 網 課，防火墙包过滤")
    assert result.exit_code == 0
    assert "[代 刷 網 課]" in result.stdout
    assert "2-9\twarning\tdemo\t代刷网课\t'代 刷 網 課'" in result.stdout
    none = run("lexicon", "test", str(path), "平常的句子")
    assert "no match" in none.stdout


def test_test_reports_a_broken_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(RULE.replace("severity: warning", "severity: loud"), encoding="utf-8")
    result = run("lexicon", "test", str(path))
    assert result.exit_code == 1 and "broken.yaml:4" in result.stderr


def test_check_validates_everything_shipped_by_default():
    result = run("lexicon", "check")
    lines = result.stdout.splitlines()
    assert any(line.startswith("ok\t") and "cheating-ads" in line for line in lines)
    terms_files = [line for line in lines if line.endswith("\tterms")]
    assert len(terms_files) >= 9
    assert not [line for line in lines if line.startswith("FAIL") and "kind 'coverage'" not in line]


def test_check_fails_on_a_bad_file_and_duplicate_ids(tmp_path):
    (tmp_path / "a.yaml").write_text(RULE, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(RULE, encoding="utf-8")
    (tmp_path / "c.yaml").write_text(RULE.replace("match: [代 刷 网 课]", "match: [没有]"),
                                     encoding="utf-8")
    result = run("lexicon", "check", str(tmp_path))
    assert result.exit_code == 1
    assert "already used" in result.stdout
    assert "c.yaml:7: embedded tests failed" in result.stdout
    missing = run("lexicon", "check", str(tmp_path / "none"))
    assert missing.exit_code == 1 and "no such file" in missing.stdout


def test_check_reads_a_file_named_twice_once(tmp_path):
    (tmp_path / "a.yaml").write_text(RULE, encoding="utf-8")
    result = run("lexicon", "check", str(tmp_path / "a.yaml"), str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"ok\t{tmp_path / 'a.yaml'}\tdemo\tterms"]


def test_commands_are_documented():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "lexicons.md").read_text(encoding="utf-8")
    for command in ("reviewer lexicon import", "reviewer lexicon test", "reviewer lexicon check",
                    "--keep-common"):
        assert command in doc
