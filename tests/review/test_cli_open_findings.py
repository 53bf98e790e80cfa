"""``reviewer review answer … pass`` over open error findings, and grouped refusals, through click."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from reviewer.cli import cli
from reviewer.service import review as R

from tests.review.review_helpers import finding


@pytest.fixture
def run(db, tmp_path):
    dbfile = str(tmp_path / "state.db")

    def invoke(*args: str, input: str | None = None):
        return CliRunner().invoke(cli, ["--db", dbfile, "review", *args], obj={}, input=input,
                                  catch_exceptions=False)

    return invoke


@pytest.fixture
def ads(course):
    found = [finding("lexicon", "cheating-ads", line=n, match=m)
             for n, m in ((1, "代刷网课"), (2, "网课包过"), (3, "代看视频"))]
    course.version(findings=found)
    return found


def test_a_script_is_refused_and_told_how_to_confirm(run, course, ads, db):
    r = run("answer", course.path, "P3", "pass")
    assert r.exit_code == 1 and r.stdout == ""
    assert "P3" in r.stderr and "--confirm-open-findings" in r.stderr
    assert all(f.id in r.stderr for f in ads) and "代刷网课" in r.stderr
    r = run("--lang", "en", "answer", course.path, "P3", "pass")
    assert "nobody has disposed of" in r.stderr and "--confirm-open-findings" in r.stderr
    assert R.review_status(db, course.path).item("P3").answer is None


def test_the_flag_needs_a_comment(run, course, ads, db):
    r = run("--lang", "en", "answer", course.path, "P3", "pass", "--confirm-open-findings")
    assert r.exit_code == 1 and "needs a comment" in r.stderr
    assert R.review_status(db, course.path).item("P3").answer is None


def test_the_flag_with_a_comment_records_and_audits_the_pass(run, course, ads, db):
    r = run("answer", course.path, "P3", "pass", "--confirm-open-findings", "-m", "反面案例")
    assert r.exit_code == 0, r.stderr
    item = R.review_status(db, course.path).item("P3")
    assert (item.answer, item.comment) == ("pass", "反面案例")
    assert len(R.audit_log(db, course.path)[-1].new["confirmed_open_findings"]) == 3
    r = run("log", course.path, "--format", "json")
    assert '"confirmed_open_findings"' in r.stdout


def test_a_terminal_is_asked_to_confirm_and_comment(run, course, ads, db, monkeypatch):
    monkeypatch.setattr("reviewer.cli.review._interactive", lambda: True)
    r = run("answer", course.path, "P3", "pass", input="y\n\n讲解学术诚信的反面案例\n")
    assert r.exit_code == 0, r.stderr
    assert "仍要把 P3 回答为“通过”吗？" in r.stderr and "代刷网课" in r.stderr
    item = R.review_status(db, course.path).item("P3")
    assert (item.answer, item.comment) == ("pass", "讲解学术诚信的反面案例")
    assert R.audit_log(db, course.path)[-1].new["confirmed_open_findings"]


def test_a_terminal_with_a_comment_given_is_only_asked_to_confirm(run, course, ads, db, monkeypatch):
    monkeypatch.setattr("reviewer.cli.review._interactive", lambda: True)
    r = run("answer", course.path, "P3", "pass", "-m", "已看过", input="y\n")
    assert r.exit_code == 0, r.stderr
    assert R.review_status(db, course.path).item("P3").comment == "已看过"


def test_declining_at_the_terminal_records_nothing(run, course, ads, db, monkeypatch):
    monkeypatch.setattr("reviewer.cli.review._interactive", lambda: True)
    r = run("answer", course.path, "P3", "pass", input="n\n")
    assert r.exit_code == 1 and "回答未记录" in r.stderr
    assert R.review_status(db, course.path).item("P3").answer is None
    assert [e.action for e in R.audit_log(db, course.path)] == ["open"]


def test_decide_recommend_lists_the_blockers_in_their_groups(run, course, ads):
    r = run("--lang", "en", "decide", course.path, "recommend")
    assert r.exit_code == 1
    err = r.stderr
    assert err.index("Items not answered (") < err.index("Error findings open or confirmed (3)")
    assert all(f"finding-undisposed {f.id}" in err for f in ads)


@pytest.fixture
def team_on_ads(db, course, ads):
    """王明 (chair) and 李华 disagree on P3, whose evidence holds three open 刷课 errors."""
    from reviewer.service import team as T

    T.add_member(db, course.path, "王明", chair=True, actor="王明")
    T.add_member(db, course.path, "李华", actor="王明")
    R.answer_item(db, course.path, "P3", "fail", "确有代刷广告", actor="王明")
    R.answer_item(db, course.path, "P3", "pass", "讲解学术诚信的反面案例", actor="李华",
                  confirm_open_findings=True)
    return ads


def test_the_chair_resolving_pass_over_open_errors_is_asked_too(run, course, team_on_ads, db,
                                                                monkeypatch):
    monkeypatch.setenv("REVIEWER_NAME", "王明")
    r = run("resolve", course.path, "P3", "--answer", "pass", "-m", "反面案例")
    assert r.exit_code == 1 and "--confirm-open-findings" in r.stderr  # a script is refused
    assert all(f.id in r.stderr for f in team_on_ads)
    assert R.review_status(db, course.path).item("P3").answer is None

    monkeypatch.setattr("reviewer.cli.review._interactive", lambda: True)
    r = run("resolve", course.path, "P3", "--answer", "pass", input="n\n")
    assert r.exit_code == 1 and "回答未记录" in r.stderr  # declined: nothing recorded
    assert R.review_status(db, course.path).item("P3").answer is None

    r = run("resolve", course.path, "P3", "--answer", "pass", input="y\n反面案例，已核对\n")
    assert r.exit_code == 0, r.stderr
    item = R.review_status(db, course.path).item("P3")
    assert (item.answer, item.comment, item.source) == ("pass", "反面案例，已核对", "chair")
    entry = R.audit_log(db, course.path)[-1]
    assert entry.action == "resolve"
    assert sorted(entry.new["confirmed_open_findings"]) == sorted(f.id for f in team_on_ads)


def test_the_chair_resolving_fail_is_never_asked(run, course, team_on_ads, db, monkeypatch):
    monkeypatch.setenv("REVIEWER_NAME", "王明")
    r = run("resolve", course.path, "P3", "--answer", "fail", "-m", "确有代刷广告")
    assert r.exit_code == 0, r.stderr
    assert "confirmed_open_findings" not in R.audit_log(db, course.path)[-1].new
