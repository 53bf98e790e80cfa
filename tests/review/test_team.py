"""The review team (issue 11): members answer independently, the chair resolves and decides."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from reviewer.cli import cli
from reviewer.service import review as R
from reviewer.service import team as T
from reviewer.store import open_db
from reviewer.store import reviews as rstore

WANG, LI, ZHAO = "王明", "李华", "赵敏"


def _all_pass(db, path, who, skip=()):
    for item in R.load_checklists().items():
        if item.id not in skip:
            R.answer_item(db, path, item.id, "pass", actor=who)


@pytest.fixture
def team(db, course):
    course.version()
    T.add_member(db, course.path, WANG, chair=True, institution="江东理工大学", actor=WANG)
    T.add_member(db, course.path, LI, actor=WANG)
    return course


def test_members_answer_independently_and_agreement_consolidates(db, team):
    R.answer_item(db, team.path, "P1", "pass", actor=WANG)
    status = R.review_status(db, team.path)
    p1 = status.item("P1")
    assert p1.answer is None and p1.agreement == "pending"  # 李华 has not answered
    assert [(m.member, m.answer) for m in p1.members] == [(WANG, "pass"), (LI, None)]
    R.answer_item(db, team.path, "P1", "pass", "看过", actor=LI)
    p1 = R.review_status(db, team.path).item("P1")
    assert (p1.answer, p1.agreement, p1.source) == ("pass", "agreed", "agreement")
    assert p1.comment == "李华：看过"
    assert p1.actor == f"{WANG}、{LI}"


def test_two_disagreements_the_chair_resolves_and_decides(db, team):
    _all_pass(db, team.path, WANG, skip=("A2",))
    R.answer_item(db, team.path, "A2", "fail", "第3讲引用已废止的《合同法》", actor=WANG)
    _all_pass(db, team.path, LI, skip=("A2", "Q11"))
    R.answer_item(db, team.path, "A2", "pass", "作为法制史讲授，可以接受", actor=LI)
    R.answer_item(db, team.path, "Q11", "na", "平台不提供辅导", actor=LI)

    rows = T.disagreements(db, team.path)
    assert [r.item for r in rows] == ["A2", "Q11"]
    a2 = rows[0]
    assert [(a.member, a.answer, a.comment) for a in a2.answers] == [
        (WANG, "fail", "第3讲引用已废止的《合同法》"), (LI, "pass", "作为法制史讲授，可以接受")]
    status = R.review_status(db, team.path)
    assert status.item("A2").answer is None and status.item("A2").agreement == "disputed"
    assert {("item-unanswered", "A2"), ("item-unanswered", "Q11")} <= {
        (b.kind, b.id) for b in status.blockers}
    with pytest.raises(R.ReviewError) as err:
        R.decide(db, team.path, "recommend", actor=WANG)
    assert err.value.code == "blockers"

    # only the chair resolves; the usual comment rule holds
    with pytest.raises(R.ReviewError) as err:
        T.resolve(db, team.path, "A2", "pass", "可以", actor=LI)
    assert err.value.code == "not-chair" and WANG in err.value.msg("zh")
    with pytest.raises(R.ReviewError) as err:
        T.resolve(db, team.path, "Q11", "na", actor=WANG)
    assert err.value.code == "comment-required"
    T.resolve(db, team.path, "A2", "pass", "作法制史讲授，已核对", actor=WANG)
    T.resolve(db, team.path, "Q11", "pass", "平台有助教答疑", actor=WANG)
    status = R.review_status(db, team.path)
    assert (status.item("A2").answer, status.item("A2").agreement) == ("pass", "resolved")
    assert status.can_recommend
    assert [r.item for r in T.disagreements(db, team.path) if r.resolved] == ["A2", "Q11"]
    # a member changing their mind later does not undo the chair's resolution
    R.answer_item(db, team.path, "A2", "fail", "还是不妥", actor=LI)
    assert R.review_status(db, team.path).item("A2").answer == "pass"

    with pytest.raises(R.ReviewError) as err:
        R.decide(db, team.path, "recommend", actor=LI)
    assert err.value.code == "not-chair"
    d = R.decide(db, team.path, "recommend", actor=WANG)
    assert d.actor == WANG
    actions = [(e.action, e.actor) for e in R.audit_log(db, team.path)]
    assert ("resolve", WANG) in actions and ("decide", WANG) in actions
    assert ("consolidate", LI) in actions


def test_a_later_disagreement_withdraws_an_agreed_answer(db, team):
    R.answer_item(db, team.path, "P1", "pass", actor=WANG)
    R.answer_item(db, team.path, "P1", "pass", actor=LI)
    assert R.review_status(db, team.path).item("P1").answer == "pass"
    R.answer_item(db, team.path, "P1", "fail", "第2讲有问题", actor=LI)
    p1 = R.review_status(db, team.path).item("P1")
    assert p1.answer is None and p1.agreement == "disputed"
    R.clear_answer(db, team.path, "P1", actor=LI)
    assert R.review_status(db, team.path).item("P1").agreement == "pending"


def test_refusals_unknown_member_outsider_duplicates_second_chair(db, team):
    with pytest.raises(R.ReviewError) as err:
        R.answer_item(db, team.path, "P1", "pass", actor=ZHAO)
    assert err.value.code == "not-a-member" and not err.value.usage
    with pytest.raises(R.ReviewError) as err:
        T.remove_member(db, team.path, "无名氏", actor=WANG)
    assert err.value.code == "unknown-member" and err.value.usage
    with pytest.raises(R.ReviewError) as err:
        T.add_member(db, team.path, LI, actor=WANG)
    assert err.value.code == "member-exists"
    with pytest.raises(R.ReviewError) as err:
        T.add_member(db, team.path, ZHAO, chair=True, actor=WANG)
    assert err.value.code == "one-chair"
    with pytest.raises(R.ReviewError) as err:
        T.add_member(db, team.path, ZHAO, actor=LI)  # only the chair changes the team
    assert err.value.code == "not-chair"
    with pytest.raises(R.ReviewError) as err:
        T.add_member(db, team.path, "  ", actor=WANG)
    assert err.value.code == "empty-name"
    assert [m.name for m in T.team(db, team.path)] == [WANG, LI]


def test_resolve_needs_a_team_and_a_team_without_chair_cannot_decide(db, course):
    course.version()
    with pytest.raises(R.ReviewError) as err:
        T.resolve(db, course.path, "P1", "pass")
    assert err.value.code == "no-team"
    T.add_member(db, course.path, LI)
    with pytest.raises(R.ReviewError) as err:
        R.decide(db, course.path, "revise", "先改", actor=LI)
    assert err.value.code == "no-chair"


def test_single_reviewer_answers_become_the_members_own(db, course):
    course.version()
    R.answer_item(db, course.path, "P1", "pass", actor=WANG)  # before any team
    T.add_member(db, course.path, WANG, chair=True, actor=WANG)
    T.add_member(db, course.path, LI, actor=WANG)
    p1 = R.review_status(db, course.path).item("P1")
    assert p1.answer == "pass" and [(m.member, m.answer) for m in p1.members] == [
        (WANG, "pass"), (LI, None)]


def test_carry_over_keeps_each_members_answers(db, team):
    R.answer_item(db, team.path, "P1", "pass", actor=WANG)
    R.answer_item(db, team.path, "P1", "pass", actor=LI)
    R.answer_item(db, team.path, "A2", "fail", "过时", actor=WANG)
    R.answer_item(db, team.path, "A2", "pass", actor=LI)
    first = R.review_status(db, team.path).review_id
    team.version(files={**__import__("tests.review.review_helpers",
                                     fromlist=["FILES"]).FILES,
                        "extra.md": ("other", "新增的文件")})
    status = R.review_status(db, team.path)
    assert status.review_id != first and status.carried_from == first
    assert [m.name for m in status.team] == [WANG, LI]
    assert status.item("P1").answer == "pass"
    assert [(m.member, m.answer, m.comment) for m in status.item("A2").members] == [
        (WANG, "fail", "过时"), (LI, "pass", None)]
    assert status.item("A2").agreement == "disputed"


def test_old_database_opens_as_a_team_of_one(tmp_path, course, db):
    """A database from before teams: migration 0102 adds the tables; the single reviewer's
    answers stay the consolidated ones and the flow is unchanged."""
    course.version()
    R.answer_item(db, course.path, "P1", "pass", actor=WANG)
    db.execute("DROP TABLE member_answers")
    db.execute("DROP TABLE review_members")
    db.execute("ALTER TABLE answers DROP COLUMN source")
    db.execute("DELETE FROM _migrations WHERE name = '0102-review-team'")
    db.conn.close()
    again = open_db(tmp_path / "state.db")
    status = R.review_status(again, course.path)
    assert status.team == [] and status.item("P1").answer == "pass"
    assert status.item("P1").agreement is None and status.item("P1").source is None
    R.answer_item(again, course.path, "P2", "pass", actor=LI)  # anyone, as before
    assert rstore.members(again, status.review_id) == []
    again.conn.close()


@pytest.fixture
def run(tmp_path):
    dbfile = str(tmp_path / "state.db")

    def invoke(*args: str, actor: str | None = None, lang: str | None = None):
        base = ["--db", dbfile] + (["--lang", lang] if lang else [])
        who = ["--actor", actor] if actor else []
        return CliRunner().invoke(cli, base + ["review", *who, *args], obj={},
                                  catch_exceptions=False)

    return invoke


def test_cli_team_flow(run, course):
    course.version()
    assert run("team", "add", course.path, "--name", WANG, "--chair", actor=WANG).exit_code == 0
    r = run("team", "add", course.path, "--name", LI, actor=WANG)
    assert r.exit_code == 0 and LI in r.stdout
    assert run("answer", course.path, "P1", "pass", actor=ZHAO).exit_code == 1
    assert run("answer", course.path, "A2", "fail", "-m", "过时", actor=WANG).exit_code == 0
    assert run("answer", course.path, "A2", "pass", actor=LI).exit_code == 0
    zh = run("disagreements", course.path)
    assert zh.exit_code == 0 and "A2" in zh.stdout and "过时" in zh.stdout
    assert "有分歧的检查项 1 个" in zh.stdout
    en = run("status", course.path, lang="en")
    assert "Review team" in en.stdout and "disputed" in en.stdout
    data = json.loads(run("disagreements", course.path, "--format", "json").stdout)
    assert data[0]["item"] == "A2" and data[0]["resolved"] is None
    r = run("resolve", course.path, "A2", "--answer", "fail", actor=LI)
    assert r.exit_code == 1 and "王明" in r.stderr
    r = run("resolve", course.path, "A2", "--answer", "fail", "-m", "确有过时内容", actor=WANG)
    assert r.exit_code == 0, r.output
    status = json.loads(run("status", course.path, "--format", "json").stdout)
    a2 = next(i for i in status["items"] if i["id"] == "A2")
    assert (a2["answer"], a2["agreement"], a2["source"]) == ("fail", "resolved", "chair")
    assert [m["name"] for m in status["team"]] == [WANG, LI]
    assert run("team", "remove", course.path, "无名氏", actor=WANG).exit_code == 2
    listed = json.loads(run("team", "list", course.path, "--format", "json").stdout)
    assert [(m["name"], m["role"]) for m in listed] == [(WANG, "chair"), (LI, "reviewer")]


def test_changed_evidence_marks_every_members_answer_for_recheck(db, team):
    from tests.review.review_helpers import MANIFEST

    for who in (WANG, LI):
        R.answer_item(db, team.path, "Q1", "pass", actor=who)
    assert R.review_status(db, team.path).item("Q1").agreement == "agreed"
    team.version(manifest={**MANIFEST, "responsible_teacher": "王五"})  # Q1's evidence changes
    q1 = R.review_status(db, team.path).item("Q1")
    assert q1.needs_recheck and q1.agreement == "pending"
    assert [(m.member, m.needs_recheck) for m in q1.members] == [(WANG, True), (LI, True)]
    assert "Q1" in {b.id for b in R.review_status(db, team.path).blockers}
    R.answer_item(db, team.path, "Q1", "pass", actor=WANG)
    assert R.review_status(db, team.path).item("Q1").needs_recheck  # 李华 has not rechecked
    R.answer_item(db, team.path, "Q1", "pass", actor=LI)
    q1 = R.review_status(db, team.path).item("Q1")
    assert (q1.answer, q1.needs_recheck, q1.agreement) == ("pass", False, "agreed")
