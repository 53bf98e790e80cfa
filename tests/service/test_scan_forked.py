"""A large package's outdated and coverage checks run in a forked child beside the others.

The scan's answer must not depend on where a check ran: the same findings in the
same order, the same coverage report, the same rollback on a failure or a cancel,
and no child process left behind.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import threading

import pytest

import reviewer.service.scan as scan_module
from reviewer.checks import registry
from reviewer.service import forked
from reviewer.service.scan import ScanCancelled, scan
from reviewer.store import open_db
from tests.service.conftest import needs_fork, only_new_threads_count, recorded

pytestmark = needs_fork


@pytest.fixture
def children(monkeypatch):
    """Every Forked a scan makes, with forking made worth it for a small package."""
    made: list[forked.Forked] = []

    class Spy(forked.Forked):
        def __init__(self, *args, **kw):
            super().__init__(*args, **kw)
            made.append(self)

    monkeypatch.setattr(forked, "Forked", Spy)
    monkeypatch.setattr(forked, "usable_cpus", lambda: 2)
    only_new_threads_count(monkeypatch)  # this test's own threads still count
    monkeypatch.setattr(scan_module, "FORK_SEGMENTS", 1)
    return made


def _answer(outcome) -> tuple:
    return ([dataclasses.asdict(f) for f in outcome.findings],
            outcome.coverage.to_dict() if outcome.coverage else None, outcome.facts)


def test_the_forked_checks_give_the_scan_it_gives_in_one_process(tmp_path, pkg, children):
    serial = scan(open_db(tmp_path / "one.db"), pkg, parallel=False)
    assert children == []
    db = open_db(tmp_path / "two.db")
    split = scan(db, pkg)
    assert len(children) == 1 and children[0].answered_by == "child"
    assert _answer(split) == _answer(serial)
    assert {f.check for f in split.findings} >= {"outdated", "lexicon"}
    assert split.coverage is not None and split.coverage.topics
    assert recorded(db)["findings"] == len(split.findings)
    assert not multiprocessing.active_children()


def test_a_check_that_fails_in_the_child_fails_the_scan_and_records_nothing(
        tmp_path, pkg, children, monkeypatch):
    def broken(ctx):
        raise RuntimeError("coverage rules unreadable")

    monkeypatch.setitem(registry._REGISTRY, "coverage", broken)
    db = open_db(tmp_path / "s.db")
    with pytest.raises(RuntimeError, match="coverage rules unreadable"):
        scan(db, pkg)
    assert len(children) == 1 and children[0].answered_by == "here"
    assert set(recorded(db).values()) == {0}
    assert not multiprocessing.active_children()


def test_a_cancel_ends_the_child_and_records_nothing(tmp_path, pkg, children, monkeypatch):
    db = open_db(tmp_path / "s.db")
    stop = threading.Event()
    # The child would take a minute: the cancel must not wait for it.
    monkeypatch.setitem(registry._REGISTRY, "coverage",
                        lambda ctx: threading.Event().wait(60))

    def progress(p):
        if p.stage == "checks" and p.label == "pii":
            stop.set()

    with pytest.raises(ScanCancelled):
        scan(db, pkg, on_progress=progress, cancel=stop.is_set)
    assert len(children) == 1 and children[0].answered_by is None
    assert not multiprocessing.active_children()
    assert set(recorded(db).values()) == {0}
    # The next scan goes through, with a child of its own.
    monkeypatch.undo()
    assert scan(db, pkg).scan_id


def test_no_fork_from_a_thread_nor_outside_the_sizes_nor_when_told_not_to(
        tmp_path, pkg, children, monkeypatch):
    outcome: dict[str, object] = {}
    worker = threading.Thread(target=lambda: outcome.setdefault(
        "scan", scan(open_db(tmp_path / "t.db"), pkg)))
    worker.start()
    worker.join()
    assert outcome["scan"] and children == []  # a thread worker (the TUI's) scans alone
    scan(open_db(tmp_path / "p.db"), pkg, parallel=False)
    assert children == []
    monkeypatch.setattr(scan_module, "FORK_SEGMENTS", 10**9)
    scan(open_db(tmp_path / "s.db"), pkg)
    assert children == []
    # Nor above the size where the child's copies would cost more memory than allowed.
    monkeypatch.setattr(scan_module, "FORK_SEGMENTS", 1)
    monkeypatch.setattr(scan_module, "FORK_MAX_SEGMENTS", 10)
    scan(open_db(tmp_path / "m.db"), pkg)
    assert children == []


def test_a_batch_worker_never_forks(tmp_path, pkg, monkeypatch):
    from reviewer.service import batch

    asked: list[dict] = []
    real = scan_module.scan

    def spy(*args, **kw):
        asked.append(kw)
        return real(*args, **kw)

    monkeypatch.setattr(scan_module, "scan", spy)
    result = batch.scan_task(0, str(pkg), batch.BatchOptions())
    assert result.result.status == "ok"
    assert asked and asked[0]["parallel"] is False
