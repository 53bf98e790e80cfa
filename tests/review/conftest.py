"""Fixtures for the review tests (builders in review_helpers.py)."""

from __future__ import annotations


import pytest

from tests.review.review_helpers import Course
from reviewer.store import open_db


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "state.db")
    yield database
    database.conn.close()


@pytest.fixture
def course(db, tmp_path) -> Course:
    return Course(db, tmp_path / "course")


@pytest.fixture(autouse=True)
def _reviewer_name(monkeypatch):
    monkeypatch.setenv("REVIEWER_NAME", "审查人甲")
