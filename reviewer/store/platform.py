"""Recommendations: issued ones (reviewer side) and a platform's accepted ones.

Tables:

``issued_recommendations``  (migration ``0210-issued``, the reviewer's own DB)
    one row per ``reviewer sign`` — gives each course its next sequence number
    and the id the next recommendation supersedes.
``platform_recommendations``  (migration ``0200-platform``, the platform DB)
    every recommendation the platform accepted, ``status`` current|superseded.
``platform_imports``
    every import attempt with its outcome and reasons (the platform's log).
``platform_meta``
    key/value settings of the platform database (its name).

Both kinds live in whichever SQLite file is opened: a platform simply uses its
own ``--db PLATFORM.db``.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from reviewer.store.db import migration, now, transaction


@migration("0200-platform")
def _create_platform(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE platform_recommendations (
            id TEXT PRIMARY KEY,                 -- the recommendation's uuid
            institution TEXT NOT NULL,
            course_id TEXT NOT NULL,
            title TEXT,
            sequence INTEGER NOT NULL,
            supersedes TEXT,
            audience TEXT,
            decision TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            valid_until TEXT NOT NULL,
            package_digest TEXT NOT NULL,
            payload_sha256 TEXT NOT NULL,        -- sha256 of the signed payload bytes
            signers TEXT NOT NULL,               -- JSON list of {keyid, name, institution, role}
            envelope TEXT NOT NULL,              -- the file as imported
            source TEXT,                         -- the path it was imported from
            status TEXT NOT NULL,                -- current | superseded
            accepted_at TEXT NOT NULL,
            superseded_at TEXT,
            superseded_by TEXT
        )""")
    db.execute("CREATE INDEX platform_rec_course ON platform_recommendations(institution, course_id, status)")
    db.execute("""
        CREATE TABLE platform_imports (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            source TEXT NOT NULL,
            recommendation_id TEXT,
            outcome TEXT NOT NULL,               -- accepted | superseded | unchanged | rejected
            reasons TEXT NOT NULL                -- JSON list of {code, message, details}
        )""")
    db.execute("CREATE TABLE platform_meta (key TEXT PRIMARY KEY, value TEXT)")


@migration("0210-issued")
def _create_issued(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE issued_recommendations (
            id TEXT PRIMARY KEY,
            institution TEXT NOT NULL,
            course_id TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            supersedes TEXT,
            audience TEXT,
            package_path TEXT NOT NULL,
            package_digest TEXT NOT NULL,
            decision TEXT NOT NULL,
            keyid TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            valid_until TEXT NOT NULL,
            out_path TEXT,
            payload_sha256 TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX issued_course ON issued_recommendations(institution, course_id, sequence)")


# ---------------------------------------------------------------- issued (reviewer side)

def last_issued(db: sqlite_utils.Database, institution: str, course_id: str) -> dict[str, Any] | None:
    """The issued recommendation with the highest sequence for this course."""
    rows = list(db.query(
        "SELECT * FROM issued_recommendations WHERE institution = ? AND course_id = ? "
        "ORDER BY sequence DESC, issued_at DESC LIMIT 1", [institution, course_id]))
    return rows[0] if rows else None


def record_issued(db: sqlite_utils.Database, row: dict[str, Any]) -> None:
    db["issued_recommendations"].insert(row)


def issued_list(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM issued_recommendations ORDER BY institution, course_id, sequence"))


# ---------------------------------------------------------------- platform side

def platform_name(db: sqlite_utils.Database) -> str | None:
    rows = list(db.query("SELECT value FROM platform_meta WHERE key = 'name'"))
    return rows[0]["value"] if rows else None


def set_platform_name(db: sqlite_utils.Database, name: str) -> None:
    db["platform_meta"].upsert({"key": "name", "value": name}, pk="key")


def current_for_course(db: sqlite_utils.Database, institution: str, course_id: str) -> dict[str, Any] | None:
    rows = list(db.query(
        "SELECT * FROM platform_recommendations WHERE institution = ? AND course_id = ? "
        "AND status = 'current' LIMIT 1", [institution, course_id]))
    return rows[0] if rows else None


def recommendation(db: sqlite_utils.Database, rec_id: str) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM platform_recommendations WHERE id = ?", [rec_id]))
    return rows[0] if rows else None


def accept(db: sqlite_utils.Database, row: dict[str, Any], replaces: str | None) -> None:
    """Store an accepted recommendation as current, superseding ``replaces``."""
    with transaction(db):
        if replaces:
            db["platform_recommendations"].update(replaces, {
                "status": "superseded", "superseded_at": now(), "superseded_by": row["id"]})
        db["platform_recommendations"].insert(dict(row, status="current", accepted_at=now()))


def log_import(db: sqlite_utils.Database, source: str, rec_id: str | None, outcome: str,
               reasons: list[dict[str, Any]]) -> None:
    db["platform_imports"].insert({
        "at": now(), "source": source, "recommendation_id": rec_id, "outcome": outcome,
        "reasons": json.dumps(reasons, ensure_ascii=False)})


def current_list(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """The current recommendation of every course, by institution and course id."""
    return list(db.query(
        "SELECT * FROM platform_recommendations WHERE status = 'current' "
        "ORDER BY institution, course_id"))


def import_log(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM platform_imports ORDER BY id"))
