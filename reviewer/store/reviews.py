"""Review state: reviews, answers, dispositions, notes, decisions and the audit trail.

Tables (readable names, foreign keys):

``reviews``          one per package version (package id + digest), with the checklist
                     digests in force and the scan it was last synced to
``answers``          checklist answers (pass | fail | na), comment, needs_recheck
``dispositions``     finding dispositions (confirmed | false-alarm | accepted), reason
``review_findings``  the findings a review has seen (signature, "new" mark)
``item_evidence``    each item's evidence fingerprint at the last sync (JSON)
``notes``            free notes
``decisions``        recommend | revise | reject, with comment (history: latest wins)
``audit``            append-only: who changed what, when, old and new value (JSON);
                     triggers refuse UPDATE and DELETE on it
``review_homes``     a package found at a new path that continues the review history of
                     another (same course id or same file contents): its *home*
``review_members``   a review team (opt-in): each member's name and role (reviewer | chair)
``member_answers``   each team member's own answer to an item; ``answers`` then holds the
                     consolidated answer (``source``: agreement | chair).  A review without
                     members is a team of one whose answers are the consolidated ones, so
                     databases from before teams need no data moved.

Reviews belong to a package's home: :func:`find_review`, :func:`previous_review`
and :func:`create_review` look through :func:`review_home`, so every path of
one course shares one history (a package without a link is its own home).

Every function writes through the caller's connection, which runs in
autocommit mode: the service wraps each reviewer action (the change and its
audit row) in one :func:`reviewer.store.db.transaction`.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from reviewer.review.model import AnswerState, Decision, DispositionState, FindingRef, Member
from reviewer.store.db import migration, now


@migration("0100-reviews")
def _create(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            package_id INTEGER NOT NULL REFERENCES packages(id) ON DELETE CASCADE,
            digest TEXT NOT NULL,             -- the package version under review
            scan_id INTEGER,                  -- the scan the review was last synced to
            checklists TEXT NOT NULL,         -- JSON {checklist id: sha256 of its file}
            checklists_digest TEXT NOT NULL,
            created TEXT NOT NULL,
            reviewer TEXT NOT NULL,           -- who opened it
            carried_from INTEGER,             -- the review of the previous version
            UNIQUE (package_id, digest)
        )""")
    db.execute("""
        CREATE TABLE answers (
            review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
            item_id TEXT NOT NULL,
            answer TEXT NOT NULL CHECK (answer IN ('pass', 'fail', 'na')),
            comment TEXT,
            updated_at TEXT NOT NULL,
            actor TEXT NOT NULL,
            needs_recheck INTEGER NOT NULL DEFAULT 0,
            carried_from INTEGER,
            changes TEXT,                     -- JSON list: why a recheck is needed
            PRIMARY KEY (review_id, item_id)
        )""")
    db.execute("""
        CREATE TABLE dispositions (
            review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
            finding_id TEXT NOT NULL,
            disposition TEXT NOT NULL CHECK (disposition IN ('confirmed', 'false-alarm', 'accepted')),
            reason TEXT,
            updated_at TEXT NOT NULL,
            actor TEXT NOT NULL,
            needs_recheck INTEGER NOT NULL DEFAULT 0,
            carried_from INTEGER,
            finding_sig TEXT,
            PRIMARY KEY (review_id, finding_id)
        )""")
    db.execute("""
        CREATE TABLE review_findings (
            review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
            finding_id TEXT NOT NULL,
            sig TEXT NOT NULL,
            new INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (review_id, finding_id)
        )""")
    db.execute("""
        CREATE TABLE item_evidence (
            review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
            item_id TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            PRIMARY KEY (review_id, item_id)
        )""")
    db.execute("""
        CREATE TABLE notes (
            id INTEGER PRIMARY KEY,
            review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            target TEXT,                      -- an item or finding id, or null
            text TEXT NOT NULL,
            carried_from INTEGER
        )""")
    db.execute("""
        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
            decision TEXT NOT NULL CHECK (decision IN ('recommend', 'revise', 'reject')),
            comment TEXT,
            decided_at TEXT NOT NULL,
            actor TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            review_id INTEGER,                -- no foreign key: the trail outlives reviews
            package_id INTEGER,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT,
            old TEXT,                         -- JSON
            new TEXT                          -- JSON
        )""")
    db.execute("CREATE INDEX audit_review ON audit(review_id, id)")
    db.execute("CREATE INDEX audit_package ON audit(package_id, id)")
    db.execute("""CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN
        SELECT RAISE(ABORT, 'the audit trail is append-only'); END""")
    db.execute("""CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN
        SELECT RAISE(ABORT, 'the audit trail is append-only'); END""")


@migration("0101-review-homes")
def _homes(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE review_homes (
            package_id INTEGER PRIMARY KEY REFERENCES packages(id) ON DELETE CASCADE,
            home_id INTEGER NOT NULL REFERENCES packages(id) ON DELETE CASCADE,
            reason TEXT NOT NULL CHECK (reason IN ('course-id', 'content')),
            linked_at TEXT NOT NULL,
            actor TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX review_homes_home ON review_homes(home_id)")


@migration("0102-review-team")
def _team(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE review_members (
            review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('reviewer', 'chair')),
            institution TEXT,
            keyid TEXT,
            added_at TEXT NOT NULL,
            actor TEXT NOT NULL,
            PRIMARY KEY (review_id, name)
        )""")
    db.execute("""
        CREATE TABLE member_answers (
            review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
            item_id TEXT NOT NULL,
            member TEXT NOT NULL,
            answer TEXT NOT NULL CHECK (answer IN ('pass', 'fail', 'na')),
            comment TEXT,
            updated_at TEXT NOT NULL,
            needs_recheck INTEGER NOT NULL DEFAULT 0,
            carried_from INTEGER,
            changes TEXT,
            PRIMARY KEY (review_id, item_id, member)
        )""")
    # NULL: a reviewer's own answer (every answer before teams existed)
    db.execute("ALTER TABLE answers ADD COLUMN source TEXT "
               "CHECK (source IS NULL OR source IN ('agreement', 'chair'))")


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


# ---------------------------------------------------------------- reviews

_HOME = "coalesce((SELECT home_id FROM review_homes WHERE package_id = ?), ?)"


def review_home(db: sqlite_utils.Database, package_id: int) -> int:
    """The package whose review history ``package_id`` continues (itself when it continues none)."""
    row = db.execute(f"SELECT {_HOME}", [package_id, package_id]).fetchone()
    return int(row[0])


def home_link(db: sqlite_utils.Database, package_id: int) -> dict[str, Any] | None:
    """``{home_id, path (the home's), reason, linked_at, actor}`` when the package continues
    another's history, else None."""
    rows = list(db.query(
        "SELECT h.home_id, p.path, h.reason, h.linked_at, h.actor FROM review_homes h "
        "JOIN packages p ON p.id = h.home_id WHERE h.package_id = ?", [package_id]))
    return rows[0] if rows else None


def has_reviews(db: sqlite_utils.Database, package_id: int) -> bool:
    """Whether reviews are kept under this very package id (it is a home with a history)."""
    return db.execute("SELECT 1 FROM reviews WHERE package_id = ? LIMIT 1",
                      [package_id]).fetchone() is not None


def home_candidates(db: sqlite_utils.Database, package_id: int, course_id: str | None,
                    content_key: str | None) -> list[dict[str, Any]]:
    """Other packages with the manifest course id ``course_id`` (reason ``course-id``) or
    the content digest ``content_key`` (``content``), with their home (``home_id``,
    ``home_path``) and that home's latest review (``last_review``: the highest scan it was
    synced to, null when it has no review).  Course id matches first, then the home
    reviewed last, then the oldest."""
    if not course_id and not content_key:
        return []
    same_id = "(? IS NOT NULL AND json_valid(p.manifest) AND CAST(json_extract(p.manifest, '$.id') AS TEXT) = ?)"
    return list(db.query(f"""
        SELECT c.id, c.path, c.reason, c.home_id, hp.path AS home_path,
               (SELECT max(coalesce(r.scan_id, 0)) FROM reviews r WHERE r.package_id = c.home_id)
                   AS last_review
        FROM (SELECT p.id, p.path,
                     coalesce((SELECT home_id FROM review_homes WHERE package_id = p.id), p.id) AS home_id,
                     CASE WHEN {same_id} THEN 'course-id' ELSE 'content' END AS reason
              FROM packages p
              WHERE p.id != ? AND ({same_id} OR (? IS NOT NULL AND p.content_key = ?))) c
        JOIN packages hp ON hp.id = c.home_id
        ORDER BY c.reason = 'content', last_review IS NULL, last_review DESC, c.home_id""",
        [course_id, course_id, package_id, course_id, course_id, content_key, content_key]))


def set_review_home(db: sqlite_utils.Database, package_id: int, home_id: int, reason: str,
                    actor: str) -> None:
    """Record that ``package_id`` continues the review history of ``home_id`` (a home itself)."""
    db.execute("INSERT INTO review_homes (package_id, home_id, reason, linked_at, actor) "
               "VALUES (?, ?, ?, ?, ?)", [package_id, home_id, reason, now(), actor])


def find_review(db: sqlite_utils.Database, package_id: int, digest: str) -> dict[str, Any] | None:
    """The review of this package version (in the package's home's history)."""
    rows = list(db.query(f"SELECT * FROM reviews WHERE package_id = {_HOME} AND digest = ?",
                         [package_id, package_id, digest]))
    return rows[0] if rows else None


def review_row(db: sqlite_utils.Database, review_id: int) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM reviews WHERE id = ?", [review_id]))
    return rows[0] if rows else None


def previous_review(db: sqlite_utils.Database, package_id: int, digest: str
                    ) -> dict[str, Any] | None:
    """The review of another version of the same package that was synced to the latest scan.

    (Scan ids grow with time, so after A → B → A → C the state carried to C
    is A's, the version looked at last.)
    """
    rows = list(db.query(
        f"SELECT * FROM reviews WHERE package_id = {_HOME} AND digest != ? "
        "ORDER BY coalesce(scan_id, 0) DESC, id DESC LIMIT 1", [package_id, package_id, digest]))
    return rows[0] if rows else None


def create_review(db: sqlite_utils.Database, package_id: int, digest: str,
                  checklists: dict[str, str], checklists_digest: str, reviewer: str,
                  carried_from: int | None) -> int:
    return db["reviews"].insert({
        "package_id": review_home(db, package_id), "digest": digest, "scan_id": None,
        "checklists": _json(checklists), "checklists_digest": checklists_digest,
        "created": now(), "reviewer": reviewer, "carried_from": carried_from,
    }).last_pk


def set_review_sync(db: sqlite_utils.Database, review_id: int, scan_id: int,
                    checklists: dict[str, str], checklists_digest: str) -> None:
    db.execute("UPDATE reviews SET scan_id = ?, checklists = ?, checklists_digest = ? WHERE id = ?",
               [scan_id, _json(checklists), checklists_digest, review_id])


# ---------------------------------------------------------------- answers

def _answer(row: dict[str, Any]) -> AnswerState:
    return AnswerState(
        item_id=row["item_id"], answer=row["answer"], comment=row["comment"],
        updated_at=row["updated_at"], actor=row["actor"],
        needs_recheck=bool(row["needs_recheck"]), carried_from=row["carried_from"],
        changes=_load(row["changes"]) or [], source=row.get("source"),
    )


def answers(db: sqlite_utils.Database, review_id: int) -> dict[str, AnswerState]:
    return {r["item_id"]: _answer(r) for r in db.query(
        "SELECT * FROM answers WHERE review_id = ?", [review_id])}


def put_answer(db: sqlite_utils.Database, review_id: int, state: AnswerState) -> None:
    db.execute("""
        INSERT INTO answers (review_id, item_id, answer, comment, updated_at, actor,
                             needs_recheck, carried_from, changes, source)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (review_id, item_id) DO UPDATE SET
            answer = excluded.answer, comment = excluded.comment,
            updated_at = excluded.updated_at, actor = excluded.actor,
            needs_recheck = excluded.needs_recheck, carried_from = excluded.carried_from,
            changes = excluded.changes, source = excluded.source""",
        [review_id, state.item_id, state.answer, state.comment, state.updated_at, state.actor,
         int(state.needs_recheck), state.carried_from, _json(state.changes or None),
         state.source])


def delete_answer(db: sqlite_utils.Database, review_id: int, item_id: str) -> None:
    db.execute("DELETE FROM answers WHERE review_id = ? AND item_id = ?", [review_id, item_id])


def flag_answer(db: sqlite_utils.Database, review_id: int, item_id: str,
                changes: list[dict[str, Any]]) -> None:
    db.execute("UPDATE answers SET needs_recheck = 1, changes = ? WHERE review_id = ? AND item_id = ?",
               [_json(changes), review_id, item_id])


# ---------------------------------------------------------------- the review team

def _member(row: dict[str, Any]) -> Member:
    return Member(name=row["name"], role=row["role"], institution=row["institution"] or "",
                  keyid=row["keyid"], added_at=row["added_at"])


def members(db: sqlite_utils.Database, review_id: int) -> list[Member]:
    """The review's team in the order members joined (empty: a single reviewer)."""
    return [_member(r) for r in db.query(
        "SELECT * FROM review_members WHERE review_id = ? ORDER BY added_at, rowid", [review_id])]


def put_member(db: sqlite_utils.Database, review_id: int, member: Member, actor: str) -> None:
    db.execute("""
        INSERT INTO review_members (review_id, name, role, institution, keyid, added_at, actor)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (review_id, name) DO UPDATE SET
            role = excluded.role, institution = excluded.institution, keyid = excluded.keyid""",
        [review_id, member.name, member.role, member.institution or None, member.keyid,
         member.added_at or now(), actor])


def delete_member(db: sqlite_utils.Database, review_id: int, name: str) -> None:
    db.execute("DELETE FROM review_members WHERE review_id = ? AND name = ?", [review_id, name])
    db.execute("DELETE FROM member_answers WHERE review_id = ? AND member = ?", [review_id, name])


def _member_answer(row: dict[str, Any]) -> AnswerState:
    return AnswerState(
        item_id=row["item_id"], answer=row["answer"], comment=row["comment"],
        updated_at=row["updated_at"], actor=row["member"],
        needs_recheck=bool(row["needs_recheck"]), carried_from=row["carried_from"],
        changes=_load(row["changes"]) or [])


def member_answers(db: sqlite_utils.Database, review_id: int
                   ) -> dict[str, dict[str, AnswerState]]:
    """Item id → member name → that member's own answer (``actor`` is the member)."""
    out: dict[str, dict[str, AnswerState]] = {}
    for r in db.query("SELECT * FROM member_answers WHERE review_id = ? ORDER BY rowid",
                      [review_id]):
        out.setdefault(r["item_id"], {})[r["member"]] = _member_answer(r)
    return out


def put_member_answer(db: sqlite_utils.Database, review_id: int, state: AnswerState) -> None:
    """Store ``state`` as the answer of the member ``state.actor``."""
    db.execute("""
        INSERT INTO member_answers (review_id, item_id, member, answer, comment, updated_at,
                                    needs_recheck, carried_from, changes)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (review_id, item_id, member) DO UPDATE SET
            answer = excluded.answer, comment = excluded.comment,
            updated_at = excluded.updated_at, needs_recheck = excluded.needs_recheck,
            carried_from = excluded.carried_from, changes = excluded.changes""",
        [review_id, state.item_id, state.actor, state.answer, state.comment, state.updated_at,
         int(state.needs_recheck), state.carried_from, _json(state.changes or None)])


def delete_member_answer(db: sqlite_utils.Database, review_id: int, item_id: str,
                         member: str) -> None:
    db.execute("DELETE FROM member_answers WHERE review_id = ? AND item_id = ? AND member = ?",
               [review_id, item_id, member])


def flag_member_answers(db: sqlite_utils.Database, review_id: int, item_id: str,
                        changes: list[dict[str, Any]]) -> None:
    """Mark every member's answer to ``item_id`` for recheck (its evidence changed)."""
    db.execute("UPDATE member_answers SET needs_recheck = 1, changes = ? "
               "WHERE review_id = ? AND item_id = ?", [_json(changes), review_id, item_id])


# ---------------------------------------------------------------- dispositions

def _disposition(row: dict[str, Any]) -> DispositionState:
    return DispositionState(
        finding_id=row["finding_id"], disposition=row["disposition"], reason=row["reason"],
        updated_at=row["updated_at"], actor=row["actor"],
        needs_recheck=bool(row["needs_recheck"]), carried_from=row["carried_from"],
        finding_sig=row["finding_sig"] or "",
    )


def dispositions(db: sqlite_utils.Database, review_id: int) -> dict[str, DispositionState]:
    return {r["finding_id"]: _disposition(r) for r in db.query(
        "SELECT * FROM dispositions WHERE review_id = ?", [review_id])}


def put_disposition(db: sqlite_utils.Database, review_id: int, state: DispositionState) -> None:
    db.execute("""
        INSERT INTO dispositions (review_id, finding_id, disposition, reason, updated_at, actor,
                                  needs_recheck, carried_from, finding_sig)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (review_id, finding_id) DO UPDATE SET
            disposition = excluded.disposition, reason = excluded.reason,
            updated_at = excluded.updated_at, actor = excluded.actor,
            needs_recheck = excluded.needs_recheck, carried_from = excluded.carried_from,
            finding_sig = excluded.finding_sig""",
        [review_id, state.finding_id, state.disposition, state.reason, state.updated_at,
         state.actor, int(state.needs_recheck), state.carried_from, state.finding_sig])


def delete_disposition(db: sqlite_utils.Database, review_id: int, finding_id: str) -> None:
    db.execute("DELETE FROM dispositions WHERE review_id = ? AND finding_id = ?",
               [review_id, finding_id])


def flag_disposition(db: sqlite_utils.Database, review_id: int, finding_id: str) -> None:
    db.execute("UPDATE dispositions SET needs_recheck = 1 WHERE review_id = ? AND finding_id = ?",
               [review_id, finding_id])


# ---------------------------------------------------------------- findings seen, evidence

def known_findings(db: sqlite_utils.Database, review_id: int) -> dict[str, str]:
    """Finding id → signature, for the findings the review saw at its last sync."""
    return {r["finding_id"]: r["sig"] for r in db.query(
        "SELECT finding_id, sig FROM review_findings WHERE review_id = ?", [review_id])}


def new_findings(db: sqlite_utils.Database, review_id: int) -> set[str]:
    return {r["finding_id"] for r in db.query(
        "SELECT finding_id FROM review_findings WHERE review_id = ? AND new = 1", [review_id])}


def replace_review_findings(db: sqlite_utils.Database, review_id: int,
                            rows: list[tuple[str, str, bool]]) -> None:
    """Record the findings a review now sees: ``(finding id, signature, new)``."""
    db.execute("DELETE FROM review_findings WHERE review_id = ?", [review_id])
    db["review_findings"].insert_all(
        ({"review_id": review_id, "finding_id": fid, "sig": sig, "new": int(new)}
         for fid, sig, new in rows), batch_size=1000)


def clear_new(db: sqlite_utils.Database, review_id: int, finding_id: str) -> None:
    db.execute("UPDATE review_findings SET new = 0 WHERE review_id = ? AND finding_id = ?",
               [review_id, finding_id])


def item_prints(db: sqlite_utils.Database, review_id: int) -> dict[str, dict[str, Any]]:
    return {r["item_id"]: json.loads(r["fingerprint"]) for r in db.query(
        "SELECT item_id, fingerprint FROM item_evidence WHERE review_id = ?", [review_id])}


def item_print(db: sqlite_utils.Database, review_id: int, item_id: str) -> dict[str, Any] | None:
    """One item's evidence fingerprint (what :func:`item_prints` holds for it)."""
    row = db.execute("SELECT fingerprint FROM item_evidence WHERE review_id = ? AND item_id = ?",
                     [review_id, item_id]).fetchone()
    return json.loads(row[0]) if row else None


def replace_item_prints(db: sqlite_utils.Database, review_id: int,
                        prints: dict[str, dict[str, Any]]) -> None:
    db.execute("DELETE FROM item_evidence WHERE review_id = ?", [review_id])
    db["item_evidence"].insert_all(
        ({"review_id": review_id, "item_id": item_id, "fingerprint": _json(fp)}
         for item_id, fp in prints.items()), batch_size=500)


_REF_COLUMNS = ('id, "check", rule, category, severity, file, location, match, message_zh, '
                'message_en, context')


def _ref(row: tuple) -> FindingRef:
    fid, check, rule, category, severity, file, location, match, zh, en, context = row
    return FindingRef(
        id=fid, check=check, rule=rule, category=category, severity=severity, file=file,
        location=json.loads(location) if location and location != "{}" else {},
        match=match or "", message={"zh": zh or "", "en": en or ""}, context=context or "",
    )


def finding_refs(db: sqlite_utils.Database, scan_id: int) -> list[FindingRef]:
    """The findings of a scan, light: what the review needs (no JSON extras).

    Ordered by severity (errors first), check, file and id.
    """
    rows = db.execute(
        f"SELECT {_REF_COLUMNS} FROM findings WHERE scan_id = ? "
        "ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, "
        '"check", file, id', [scan_id]).fetchall()
    return [_ref(r) for r in rows]


# ---------------------------------------------------------------- notes, decisions

def add_note(db: sqlite_utils.Database, review_id: int, actor: str, text: str,
             target: str | None = None, carried_from: int | None = None,
             at: str | None = None) -> int:
    return db["notes"].insert({"review_id": review_id, "at": at or now(), "actor": actor,
                               "target": target, "text": text,
                               "carried_from": carried_from}).last_pk


def notes(db: sqlite_utils.Database, review_id: int) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM notes WHERE review_id = ? ORDER BY id", [review_id]))


def add_decision(db: sqlite_utils.Database, review_id: int, decision: str, comment: str | None,
                 actor: str) -> Decision:
    at = now()
    db["decisions"].insert({"review_id": review_id, "decision": decision, "comment": comment,
                            "decided_at": at, "actor": actor})
    return Decision(decision, comment, at, actor)


def latest_decision(db: sqlite_utils.Database, review_id: int) -> Decision | None:
    rows = list(db.query("SELECT * FROM decisions WHERE review_id = ? ORDER BY id DESC LIMIT 1",
                         [review_id]))
    if not rows:
        return None
    r = rows[0]
    return Decision(r["decision"], r["comment"], r["decided_at"], r["actor"])


# ---------------------------------------------------------------- audit

def audit(db: sqlite_utils.Database, review_id: int | None, package_id: int | None, actor: str,
          action: str, target: str | None, old: Any = None, new: Any = None) -> int:
    """Append one row to the audit trail (call inside the change's transaction)."""
    return db["audit"].insert({
        "review_id": review_id, "package_id": package_id, "at": now(), "actor": actor,
        "action": action, "target": target, "old": _json(old), "new": _json(new),
    }).last_pk


def audit_rows(db: sqlite_utils.Database, package_id: int) -> list[dict[str, Any]]:
    """The audit trail of the package's review history — every path of it (its home and
    the packages continuing it) — oldest first, with the digest of each row's review."""
    home = review_home(db, package_id)
    rows = list(db.query(
        "SELECT a.*, r.digest FROM audit a LEFT JOIN reviews r ON r.id = a.review_id "
        "WHERE a.package_id = ? OR a.package_id IN "
        "(SELECT package_id FROM review_homes WHERE home_id = ?) ORDER BY a.id", [home, home]))
    for row in rows:
        row["old"] = _load(row["old"])
        row["new"] = _load(row["new"])
    return rows


def changed_since_decision(db: sqlite_utils.Database, review_id: int) -> bool:
    """Whether answers, dispositions or the findings changed after the latest decision."""
    rows = list(db.query(
        "SELECT max(id) AS d FROM audit WHERE review_id = ? AND action = 'decide'", [review_id]))
    last = rows[0]["d"] if rows else None
    if last is None:
        return False
    rows = list(db.query(
        "SELECT count(*) AS n FROM audit WHERE review_id = ? AND id > ? AND action IN "
        "('answer', 'clear-answer', 'dispose', 'clear-disposition', 'sync', 'resolve', "
        "'consolidate')", [review_id, last]))
    return bool(rows[0]["n"])


def get_answer(db: sqlite_utils.Database, review_id: int, item_id: str) -> AnswerState | None:
    rows = list(db.query("SELECT * FROM answers WHERE review_id = ? AND item_id = ?",
                         [review_id, item_id]))
    return _answer(rows[0]) if rows else None


def get_disposition(db: sqlite_utils.Database, review_id: int, finding_id: str
                    ) -> DispositionState | None:
    rows = list(db.query("SELECT * FROM dispositions WHERE review_id = ? AND finding_id = ?",
                         [review_id, finding_id]))
    return _disposition(rows[0]) if rows else None


def find_finding_ids(db: sqlite_utils.Database, scan_id: int, id_or_prefix: str) -> list[str]:
    """Finding ids of a scan equal to, or starting with, ``id_or_prefix`` (at most 2)."""
    exact = list(db.query("SELECT id FROM findings WHERE scan_id = ? AND id = ?",
                          [scan_id, id_or_prefix]))
    if exact:
        return [exact[0]["id"]]
    escaped = id_or_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return [r["id"] for r in db.query(
        "SELECT id FROM findings WHERE scan_id = ? AND id LIKE ? ESCAPE '\\' LIMIT 2",
        [scan_id, escaped + "%"])]


def open_errors(db: sqlite_utils.Database, scan_id: int, review_id: int,
                finding_ids: list[str]) -> list[FindingRef]:
    """Of ``finding_ids``, the findings of severity ``error`` that have no disposition
    in the review (ordered by check, file and id)."""
    if not finding_ids:
        return []
    rows = db.execute(
        f"SELECT {_REF_COLUMNS} FROM findings WHERE scan_id = ? AND severity = 'error' "
        "AND id IN (SELECT value FROM json_each(?)) AND id NOT IN "
        "(SELECT finding_id FROM dispositions WHERE review_id = ?) "
        'ORDER BY "check", file, id', [scan_id, json.dumps(finding_ids), review_id]).fetchall()
    return [_ref(r) for r in rows]


def finding_ref(db: sqlite_utils.Database, scan_id: int, finding_id: str) -> FindingRef | None:
    row = db.execute(f"SELECT {_REF_COLUMNS} FROM findings WHERE scan_id = ? AND id = ?",
                     [scan_id, finding_id]).fetchone()
    return _ref(row) if row else None
