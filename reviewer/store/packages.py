"""Packages, files, segments, scans and findings.

Tables (readable names, foreign keys, so the file opens cleanly in Datasette):

``packages``   one row per package location (a folder or zip path)
``files``      the package's files as last scanned, with SHA-256 and read status
``segments``   located text of each file (``segments_fts``: trigram full-text index)
``scans``      one row per ``reviewer scan`` run
``findings``   the findings of each scan
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlite_utils

from reviewer.checks.model import CoverageReport, Finding, severity_counts
from reviewer.ingest.digest import content_digest
from reviewer.ingest.model import FileRecord, IngestIssue, Locator, Package, Segment
from reviewer.store.db import migration, now, transaction


@migration("0001-packages")
def _create(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE packages (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,        -- resolved folder or zip path
            kind TEXT NOT NULL,               -- dir | zip
            course_id TEXT,
            title TEXT,
            digest TEXT,                      -- sha256:<hex> of the version last scanned
            manifest TEXT,                    -- course.yaml as JSON (null: none)
            issues TEXT,                      -- package-level ingest issues as JSON
            first_seen TEXT NOT NULL,
            last_scanned TEXT
        )""")
    db.execute("""
        CREATE TABLE files (
            id INTEGER PRIMARY KEY,
            package_id INTEGER NOT NULL REFERENCES packages(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            role TEXT NOT NULL,
            format TEXT NOT NULL,
            status TEXT NOT NULL,             -- ok | error
            error TEXT,
            units INTEGER NOT NULL DEFAULT 0,
            meta TEXT,                        -- JSON: title, author, created, modified …
            issues TEXT,                      -- JSON list of ingest issues
            extractor TEXT,                   -- extractor version that produced the segments
            UNIQUE (package_id, path)
        )""")
    db.execute("CREATE INDEX files_sha256 ON files(sha256)")
    db.execute("""
        CREATE TABLE segments (
            id INTEGER PRIMARY KEY,
            file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            kind TEXT NOT NULL,               -- page | slide | cue | paragraph | line
            page INTEGER, slide INTEGER, notes INTEGER, cue INTEGER,
            start_ms INTEGER, end_ms INTEGER,
            paragraph INTEGER, heading TEXT, line INTEGER,
            text TEXT NOT NULL,               -- exactly as in the file
            norm TEXT NOT NULL                -- compatibility-folded copy, same length
        )""")
    db.execute("CREATE INDEX segments_file ON segments(file_id, ordinal)")
    db.execute("""
        CREATE VIRTUAL TABLE segments_fts USING fts5(
            norm, content='segments', content_rowid='id', tokenize='trigram')""")
    db.execute("""CREATE TRIGGER segments_ai AFTER INSERT ON segments BEGIN
        INSERT INTO segments_fts(rowid, norm) VALUES (new.id, new.norm); END""")
    db.execute("""CREATE TRIGGER segments_ad AFTER DELETE ON segments BEGIN
        INSERT INTO segments_fts(segments_fts, rowid, norm) VALUES ('delete', old.id, old.norm); END""")
    db.execute("""
        CREATE TABLE scans (
            id INTEGER PRIMARY KEY,
            package_id INTEGER NOT NULL REFERENCES packages(id) ON DELETE CASCADE,
            digest TEXT NOT NULL,
            started TEXT NOT NULL,
            finished TEXT,
            tool_version TEXT,
            options TEXT,                     -- JSON: lexicons used, limits …
            rules_digest TEXT,                -- digest of the rule files used
            files_reused INTEGER, files_extracted INTEGER,
            errors INTEGER, warnings INTEGER, infos INTEGER,
            coverage TEXT                     -- JSON coverage report
        )""")
    db.execute("""
        CREATE TABLE findings (
            scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
            id TEXT NOT NULL,                 -- stable finding id (survives re-scans)
            "check" TEXT NOT NULL,
            rule TEXT NOT NULL,
            category TEXT NOT NULL,
            severity TEXT NOT NULL,
            file TEXT,
            location TEXT,                    -- JSON locator as in the report
            match TEXT,
            message_zh TEXT, message_en TEXT,
            context TEXT, context_start INTEGER,
            extra TEXT,
            PRIMARY KEY (scan_id, id)
        )""")
    db.execute("CREATE INDEX findings_id ON findings(id)")


@migration("0002-segment-origin")
def _segment_origin(db: sqlite_utils.Database) -> None:
    # Text read from a picture (OCR, QR code): JSON {source, image, box, confidence};
    # NULL for the file's own text, so existing rows need nothing.
    db.execute("ALTER TABLE segments ADD COLUMN origin TEXT")


@migration("0003-scan-facts")
def _scan_facts(db: sqlite_utils.Database) -> None:
    # What the checks established besides findings (CheckResult.facts) as JSON, e.g. the
    # platform's whitelist match; NULL for scans made before: their review says "scan again".
    db.execute("ALTER TABLE scans ADD COLUMN facts TEXT")


@migration("0004-package-content")
def _package_content(db: sqlite_utils.Database) -> None:
    # The digest of the package's file contents, paths left out (ingest.digest.content_digest):
    # a package found again at another path or in a renamed zip continues its review.
    db.execute("ALTER TABLE packages ADD COLUMN content_key TEXT")
    db.execute("CREATE INDEX packages_content_key ON packages(content_key)")
    for (package_id,) in db.execute("SELECT id FROM packages").fetchall():
        shas = [row[0] for row in db.execute("SELECT sha256 FROM files WHERE package_id = ?",
                                             [package_id])]
        db.execute("UPDATE packages SET content_key = ? WHERE id = ?",
                   [content_digest(shas), package_id])


# ---------------------------------------------------------------- packages

def package_row(db: sqlite_utils.Database, path: str) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM packages WHERE path = ?", [path]))
    return rows[0] if rows else None


def list_packages(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every package with its last finished scan's counts (as :func:`latest_scan`)."""
    return list(db.query("""
        SELECT p.*, s.id AS scan_id, s.errors, s.warnings, s.infos, s.finished
        FROM packages p
        LEFT JOIN scans s ON s.id = (SELECT max(id) FROM scans
                                     WHERE package_id = p.id AND finished IS NOT NULL)
        ORDER BY p.title COLLATE NOCASE, p.path"""))


def _issues_json(issues: Iterable[IngestIssue]) -> str:
    return json.dumps([
        {"rule": i.rule, "severity": i.severity, "message": i.message, "file": i.file,
         "location": i.locator.to_dict() if i.locator else None}
        for i in issues
    ], ensure_ascii=False)


def _issues_from_json(text: str | None) -> list[IngestIssue]:
    out = []
    for item in json.loads(text or "[]"):
        loc = item.get("location")
        out.append(IngestIssue(item["rule"], item["severity"], item["message"], item.get("file"),
                               Locator.from_dict(loc) if loc else None))
    return out


def _cached_row(db: sqlite_utils.Database, sha256: str, fmt: str,
                extractor: str) -> dict[str, Any] | None:
    rows = list(db.query(
        "SELECT * FROM files WHERE sha256 = ? AND format = ? AND extractor = ? "
        "ORDER BY id DESC LIMIT 1", [sha256, fmt, extractor]))
    return rows[0] if rows else None


def cached_file(db: sqlite_utils.Database, sha256: str, fmt: str, extractor: str,
                path: str, *, segments: bool = True) -> FileRecord | None:
    """A previous extraction of identical bytes (same digest, format and extractor).

    With ``segments=False`` the record comes without its text (``segments``
    empty); :func:`cached_segments` reads it when it turns out to be needed.
    """
    row = _cached_row(db, sha256, fmt, extractor)
    if row is None:
        return None
    record = FileRecord(
        path=path, size=row["size"], sha256=row["sha256"], role=row["role"],
        format=row["format"], status=row["status"], error=row["error"], units=row["units"],
        meta=json.loads(row["meta"] or "{}"),
    )
    for issue in _issues_from_json(row["issues"]):
        issue.file = path
        record.issues.append(issue)
    if segments:
        record.segments = _stored_segments(db, row["id"], path)
    return record


def cached_segments(db: sqlite_utils.Database, sha256: str, fmt: str, extractor: str,
                    path: str) -> list[Segment] | None:
    """The segments of :func:`cached_file` for the same arguments (``None``: no longer stored)."""
    row = _cached_row(db, sha256, fmt, extractor)
    return None if row is None else _stored_segments(db, row["id"], path)


def _stored_segments(db: sqlite_utils.Database, file_id: int, path: str) -> list[Segment]:
    return [_segment(path, s) for s in db.execute(
        f"SELECT {_SEGMENT_COLUMNS} FROM segments s WHERE s.file_id = ? ORDER BY s.ordinal",
        [file_id])]


#: The columns :func:`_segment` reads, in its order (``s`` is the segments table).
_SEGMENT_COLUMNS = ("s.ordinal, s.page, s.slide, s.notes, s.cue, s.start_ms, s.end_ms, "
                    "s.paragraph, s.heading, s.line, s.text, s.norm, s.origin")


def _segment(path: str, row: tuple[Any, ...]) -> Segment:
    """A stored segment from a ``SELECT {_SEGMENT_COLUMNS}`` row: plain tuples, not
    sqlite_utils dicts, because a re-scan reads every segment of a course (~50,000)."""
    ordinal, page, slide, notes, cue, start_ms, end_ms, paragraph, heading, line, text, norm, origin = row[:13]
    locator = Locator(page, slide, bool(notes), cue, start_ms, end_ms, paragraph, heading, line)
    if origin:
        o = json.loads(origin)
        box = o.get("box")
        locator = dataclasses.replace(locator, source=o.get("source"), image=o.get("image"),
                                      box=tuple(box) if box else None, confidence=o.get("confidence"))
    return Segment(path, ordinal, locator, text, norm)


def _origin_json(locator: Locator) -> str | None:
    origin = locator.origin()
    return json.dumps(origin, ensure_ascii=False) if origin else None


def files_unchanged(db: sqlite_utils.Database, package_id: int, package: Package,
                    extractor: dict[str, str]) -> bool:
    """Whether the package's stored files are exactly ``package.files`` (same paths,
    bytes and extractor versions), so that :func:`save_package` rewrites no segments."""
    stored = {path: (sha, ext) for path, sha, ext in db.execute(
        "SELECT path, sha256, extractor FROM files WHERE package_id = ?", [package_id])}
    return stored == {r.path: (r.sha256, extractor.get(r.format, "")) for r in package.files}


def save_package(db: sqlite_utils.Database, path: str, package: Package,
                 extractor: dict[str, str]) -> int:
    """Record the package and its files; segments are rewritten only for changed files.

    ``extractor`` maps a format to the extractor version that read it.
    Returns the package row id.
    """
    with transaction(db):
        row = package_row(db, path)
        values = {
            "path": path, "kind": package.kind, "course_id": package.id, "title": package.title,
            "digest": package.digest,
            "content_key": content_digest(r.sha256 for r in package.files),
            "manifest": json.dumps(package.manifest, ensure_ascii=False, default=str)
            if package.manifest is not None else None,
            "issues": _issues_json(package.issues), "last_scanned": now(),
        }
        if row is None:
            values["first_seen"] = now()
            package_id = db["packages"].insert(values).last_pk
        else:
            package_id = row["id"]
            db["packages"].update(package_id, values)
        existing = {r["path"]: r for r in db.query(
            "SELECT id, path, sha256, format, extractor FROM files WHERE package_id = ?",
            [package_id])}
        keep = set()
        new_files: list[tuple[int, list[Segment]]] = []
        for record in package.files:
            old = existing.get(record.path)
            ext = extractor.get(record.format, "")
            file_values = {
                "package_id": package_id, "path": record.path, "size": record.size,
                "sha256": record.sha256, "role": record.role, "format": record.format,
                "status": record.status, "error": record.error, "units": record.units,
                "meta": json.dumps(record.meta, ensure_ascii=False, default=str),
                "issues": _issues_json(record.issues), "extractor": ext,
            }
            if old and old["sha256"] == record.sha256 and old["extractor"] == ext:
                db["files"].update(old["id"], file_values)
                keep.add(record.path)
                continue
            if old:
                db.execute("DELETE FROM files WHERE id = ?", [old["id"]])
            file_id = db["files"].insert(file_values).last_pk
            keep.add(record.path)
            new_files.append((file_id, record.segments))
        _insert_segments(db, new_files)
        for gone, old in existing.items():
            if gone not in keep:
                db.execute("DELETE FROM files WHERE id = ?", [old["id"]])
    return package_id


#: FTS5's in-memory term buffer for a bulk index (see :func:`segments_indexed_in_bulk`).
FTS_HASH_BYTES = 8 << 20

#: The columns of a segment row, in the order :func:`_segment_rows` gives them.
_SEGMENT_ROW = ("file_id, ordinal, kind, page, slide, notes, cue, start_ms, end_ms, paragraph, "
                "heading, line, text, norm, origin")
_ROW_WIDTH = _SEGMENT_ROW.count(",") + 1

#: Rows a multi-row ``INSERT`` writes at most (fewer where SQLite's bound-variable limit,
#: 32,766 since 3.32 and 999 before, allows fewer).  Each size of statement is prepared
#: once and kept in the connection's cache: statements of 2,000 rows held 43 MB after the
#: large course, of 250 rows 20 MB, for the same CPU.
ROWS_PER_INSERT = 250


def _segment_rows(file_id: int, segments: Iterable[Segment]) -> Iterator[tuple[Any, ...]]:
    for s in segments:
        loc = s.locator
        yield (file_id, s.ordinal, loc.kind, loc.page, loc.slide, 1 if loc.notes else None, loc.cue,
               loc.start_ms, loc.end_ms, loc.paragraph, loc.heading, loc.line, s.text, s.norm,
               _origin_json(loc) if loc.source else None)


@functools.lru_cache(maxsize=16)
def _insert_values(rows: int) -> str:
    """``INSERT INTO segments (…) VALUES (?, …), (?, …) …`` for ``rows`` rows."""
    one = "(" + ", ".join("?" * _ROW_WIDTH) + ")"
    return f"INSERT INTO segments ({_SEGMENT_ROW}) VALUES " + ", ".join([one] * rows)


def _insert_segments(db: sqlite_utils.Database, files: list[tuple[int, list[Segment]]]) -> None:
    """Write the segments of newly stored files, and index them, in bulk (inside a transaction).

    Rows go in by multi-row ``INSERT … VALUES`` statements of up to
    :data:`ROWS_PER_INSERT` rows (:func:`_statement_sizes`), and are indexed by
    :func:`segments_indexed_in_bulk`.  One statement for many rows rather than one a
    row: the scan writes the package on a second thread while its checks run
    (:func:`reviewer.service.scan.scan`), and SQLite gives up Python's GIL for the
    length of a statement — ``executemany`` takes it back for every row, so the two
    threads would wait on each other 51,000 times on the large benchmark course.
    """
    if not any(segments for _, segments in files):
        return
    conn = db.conn
    per = max(1, min(ROWS_PER_INSERT,
                     conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // _ROW_WIDTH))
    with segments_indexed_in_bulk(conn):
        for file_id, segments in files:
            rows = _segment_rows(file_id, segments)
            for size in _statement_sizes(len(segments), per):
                conn.execute(_insert_values(size),
                             list(itertools.chain.from_iterable(itertools.islice(rows, size))))


def _statement_sizes(rows: int, per: int) -> list[int]:
    """``rows`` rows as statements of ``per`` rows, the rest in descending powers of two:
    a few sizes of statement for every file (each is prepared once, then reused)."""
    sizes = [per] * (rows // per)
    rest = rows % per
    sizes += [1 << bit for bit in range(rest.bit_length() - 1, -1, -1) if rest >> bit & 1]
    return sizes


@contextmanager
def segments_indexed_in_bulk(conn: sqlite3.Connection) -> Iterator[None]:
    """Segments inserted inside this block are put into the full-text index at its end.

    The per-row trigger ``segments_ai`` is dropped meanwhile and the new rows are
    indexed by one ``INSERT … SELECT``; the trigger is recreated from its own
    stored definition before the caller's transaction commits, so other
    connections never see the schema without it.  Must run inside a transaction,
    and no segment may be deleted inside the block (the new rows are found as
    those above the largest id at its start).  If the block raises, the
    transaction's rollback brings the trigger back.
    """
    assert conn.in_transaction, "segments are indexed in bulk inside a transaction"
    (last,) = conn.execute("SELECT coalesce(max(id), 0) FROM segments").fetchone()
    trigger = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'segments_ai'").fetchone()
    if trigger is not None:
        conn.execute("DROP TRIGGER segments_ai")
    yield
    if trigger is not None:
        # FTS5 gathers new terms in memory and writes them out as an index segment each
        # time they pass ``hashsize`` (1 MB by default), merging segments as they pile up;
        # 8 MB writes fewer (the large course: 0.25 -> 0.20 s of CPU for this statement).
        # The setting is kept in the table's configuration; what is indexed is the same.
        conn.execute("INSERT INTO segments_fts (segments_fts, rank) VALUES ('hashsize', ?)",
                     [FTS_HASH_BYTES])
        # Without AUTOINCREMENT a new rowid is max(rowid) + 1, and this transaction holds
        # the write lock: the rows above ``last`` are exactly the ones just written.
        conn.execute("INSERT INTO segments_fts (rowid, norm) SELECT id, norm FROM segments "
                     "WHERE id > ?", [last])
        conn.execute(trigger[0])


# ---------------------------------------------------------------- scans and findings

def start_scan(db: sqlite_utils.Database, package_id: int, digest: str, tool_version: str,
               options: dict[str, Any], rules_digest: str) -> int:
    return db["scans"].insert({
        "package_id": package_id, "digest": digest, "started": now(),
        "tool_version": tool_version, "options": json.dumps(options, ensure_ascii=False),
        "rules_digest": rules_digest,
    }).last_pk


def finish_scan(db: sqlite_utils.Database, scan_id: int, findings: list[Finding],
                coverage: CoverageReport | None, reused: int, extracted: int,
                facts: dict[str, Any] | None = None) -> None:
    """Record a scan's findings and results; ``facts`` (``CheckResult.facts``) are stored as
    JSON, ``None`` as NULL (not known, as for scans recorded before facts existed)."""
    counts = severity_counts(findings)
    with transaction(db):
        db["findings"].insert_all(
            ({
                "scan_id": scan_id, "id": f.id, "check": f.check, "rule": f.rule,
                "category": f.category, "severity": f.severity, "file": f.file,
                "location": json.dumps(f.location, ensure_ascii=False), "match": f.match,
                "message_zh": f.message.get("zh"), "message_en": f.message.get("en"),
                "context": f.context, "context_start": f.context_start,
                "extra": json.dumps(f.extra, ensure_ascii=False, default=str),
            } for f in findings),
            batch_size=500, ignore=True,
        )
        db["scans"].update(scan_id, {
            "finished": now(), "files_reused": reused, "files_extracted": extracted,
            "errors": counts["error"], "warnings": counts["warning"], "infos": counts["info"],
            "coverage": json.dumps(coverage.to_dict(), ensure_ascii=False) if coverage else None,
            "facts": json.dumps(facts, ensure_ascii=False, default=str) if facts is not None else None,
        })


def scan_facts(scan: dict[str, Any] | None) -> dict[str, Any] | None:
    """The facts of a scan row (None: the scan recorded none, made before facts existed)."""
    text = (scan or {}).get("facts")
    return json.loads(text) if text else None


def latest_scan(db: sqlite_utils.Database, package_id: int) -> dict[str, Any] | None:
    rows = list(db.query(
        "SELECT * FROM scans WHERE package_id = ? AND finished IS NOT NULL "
        "ORDER BY id DESC LIMIT 1", [package_id]))
    return rows[0] if rows else None


def finding_from_row(row: dict[str, Any]) -> Finding:
    loc = json.loads(row["location"] or "{}")
    return Finding(
        id=row["id"], check=row["check"], rule=row["rule"], category=row["category"],
        severity=row["severity"], file=row["file"],
        locator=Locator.from_dict(loc) if loc else None, match=row["match"] or "",
        message={"zh": row["message_zh"] or "", "en": row["message_en"] or ""},
        context=row["context"] or "", context_start=row["context_start"] or 0,
        extra=json.loads(row["extra"] or "{}"),
    )


def scan_findings(db: sqlite_utils.Database, scan_id: int) -> list[Finding]:
    return [finding_from_row(r) for r in db.query(
        "SELECT * FROM findings WHERE scan_id = ?", [scan_id])]


def file_rows(db: sqlite_utils.Database, package_id: int) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM files WHERE package_id = ? ORDER BY path", [package_id]))


def file_segments(db: sqlite_utils.Database, package_id: int, path: str) -> Iterator[Segment]:
    """The stored segments of one file, in order (for the reader)."""
    for row in db.execute(
        f"SELECT {_SEGMENT_COLUMNS} FROM segments s JOIN files f ON f.id = s.file_id "
        "WHERE f.package_id = ? AND f.path = ? ORDER BY s.ordinal", [package_id, path]):
        yield _segment(path, row)


def search_segments(db: sqlite_utils.Database, package_id: int, query: str,
                    limit: int = 200) -> list[tuple[Segment, int]]:
    """Full-text search over a package's segments: ``(segment, match offset)`` pairs.

    Queries of three or more characters use the trigram index; shorter ones
    (most two-character Chinese words) fall back to a scan with ``instr``.
    The query is compatibility-folded like the text it searches.
    """
    from reviewer.ingest.textnorm import fold_compat

    needle = fold_compat(query.strip())
    if not needle:
        return []
    if len(needle) >= 3:
        phrase = '"' + needle.replace('"', '""') + '"'
        sql = (f"SELECT {_SEGMENT_COLUMNS}, f.path FROM segments_fts x JOIN segments s ON s.id = x.rowid "
               "JOIN files f ON f.id = s.file_id WHERE segments_fts MATCH ? AND f.package_id = ? "
               "ORDER BY f.path, s.ordinal LIMIT ?")
        params: list[Any] = [phrase, package_id, limit]
    else:
        sql = (f"SELECT {_SEGMENT_COLUMNS}, f.path FROM segments s JOIN files f ON f.id = s.file_id "
               "WHERE f.package_id = ? AND instr(lower(s.norm), lower(?)) > 0 "
               "ORDER BY f.path, s.ordinal LIMIT ?")
        params = [package_id, needle, limit]
    # Case-insensitive per character, so the offset is one in ``norm`` (and ``text``):
    # str.lower() can lengthen a string ("İ" → "i̇") and shift it.
    pattern = re.compile(re.escape(needle), re.IGNORECASE)
    out = []
    for row in db.execute(sql, params):
        seg = _segment(row[-1], row)
        hit = pattern.search(seg.norm)
        out.append((seg, hit.start() if hit else -1))
    return out
