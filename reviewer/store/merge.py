"""Moving one package's records between stores — the batch scan's merge step.

A batch scan (:mod:`reviewer.service.batch`) lets every worker scan into a
store of its own: a fresh in-memory database, sent back as bytes
(:func:`to_bytes`, :func:`from_bytes`), so a worker on another machine needs
no access to the user's database and no two processes ever write one file.
The parent then copies the package into the one database with
:func:`copy_package`; the same function seeds a worker's fresh store from the
user's database first (:func:`open_readonly`), so that unchanged files are
not extracted again and an unchanged package takes its findings over, as a
serial ``reviewer scan`` would.

:func:`copy_package` leaves the destination as :func:`packages.save_package`
would: the package row keeps its id (reviews refer to it), a file whose bytes
and extractor are unchanged keeps its row and its segments, a changed file is
replaced with its segments (put into the full-text index in bulk, as a scan
does: :func:`packages.segments_indexed_in_bulk`), a file that is gone is
deleted; the chosen scans are added with their findings.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlite_utils

from reviewer.store.db import StoreError, apply_migrations, transaction
from reviewer.store.packages import segments_indexed_in_bulk


def to_bytes(db: sqlite_utils.Database) -> bytes:
    """The whole database as one byte string (SQLite's own file format)."""
    return db.conn.serialize()


def from_bytes(data: bytes) -> sqlite_utils.Database:
    """An in-memory database holding ``data`` (from :func:`to_bytes`)."""
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    try:
        conn.deserialize(data)
        db = sqlite_utils.Database(conn)
        db.execute("PRAGMA foreign_keys=ON")
        apply_migrations(db)  # a store from an older worker gains the newer columns
    except sqlite3.Error as exc:
        conn.close()
        raise StoreError(f"not a reviewer store: {exc}") from exc
    return db


def open_readonly(path: str | Path) -> sqlite_utils.Database | None:
    """The database at ``path`` opened read-only, or ``None`` when it is absent or unusable.

    A worker reads its seed from it while the parent writes (WAL allows both).
    """
    path = Path(path)
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                               isolation_level=None, check_same_thread=False, timeout=30)
        conn.execute("SELECT 1 FROM packages LIMIT 1")
    except sqlite3.Error:
        return None
    return sqlite_utils.Database(conn)


def database_file(db: sqlite_utils.Database) -> str | None:
    """The file behind ``db``, or ``None`` for an in-memory database."""
    for _seq, name, file in db.execute("PRAGMA database_list"):
        if name == "main":
            return file or None
    return None


def _columns(db: sqlite_utils.Database, table: str) -> list[str]:
    return [row[1] for row in db.execute(f"PRAGMA table_info({table})")]


def _shared_columns(dst: sqlite_utils.Database, src: sqlite_utils.Database, table: str,
                    skip: Iterable[str] = ("id",)) -> list[str]:
    """Columns both stores have (a newer store may carry more), minus ``skip``."""
    theirs = set(_columns(src, table))
    return [c for c in _columns(dst, table) if c in theirs and c not in set(skip)]


def _rows(db: sqlite_utils.Database, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cur = db.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def _insert(db: sqlite_utils.Database, table: str, values: dict[str, Any]) -> int:
    names = list(values)
    cols = ", ".join(f'"{n}"' for n in names)
    marks = ", ".join("?" for _ in names)
    cur = db.execute(f'INSERT INTO {table} ({cols}) VALUES ({marks})', [values[n] for n in names])
    return cur.lastrowid


def _update(db: sqlite_utils.Database, table: str, row_id: int, values: dict[str, Any]) -> None:
    names = list(values)
    sets = ", ".join(f'"{n}" = ?' for n in names)
    db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [values[n] for n in names] + [row_id])


def copy_package(dst: sqlite_utils.Database, src: sqlite_utils.Database, path: str, *,
                 scan_ids: Iterable[int] | None = None) -> tuple[int, dict[int, int]] | None:
    """Copy the package stored under ``path`` from ``src`` into ``dst`` (one transaction).

    ``scan_ids`` (ids in ``src``) are the scans to add, with their findings;
    by default the package's last finished scan.  Returns ``(package id in
    dst, {scan id in src: scan id in dst})``, or ``None`` when ``src`` does
    not hold the package.
    """
    found = _rows(src, "SELECT * FROM packages WHERE path = ?", [path])
    if not found:
        return None
    pkg = found[0]
    if scan_ids is None:
        last = src.execute("SELECT max(id) FROM scans WHERE package_id = ? AND finished IS NOT NULL",
                           [pkg["id"]]).fetchone()[0]
        scan_ids = [] if last is None else [last]
    scan_ids = list(scan_ids)
    pkg_cols = _shared_columns(dst, src, "packages")
    file_cols = _shared_columns(dst, src, "files", skip=("id", "package_id"))
    seg_cols = _shared_columns(dst, src, "segments", skip=("id", "file_id"))
    scan_cols = _shared_columns(dst, src, "scans", skip=("id", "package_id"))
    finding_cols = _shared_columns(dst, src, "findings", skip=("scan_id",))
    seg_select = ", ".join(f'"{c}"' for c in seg_cols)
    seg_insert = (f"INSERT INTO segments (file_id, {seg_select}) "
                  f"VALUES (?, {', '.join('?' for _ in seg_cols)})")
    finding_names = ", ".join(f'"{c}"' for c in finding_cols)
    finding_insert = (f"INSERT OR IGNORE INTO findings (scan_id, {finding_names}) "
                      f"VALUES (?, {', '.join('?' for _ in finding_cols)})")

    with transaction(dst):
        mine = _rows(dst, "SELECT id, first_seen FROM packages WHERE path = ?", [path])
        values = {c: pkg[c] for c in pkg_cols}
        if mine:
            package_id = mine[0]["id"]
            values["first_seen"] = mine[0]["first_seen"] or values.get("first_seen")
            _update(dst, "packages", package_id, values)
        else:
            package_id = _insert(dst, "packages", values)

        existing = {r["path"]: r for r in _rows(
            dst, "SELECT id, path, sha256, extractor FROM files WHERE package_id = ?", [package_id])}
        keep = set()
        new_files: list[tuple[int, int]] = []  # (id in dst, id in src)
        for record in _rows(src, "SELECT * FROM files WHERE package_id = ?", [pkg["id"]]):
            file_values = {c: record[c] for c in file_cols}
            file_values["package_id"] = package_id
            old = existing.get(record["path"])
            keep.add(record["path"])
            if old and old["sha256"] == record["sha256"] and old["extractor"] == record["extractor"]:
                _update(dst, "files", old["id"], file_values)
                continue
            if old:
                dst.execute("DELETE FROM files WHERE id = ?", [old["id"]])
            new_files.append((_insert(dst, "files", file_values), record["id"]))
        if new_files:  # after the deletes above, as segments_indexed_in_bulk asks
            with segments_indexed_in_bulk(dst.conn):
                for file_id, src_id in new_files:
                    segments = src.execute(
                        f"SELECT {seg_select} FROM segments WHERE file_id = ? ORDER BY ordinal",
                        [src_id])
                    dst.conn.executemany(seg_insert, ((file_id, *row) for row in segments))
        for gone, old in existing.items():
            if gone not in keep:
                dst.execute("DELETE FROM files WHERE id = ?", [old["id"]])

        scan_map: dict[int, int] = {}
        for scan_id in scan_ids:
            rows = _rows(src, "SELECT * FROM scans WHERE id = ? AND package_id = ?",
                         [scan_id, pkg["id"]])
            if not rows:
                raise StoreError(f"scan {scan_id} is not a scan of {path}")
            scan_values = {c: rows[0][c] for c in scan_cols}
            scan_values["package_id"] = package_id
            new_id = _insert(dst, "scans", scan_values)
            scan_map[scan_id] = new_id
            findings = src.execute(f"SELECT {finding_names} FROM findings WHERE scan_id = ?",
                                   [scan_id])
            dst.conn.executemany(finding_insert, ((new_id, *row) for row in findings))
    return package_id, scan_map
