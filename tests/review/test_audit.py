"""The audit trail: one row per change, in the change's own transaction, append-only."""

from __future__ import annotations

import sqlite3

import pytest

from tests.review.review_helpers import finding
from reviewer.service import review as R
from reviewer.store import reviews as rstore


def test_every_change_leaves_one_audit_row_with_actor_old_and_new(db, course):
    err = finding("lexicon", "cheating-ads")
    course.version(findings=[err])
    R.answer_item(db, course.path, "P1", "pass")
    R.answer_item(db, course.path, "P1", "fail", "有问题", actor="委员乙")
    R.dispose_finding(db, course.path, err.id, "false-alarm", "反面案例")
    R.add_note(db, course.path, "备注")
    R.decide(db, course.path, "revise", "请修改")
    log = R.audit_log(db, course.path)
    assert [(e.action, e.target) for e in log] == [
        ("open", log[0].target), ("answer", "P1"), ("answer", "P1"), ("dispose", err.id),
        ("note", None), ("decide", None)]
    assert log[1].old is None and log[1].new == {"answer": "pass", "comment": None}
    assert log[2].actor == "委员乙"
    assert log[2].old == {"answer": "pass", "comment": None, "needs_recheck": False}
    assert log[2].new == {"answer": "fail", "comment": "有问题"}
    assert log[3].new == {"disposition": "false-alarm", "reason": "反面案例"}
    assert log[5].new == {"decision": "revise", "comment": "请修改"}
    assert all(e.actor == "审查人甲" for e in log if e.id != log[2].id)
    assert all(e.digest == log[0].digest and e.at for e in log)
    assert [e.at for e in log] == sorted(e.at for e in log)


def test_the_audit_trail_refuses_updates_and_deletes(db, course):
    course.version()
    R.answer_item(db, course.path, "P1", "pass")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE audit SET actor = 'someone else'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM audit")
    assert {e.actor for e in R.audit_log(db, course.path)} == {"审查人甲"}


def test_a_failed_audit_write_rolls_the_change_back(db, course, monkeypatch):
    course.version()
    R.review_status(db, course.path)

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(rstore, "audit", broken)
    with pytest.raises(sqlite3.OperationalError):
        R.answer_item(db, course.path, "P1", "pass")
    monkeypatch.undo()
    assert R.review_status(db, course.path).item("P1").answer is None
    assert not db.conn.in_transaction


def test_actor_is_never_the_os_user(db, course, monkeypatch):
    # Issue 11: the OS user ("root") is not a reviewer; with no name and no profile
    # the answer is refused (tests/review/test_identity.py has the rest).
    course.version()
    monkeypatch.delenv("REVIEWER_NAME")
    monkeypatch.setattr("getpass.getuser", lambda: "os-user")
    with pytest.raises(R.ReviewError) as err:
        R.answer_item(db, course.path, "P1", "pass")
    assert err.value.code == "no-identity"
    assert all(e.actor != "os-user" for e in R.audit_log(db, course.path))
    assert R.review_status(db, course.path).item("P1").answer is None


def test_review_writes_are_synced_to_disk(db, course):
    course.version()
    R.answer_item(db, course.path, "P1", "pass")
    assert db.execute("PRAGMA synchronous").fetchone()[0] >= 2  # FULL
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_removals_and_a_second_decision_record_what_was_there(db, course):
    """The audit helper writes a change from the state objects: what a removal removed,
    what a decision replaced — each kind of change described one way."""
    err = finding("lexicon", "cheating-ads")
    course.version(findings=[err])
    R.answer_item(db, course.path, "P1", "fail", "有问题")
    R.dispose_finding(db, course.path, err.id, "accepted", "讲解诚信")
    R.decide(db, course.path, "revise", "请修改")
    R.decide(db, course.path, "reject", "不推荐")
    assert R.clear_answer(db, course.path, "P1") and R.clear_disposition(db, course.path, err.id)
    log = {(e.action, e.target): e for e in R.audit_log(db, course.path)}
    assert log[("clear-answer", "P1")].old == {"answer": "fail", "comment": "有问题"}
    assert log[("clear-answer", "P1")].new is None
    assert log[("clear-disposition", err.id)].old == {"disposition": "accepted", "reason": "讲解诚信"}
    decisions = [e for e in R.audit_log(db, course.path) if e.action == "decide"]
    assert decisions[0].old is None
    assert decisions[1].old == {"decision": "revise", "comment": "请修改"}
    assert decisions[1].new == {"decision": "reject", "comment": "不推荐"}
