"""The workspace and review session the shells hold (issue 12): one connection per
thread, the checklists loaded once, the acting reviewer on every action."""

from __future__ import annotations

import threading

import pytest

from reviewer.review.errors import ReviewError
from reviewer.service import review as R
from reviewer.service.session import Workspace

from tests.review.review_helpers import finding


@pytest.fixture
def ads(course):
    found = [finding("lexicon", "cheating-ads", line=n, match=m)
             for n, m in ((1, "代刷网课"), (2, "网课包过"))]
    course.version(findings=found)
    return found


def test_a_session_acts_as_its_reviewer_and_commits_each_action(tmp_path, course, ads):
    with Workspace(tmp_path / "state.db", actor="王明") as ws:
        review = ws.review(course.path)
        with pytest.raises(ReviewError) as err:  # the rules hold as for the functions
            review.answer("P3", "pass")
        assert err.value.code == "open-findings"
        group = review.dispose(ads[0].id, "false-alarm", "反面案例", group=True)
        assert group.disposition == "false-alarm"
        assert review.dispose(ads[1].id, "accepted", "讲解诚信").disposition == "accepted"
        review.answer("P3", "pass", "两处均为反面案例")
        note = review.note("第 3 讲需要复看", "A1")
        status = review.status()
        assert status.item("P3").answer == "pass" and note > 0
        assert {e.actor for e in review.audit() if e.action != "open"} == {"王明"}
        exported = review.export()
        assert exported["answers"]["P3"]["answer"] == "pass"
        assert review.clear_answer("P3") and review.status().item("P3").answer is None
        assert review.import_(exported).ok
        assert review.status().item("P3").answer == "pass"


def test_checklists_are_loaded_once_per_workspace(tmp_path, course, ads, monkeypatch):
    calls = []
    original = R.load_checklists

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(R, "load_checklists", counting)
    with Workspace(tmp_path / "state.db") as ws:
        review = ws.review(course.path)
        review.status()
        review.answer("P1", "pass")
        review.decide("revise", "请修改第 3 讲")
        ws.review(course.path).status()
    assert len(calls) == 1


def test_each_thread_has_its_own_connection_and_close_leaves_a_given_one(db, tmp_path, course):
    course.version()
    ws = Workspace(db=db)
    assert ws.db is db  # the thread that gave it uses it
    seen = {}

    def worker() -> None:
        seen["db"] = ws.db
        seen["status"] = ws.review(course.path).status()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen["db"] is not db and seen["status"].path == R.review_status(db, course.path).path
    ws.close()
    with pytest.raises(Exception):  # the worker's connection is closed …
        seen["db"].conn.execute("SELECT 1")
    assert db.conn.execute("SELECT 1").fetchone() == (1,)  # … the given one is not
