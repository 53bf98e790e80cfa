"""A workspace and the review of one package in it — room: service.

The shells hold these instead of repeating a preamble in every command (open the
store, load the checklists, work out who is acting) and passing ``db, path,
checklists=, actor=`` to each call::

    ws = Workspace("state.db", actor="王明")
    review = ws.review("courses/ds")
    review.answer("P1", "pass")
    review.dispose("3f2a9c", "false-alarm", "讲解学术诚信的反面案例")
    review.decide("recommend", "符合要求")

:class:`Workspace` owns the state database — one connection per thread, since a
SQLite connection may not cross threads (the terminal UI's workers open their own
through it) — the checklists in force, loaded once, and the acting reviewer.
:class:`ReviewSession` is one package's review: every action is committed by the
review service at once, exactly as the module functions of
:mod:`reviewer.service.review` and :mod:`reviewer.service.team` do (they remain the
implementation; this is the way in).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils

    from reviewer.review.checklist import ChecklistSet


class Workspace:
    """One state database, the checklists in force and the acting reviewer."""

    def __init__(self, db_path: str | Path | None = None, *, actor: str | None = None,
                 checklists: ChecklistSet | None = None,
                 db: sqlite_utils.Database | None = None) -> None:
        """``db_path`` (default ``$REVIEWER_DB`` or the user's data folder), or an open
        ``db`` to use in the thread that made it; ``actor`` as the review service reads
        it (``None``: the profile, then ``$REVIEWER_NAME``)."""
        self.db_path = db_path
        self.actor = actor
        self._checklists = checklists
        self._local = threading.local()
        self._owner = threading.get_ident() if db is not None else None
        self._given = db
        self._opened: list[sqlite_utils.Database] = []
        self._lock = threading.Lock()

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection (opened on first use)."""
        if self._given is not None and threading.get_ident() == self._owner:
            return self._given
        db = getattr(self._local, "db", None)
        if db is None:
            from reviewer.service.api import open_store

            path = self.db_path
            if path is None and self._given is not None:
                path = self._given.conn.execute("PRAGMA database_list").fetchone()[2]
            db = open_store(path)
            self._local.db = db
            with self._lock:
                self._opened.append(db)
        return db

    def checklists(self) -> ChecklistSet:
        """The checklists in force (loaded on first use, once)."""
        if self._checklists is None:
            from reviewer.service.review import load_checklists

            self._checklists = load_checklists()
        return self._checklists

    def review(self, path: str | Path) -> ReviewSession:
        """The review of the package at ``path`` (scanned before; the first action opens it)."""
        return ReviewSession(self, path)

    def close(self) -> None:
        """Close the connections this workspace opened (not one it was given)."""
        with self._lock:
            opened, self._opened = self._opened, []
        for db in opened:
            db.conn.close()
        self._local = threading.local()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ReviewSession:
    """One package's review in a :class:`Workspace`; each method is one committed action
    (or one read).  Refusals raise :class:`~reviewer.review.errors.ReviewError`."""

    def __init__(self, workspace: Workspace, path: str | Path) -> None:
        from reviewer.service.scan import package_key

        self.workspace = workspace
        self.path = package_key(path)

    def _common(self) -> dict[str, Any]:
        return {"checklists": self.workspace.checklists(), "actor": self.workspace.actor}

    # -- reading
    def status(self):
        """The whole state of the review (:class:`~reviewer.service.review.ReviewStatus`)."""
        from reviewer.service import review

        return review.review_status(self.workspace.db, self.path, **self._common())

    def evidence(self, item_id: str):
        """An item's findings and its other facts."""
        from reviewer.service import review

        return review.item_evidence(self.workspace.db, self.path, item_id,
                                    checklists=self.workspace.checklists())

    def audit(self) -> list:
        """Every recorded change to the package's reviews, oldest first."""
        from reviewer.service import review

        return review.audit_log(self.workspace.db, self.path)

    def export(self) -> dict[str, Any]:
        """Answers, dispositions and notes as plain data (see ``reviewer review export``)."""
        from reviewer.service import review

        return review.export_answers(self.workspace.db, self.path, **self._common())

    # -- acting
    def answer(self, item_id: str, answer: str, comment: str | None = None, *,
               confirm_open_findings: bool = False):
        from reviewer.service import review

        return review.answer_item(self.workspace.db, self.path, item_id, answer, comment,
                                  confirm_open_findings=confirm_open_findings, **self._common())

    def clear_answer(self, item_id: str) -> bool:
        from reviewer.service import review

        return review.clear_answer(self.workspace.db, self.path, item_id, **self._common())

    def dispose(self, finding_id: str, disposition: str, reason: str | None = None, *,
                group: bool = False):
        """A finding's disposition — or, with ``group``, that of every finding of its group."""
        from reviewer.service import review

        act = review.dispose_group if group else review.dispose_finding
        return act(self.workspace.db, self.path, finding_id, disposition, reason, **self._common())

    def clear_disposition(self, finding_id: str) -> bool:
        from reviewer.service import review

        return review.clear_disposition(self.workspace.db, self.path, finding_id,
                                        **self._common())

    def decide(self, decision: str, comment: str | None = None):
        from reviewer.service import review

        return review.decide(self.workspace.db, self.path, decision, comment, **self._common())

    def note(self, text: str, target: str | None = None) -> int:
        from reviewer.service import review

        return review.add_note(self.workspace.db, self.path, text, target, **self._common())

    def import_(self, data: Any):
        """Apply an exported (and edited) file's answers, dispositions and notes."""
        from reviewer.service import review

        return review.import_answers(self.workspace.db, self.path, data, **self._common())

    # -- a review team
    def team(self) -> list:
        from reviewer.service import team

        return team.team(self.workspace.db, self.path, **self._common())

    def add_member(self, name: str, *, chair: bool = False, institution: str | None = None,
                   keyid: str | None = None):
        from reviewer.service import team

        return team.add_member(self.workspace.db, self.path, name, chair=chair,
                               institution=institution, keyid=keyid, **self._common())

    def remove_member(self, name: str) -> bool:
        from reviewer.service import team

        return team.remove_member(self.workspace.db, self.path, name, **self._common())

    def disagreements(self) -> list:
        from reviewer.service import team

        return team.disagreements(self.workspace.db, self.path, **self._common())

    def resolve(self, item_id: str, answer: str, comment: str | None = None, *,
                confirm_open_findings: bool = False):
        from reviewer.service import team

        return team.resolve(self.workspace.db, self.path, item_id, answer, comment,
                            confirm_open_findings=confirm_open_findings, **self._common())
