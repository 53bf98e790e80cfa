"""Fixtures of the service tests: a sample course to scan, what a store holds, fork or not."""

from __future__ import annotations

import multiprocessing
import shutil
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: For tests of a forked child: skipped where reviewer.service.forked never forks.
needs_fork = pytest.mark.skipif(
    sys.platform == "darwin" or "fork" not in multiprocessing.get_all_start_methods(),
    reason="no fork on this platform")


@pytest.fixture
def pkg(tmp_path):
    """A copy of the Chinese sample course (tests may change it)."""
    dest = tmp_path / "pkg"
    shutil.copytree(ROOT / "sample_courses" / "zh-data-structures", dest)
    return dest


def recorded(db) -> dict[str, int]:
    """Rows of each table a scan records."""
    return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608 (fixed names)
            for t in ("packages", "files", "segments", "scans", "findings")}


def only_new_threads_count(monkeypatch) -> None:
    """From now on ``threading.active_count()`` counts the main thread and the threads
    started since: idle pools and daemons other tests left behind don't stop a fork."""
    before = set(threading.enumerate())
    monkeypatch.setattr(threading, "active_count",
                        lambda: 1 + len(set(threading.enumerate()) - before))
