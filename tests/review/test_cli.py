"""``reviewer review …`` through click: outputs, JSON shape, exit codes, languages."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from tests.review.review_helpers import finding
from reviewer.cli import cli


@pytest.fixture
def run(db, tmp_path):
    dbfile = str(tmp_path / "state.db")

    def invoke(*args: str, lang: str | None = None):
        base = ["--db", dbfile] + (["--lang", lang] if lang else [])
        result = CliRunner().invoke(cli, base + ["review", *args], obj={}, catch_exceptions=False)
        return result

    return invoke


def test_status_json_has_the_contract_keys(run, course):
    err = finding("lexicon", "cheating-ads")
    course.version(findings=[err])
    assert run("answer", course.path, "P1", "pass").exit_code == 0
    result = run("status", course.path, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"items", "findings", "decision", "blockers"}
    p1 = next(i for i in data["items"] if i["id"] == "P1")
    assert {k: p1[k] for k in ("id", "checklist", "blocking", "answer", "comment")} == {
        "id": "P1", "checklist": "political", "blocking": True, "answer": "pass", "comment": None}
    assert all({"id", "checklist", "blocking", "answer", "comment"} <= set(i) for i in data["items"])
    assert len(data["findings"]) == 1
    f = data["findings"][0]
    assert (f["id"], f["severity"], f["disposition"]) == (err.id, "error", None)
    assert data["decision"] is None
    assert all(set(b) == {"kind", "id", "message"} and set(b["message"]) == {"zh", "en"}
               for b in data["blockers"])
    assert ("finding-undisposed", err.id) in [(b["kind"], b["id"]) for b in data["blockers"]]


def test_status_text_is_chinese_by_default_and_english_on_request(run, course, monkeypatch):
    course.version(findings=[finding("lexicon", "cheating-ads")])
    zh = run("status", course.path)
    assert zh.exit_code == 0
    assert "政治关" in zh.stdout and "阻止推荐的事项" in zh.stdout
    # the blockers come in groups: items to answer first, then open findings
    assert zh.stdout.index("未回答的检查项") < zh.stdout.index("未处置或已确认的错误级发现")
    en = run("--lang", "en", "status", course.path)
    assert "Political review" in en.stdout and "Blocking a recommendation" in en.stdout
    assert "Items not answered (" in en.stdout and "Error findings open or confirmed (1)" in en.stdout
    assert "政治关" not in en.stdout
    assert "Political review" in run("status", course.path, lang="en").stdout
    monkeypatch.setenv("REVIEWER_LANG", "en")
    assert "Political review" in run("status", course.path).stdout


def test_unscanned_package_exits_2_and_says_what_to_do(run, tmp_path):
    result = run("status", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "reviewer scan" in result.stderr and result.stdout == ""


def test_exit_codes_for_refusals_and_bad_arguments(run, course):
    err = finding("lexicon", "cheating-ads")
    course.version(findings=[err])
    r = run("answer", course.path, "P1", "fail")
    assert r.exit_code == 1 and "说明" in r.stderr
    r = run("--lang", "en", "answer", course.path, "P1", "na")
    assert r.exit_code == 1 and "needs a comment" in r.stderr
    assert run("answer", course.path, "NOPE", "pass").exit_code == 2
    assert run("answer", course.path, "P1", "perhaps").exit_code == 2
    assert run("dispose", course.path, err.id, "false-alarm").exit_code == 1
    assert run("dispose", course.path, "0000000000000000", "confirmed").exit_code == 2
    r = run("decide", course.path, "recommend")
    assert r.exit_code == 1 and "item-unanswered" in r.stderr and err.id in r.stderr
    assert run("decide", course.path, "reject").exit_code == 1
    r = run("decide", course.path, "reject", "--comment", "广告未删除")
    assert r.exit_code == 0 and "不推荐" in r.stdout
    status = json.loads(run("status", course.path, "--format", "json").stdout)
    assert status["decision"] == "reject"


def test_full_review_from_the_command_line(run, course, db):
    err = finding("pii", "personal-data", match="13800138000")
    course.version(findings=[err])
    from reviewer.service.review import load_checklists

    # the evidence first: a pass over open errors (Q5's) would need confirming
    assert run("dispose", course.path, err.id[:8], "accepted", "--reason", "虚构号码").exit_code == 0
    for item in load_checklists().items():
        args = ["answer", course.path, item.id, "pass"]
        assert run(*args).exit_code == 0
    r = run("decide", course.path, "recommend")
    assert r.exit_code == 0, r.stderr
    data = json.loads(run("status", course.path, "--format", "json").stdout)
    assert data["decision"] == "recommend" and data["blockers"] == []
    assert data["findings"][0]["disposition"] == "accepted"
    log = json.loads(run("log", course.path, "--format", "json").stdout)
    assert [e["action"] for e in log].count("answer") == len(data["items"])
    assert log[-1]["action"] == "decide" and log[-1]["actor"] == "审查人甲"
    assert "decide" in run("log", course.path).stdout


def test_export_import_round_trip_via_files(run, course, tmp_path, db):
    err = finding("lexicon", "cheating-ads")
    course.version(findings=[err])
    run("answer", course.path, "P1", "na", "--comment", "不涉及")
    run("dispose", course.path, err.id, "false-alarm", "--reason", "反面案例")
    out = tmp_path / "answers.yaml"
    r = run("export", course.path, str(out))
    assert r.exit_code == 0 and out.exists()
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["answers"]["P1"] == {"answer": "na", "comment": "不涉及"}
    assert data["dispositions"][err.id]["reason"] == "反面案例"

    other = tmp_path / "other"
    from tests.review.review_helpers import Course
    from reviewer.store import open_db

    db2 = open_db(tmp_path / "second.db")
    Course(db2, tmp_path / "course").version(findings=[err])
    r = CliRunner().invoke(cli, ["--db", str(tmp_path / "second.db"), "review", "import",
                                 course.path, str(out)], obj={})
    assert r.exit_code == 0, r.output
    data2 = json.loads(CliRunner().invoke(cli, ["--db", str(tmp_path / "second.db"), "review",
                                                "status", course.path, "--format", "json"],
                                          obj={}).stdout)
    p1 = next(i for i in data2["items"] if i["id"] == "P1")
    assert (p1["answer"], p1["comment"]) == ("na", "不涉及")
    assert data2["findings"][0]["disposition"] == "false-alarm"
    assert not other.exists()


def test_import_reports_bad_entries_and_bad_files(run, course, tmp_path):
    course.version()
    bad = tmp_path / "bad.yaml"
    bad.write_text("answers:\n  P1: pass\n  P2: {answer: fail}\n  ZZ: pass\n", encoding="utf-8")
    r = run("import", course.path, str(bad))
    assert r.exit_code == 1
    assert "P2" in r.stderr and "ZZ" in r.stderr
    data = json.loads(run("status", course.path, "--format", "json").stdout)
    assert next(i for i in data["items"] if i["id"] == "P1")["answer"] == "pass"
    broken = tmp_path / "broken.yaml"
    broken.write_text("answers:\n  P1: [pass\n", encoding="utf-8")
    r = run("import", course.path, str(broken))
    assert r.exit_code == 2 and "broken.yaml" in r.stderr and "第 3 行" in r.stderr  # said in zh
    r = run("--lang", "en", "import", course.path, str(broken))
    assert r.exit_code == 2 and "broken.yaml:" in r.stderr
    assert run("import", course.path, str(tmp_path / "missing.yaml")).exit_code == 2
    listy = tmp_path / "list.yaml"
    listy.write_text("- just a list\n", encoding="utf-8")
    assert run("import", course.path, str(listy)).exit_code == 2
    deep = tmp_path / "deep.yaml"
    deep.write_text("answers: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    r = run("import", course.path, str(deep))
    assert r.exit_code == 2 and "deep.yaml" in r.stderr


def test_malformed_checklists_exit_2_with_file_and_line(run, course, tmp_path, monkeypatch):
    course.version()
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "x.yaml").write_text("id: x\nname: {zh: 甲, en: A}\nitems: 3\n", encoding="utf-8")
    monkeypatch.setenv("REVIEWER_CHECKLISTS", str(lists))
    r = run("status", course.path)
    assert r.exit_code == 2 and "x.yaml:3" in r.stderr


def test_every_review_command_has_help(run):
    from reviewer.cli.review import review

    for name in review.commands:
        r = run(name, "--help")
        assert r.exit_code == 0 and len(r.stdout.strip().splitlines()) > 3, name


def test_checklists_command_validates_and_lists(run, tmp_path):
    r = run("checklists")
    assert r.exit_code == 0 and "24" in r.stdout and "Q11" in r.stdout
    data = json.loads(run("checklists", "--format", "json").stdout)
    assert [c["id"] for c in data["checklists"]] == ["political", "academic", "quality"]
    (tmp_path / "bad.yaml").write_text("id: b\nname: {zh: 乙, en: B}\nitems:\n  - id: 1\n",
                                       encoding="utf-8")
    r = run("checklists", str(tmp_path))
    assert r.exit_code == 2 and "bad.yaml:4" in r.stderr


def test_status_json_validates_against_its_published_schema(run, course, db):
    from jsonschema import Draft202012Validator

    from reviewer.paths import schemas_dir

    schema = json.loads((schemas_dir() / "review-status.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    a = finding("lexicon", "cheating-ads")
    course.version(findings=[a, finding("pii", "personal-data", "warning", line=2)])
    first = json.loads(run("status", course.path, "--format", "json").stdout)
    assert list(validator.iter_errors(first)) == []
    run("answer", course.path, "P1", "fail", "-m", "问题")
    run("answer", course.path, "P4", "pass")
    run("dispose", course.path, a.id, "confirmed")
    run("decide", course.path, "revise", "-m", "请修改")
    from tests.review.review_helpers import FILES

    course.version(files=dict(FILES, **{"slides.pdf": ("slides", "v2")}), findings=[a])
    later = json.loads(run("status", course.path, "--format", "json").stdout)
    assert list(validator.iter_errors(later)) == []
    assert later["carried_from"] == first["review_id"]
    assert any(i["changes"] for i in later["items"])
    broken = dict(later, decision="approve")
    assert list(validator.iter_errors(broken))
