"""Fixtures of the service tests: a sample course to scan, and what a store holds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


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
