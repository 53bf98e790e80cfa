"""One open package as the UI holds it: last scan, findings model, review state (room: tui).

A thin layer over :mod:`reviewer.service.scan` and a review session
(:class:`reviewer.service.session.ReviewSession`): every reviewer action calls the
service at once (the service commits it), then
updates the in-memory rows so the table shows it without reloading.  No widgets
here; screens call these methods and redraw.
"""

from __future__ import annotations

from typing import Any

from reviewer.tui.findings_model import FindingRow, FindingsModel


class NotScanned(Exception):
    """The package has no recorded scan yet."""


class PackageSession:
    """Everything the package screen shows, read from the store."""

    def __init__(self, db, path: str) -> None:
        from reviewer.service.scan import load_latest, package_key
        from reviewer.service.session import Workspace

        self.db = db
        self.path = package_key(path)
        loaded = load_latest(db, self.path)
        if loaded is None:
            raise NotScanned(self.path)
        self.loaded = loaded
        self.workspace = Workspace(db=db)  # the acting reviewer: the profile / $REVIEWER_NAME
        self.review = self.workspace.review(self.path)
        self._status = None
        self._last = None  # the last status read, kept while a fresh one isn't needed
        self.model = FindingsModel.from_findings(loaded.findings, self._dispositions())

    # -- basics
    @property
    def title(self) -> str:
        pkg = self.loaded.package
        return pkg.get("title") or pkg.get("course_id") or self.path

    def title_in(self, lang: str) -> str:
        """The course title in ``lang`` when the manifest gives one (``{zh, en}``)."""
        import json

        try:
            manifest = json.loads(self.loaded.package.get("manifest") or "null") or {}
        except ValueError:
            manifest = {}
        title = manifest.get("title") if isinstance(manifest, dict) else None
        if isinstance(title, dict) and title.get(lang):
            return str(title[lang])
        return self.title

    @property
    def files(self) -> list[dict[str, Any]]:
        return self.loaded.files

    @property
    def coverage(self) -> dict[str, Any] | None:
        return self.loaded.coverage

    def file_text(self, relpath: str):
        from reviewer.service.scan import file_text

        return file_text(self.db, self.path, relpath)

    def search(self, query: str, limit: int = 200):
        from reviewer.service.scan import search

        return search(self.db, self.path, query, limit)

    def row_by_id(self, finding_id: str) -> FindingRow | None:
        i = self.model.index_of(finding_id)
        return None if i is None else self.model.rows[i]

    # -- review state
    @property
    def status(self):
        """The :class:`~reviewer.service.review.ReviewStatus`, re-read when stale."""
        if self._status is None:
            self.refresh_status()
        return self._status

    def refresh_status(self):
        """Read the review state again (answers, dispositions, decision, blockers)."""
        self._status = self.review.status()
        self._last = self._status
        return self._status

    @property
    def recent(self):
        """The last status read, even if a disposition made it stale.

        Dispositions don't change checklist progress or the decision, so the
        title bar and badges can use this and skip re-reading 10,000 findings.
        """
        return self._last if self._last is not None else self.status

    def _dispositions(self) -> dict[str, dict]:
        return {f.id: {"disposition": f.disposition, "reason": f.reason,
                       "needs_recheck": f.needs_recheck, "new": f.new}
                for f in self.status.findings}

    def checklists(self):
        """The checklists in force (loaded once per session)."""
        return self.workspace.checklists()

    def dispose(self, row: FindingRow, disposition: str, reason: str | None = None, *,
                members: list[FindingRow] | None = None) -> None:
        """Record the disposition of ``row`` now (raises ``ReviewError`` when refused).

        With ``members`` (``row``'s group, when it has several) every finding of
        the group is disposed of, in one service call.  The rows are updated in
        place; the full status (blockers) is re-read lazily, when a view needs
        it, so a disposition costs one service call.
        """
        whole = members is not None and len(members) > 1
        self.review.dispose(row.finding.id, disposition, reason, group=whole)
        if not whole:
            members = [row]
        for m in members:
            m.disposition = disposition
            m.reason = reason or ""
            m.recheck = False
            m.new = False
        self._status = None

    def answer(self, item_id: str, answer: str, comment: str | None = None, *,
               confirm_open_findings: bool = False) -> None:
        """Record an answer (raises ``ReviewError``; ``open-findings`` when a pass needs
        the reviewer's confirmation, see :func:`reviewer.service.review.answer_item`)."""
        self.review.answer(item_id, answer, comment, confirm_open_findings=confirm_open_findings)
        self._status = None

    def team(self) -> list:
        """The review team (empty: one reviewer)."""
        return list(self.status.team)

    def disagreements(self) -> list:
        """The items the team's members answered differently (see :mod:`reviewer.service.team`)."""
        return self.review.disagreements()

    def resolve(self, item_id: str, answer: str, comment: str | None = None,
                confirm_open_findings: bool = False) -> None:
        """The chair's consolidated answer to an item (``open-findings`` as for
        :meth:`answer`)."""
        self.review.resolve(item_id, answer, comment, confirm_open_findings=confirm_open_findings)
        self._status = None

    def decide(self, decision: str, comment: str | None = None) -> None:
        self.review.decide(decision, comment)
        self._status = None

    def add_note(self, text: str) -> None:
        self.review.note(text)
        self._status = None

    def items(self) -> list[dict[str, Any]]:
        """Checklist items as dicts (``to_dict`` plus guidance and facts)."""
        out = []
        for item in self.status.items:
            d = item.to_dict()
            d["guidance"] = item.guidance
            out.append(d)
        return out

    def item(self, item_id: str) -> dict[str, Any] | None:
        return next((i for i in self.items() if i["id"] == item_id), None)

    def decision(self) -> dict[str, Any] | None:
        """The decision in force as ``{"decision", "comment", "outdated"}`` (``None``: none)."""
        d = self.status.decision
        if d is None:
            return None
        return {"decision": d.decision, "comment": d.comment,
                "outdated": self.status.decision_outdated}

    def blocker_groups(self) -> list[tuple[str, list[dict[str, Any]]]]:
        """The blockers in the groups a reviewer works through (to answer, to recheck, findings)."""
        return [(key, [b.to_dict() for b in members]) for key, members in self.status.blocker_groups]

    def state(self) -> str:
        """``in_review`` | ``decided`` | ``signed`` for the title bar."""
        from reviewer.service.ui_support import is_signed

        status = self.recent
        if is_signed(self.db, self.path, status.digest):
            return "signed"
        return "decided" if status.decision else "in_review"

    def checklist_progress(self) -> list[dict[str, Any]]:
        """Per checklist: ``{"id", "name", "answered", "total"}`` in checklist order."""
        return [{"id": p.checklist, "name": p.name, "answered": p.answered, "total": p.total}
                for p in self.recent.progress]

    def needs_comment(self, item_id: str, answer: str) -> bool:
        item = self.checklists().item(item_id)
        if item is None:
            return answer in ("fail", "na")
        return item.needs_comment(answer)
