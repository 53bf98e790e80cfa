"""A scan is recorded whole or not at all, while its package is written beside its checks.

:func:`reviewer.service.scan.scan` writes the package on a second thread while the checks
run, inside one transaction with the scan, its findings and the review carried over: a
cancel or an error anywhere records nothing, and a finished scan is all there.
"""

from __future__ import annotations

import threading

import pytest

from reviewer.service.scan import ScanCancelled, scan
from reviewer.store import open_db
from reviewer.store import packages as pstore
from tests.service.conftest import recorded


def test_the_package_is_written_on_another_thread_while_the_checks_run(tmp_path, pkg,
                                                                      monkeypatch):
    seen: dict[str, object] = {}
    real = pstore.save_package
    checks_started = threading.Event()

    def save(*args, **kw):
        seen["thread"] = threading.current_thread()
        # The writer is running while the checks run: it sees their first step start.
        seen["overlapped"] = checks_started.wait(30)
        return real(*args, **kw)

    monkeypatch.setattr(pstore, "save_package", save)
    db = open_db(tmp_path / "s.db")
    outcome = scan(db, pkg, on_progress=lambda p: p.stage == "checks" and checks_started.set())
    assert seen["thread"] is not threading.main_thread() and seen["overlapped"] is True
    counts = recorded(db)
    assert counts["packages"] == 1 and counts["scans"] == 1
    assert counts["segments"] > 100 and counts["findings"] == len(outcome.findings) > 0
    assert not db.conn.in_transaction


def test_a_cancel_during_the_checks_records_nothing_though_the_package_was_written(
        tmp_path, pkg, monkeypatch):
    written = threading.Event()
    real = pstore.save_package

    def save(*args, **kw):
        try:
            return real(*args, **kw)
        finally:
            written.set()

    monkeypatch.setattr(pstore, "save_package", save)
    db = open_db(tmp_path / "s.db")
    steps = []

    def cancel() -> bool:  # once the checks are under way and the package is in
        return len(steps) >= 2 and written.wait(10)

    with pytest.raises(ScanCancelled):
        scan(db, pkg, on_progress=lambda p: p.stage == "checks" and steps.append(p),
             cancel=cancel)
    assert written.is_set()
    assert recorded(db) == dict.fromkeys(("packages", "files", "segments", "scans", "findings"), 0)
    assert not db.conn.in_transaction
    again = scan(db, pkg)  # and the next scan goes through as if none had been tried
    assert again.extracted > 0 and recorded(db)["scans"] == 1


def test_a_failed_package_write_fails_the_scan_and_records_nothing(tmp_path, pkg, monkeypatch):
    first = open_db(tmp_path / "s.db")
    scan(first, pkg)
    before = recorded(first)
    (pkg / "notes.md").write_text("# 新的讲义\n\n链表与树。\n", encoding="utf-8")

    def broken(*args, **kw):
        raise OSError("disk full")

    monkeypatch.setattr(pstore, "save_package", broken)
    with pytest.raises(OSError, match="disk full"):
        scan(first, pkg)
    assert recorded(first) == before  # the earlier scan stands, nothing of this one is there
    assert not first.conn.in_transaction


def test_a_failing_check_rolls_back_the_written_package(tmp_path, pkg, monkeypatch):
    import reviewer.checks.registry as registry

    checks = registry.all_checks()

    def boom(ctx):
        raise RuntimeError("a check broke")

    monkeypatch.setattr(registry, "all_checks", lambda: {**checks, "outdated": boom})
    db = open_db(tmp_path / "s.db")
    with pytest.raises(RuntimeError, match="a check broke"):
        scan(db, pkg)
    assert recorded(db)["segments"] == 0 and recorded(db)["packages"] == 0
