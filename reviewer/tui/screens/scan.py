"""Scanning a package with live progress, cancellable with Escape (room: tui).

The scan runs in a thread worker that calls :func:`reviewer.service.scan.scan`
with its own database connection.  The progress callback never touches a
widget: it posts small :class:`ScanScreen.Progress` messages, at most one
every 50 ms per stage (plus the first and the last), and the screen updates
its bars when they arrive.  Escape cancels the worker; the scan stops at the
next file or check and records nothing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Label, ProgressBar
from textual.worker import Worker, WorkerState, get_current_worker

from reviewer.i18n import t
from reviewer.tui.actions import bindings_for
from reviewer.tui.localized import FollowsLanguage, relabel_bindings
from reviewer.tui.widgets.title_bar import TitleBar

#: Minimum seconds between two progress messages of the same stage.
COALESCE_S = 0.05


@dataclass(frozen=True, slots=True)
class ScanResult:
    """How the scan ended: ``status`` is ``done``, ``cancelled`` or ``error``."""

    status: str
    path: str
    message: str = ""
    findings: int = 0
    rule_errors: tuple[str, ...] = ()  # rule files that could not be used


class ProgressRelay:
    """Turns a flood of progress callbacks into a trickle of messages.

    ``post`` is called with each message to send; a message is sent when the
    stage changes, at the first and last step, or when ``interval`` seconds
    have passed since the last one.
    """

    def __init__(self, post, interval: float = COALESCE_S, clock=time.monotonic) -> None:
        self.post = post
        self.interval = interval
        self.clock = clock
        self.last_sent = float("-inf")
        self.last_stage = ""
        self.sent = 0
        self.seen = 0

    def __call__(self, progress) -> None:
        self.seen += 1
        now = self.clock()
        edge = progress.done == 0 or progress.done >= progress.total
        if progress.stage != self.last_stage or edge or now - self.last_sent >= self.interval:
            self.last_sent = now
            self.last_stage = progress.stage
            self.sent += 1
            self.post(progress)


class ScanScreen(FollowsLanguage, Screen[ScanResult]):
    """Two progress bars (files, checks) and what is being read or checked right now."""

    CSS_PATH = "scan.tcss"
    ACTION_SCOPE = "scan"
    BINDINGS = bindings_for("scan", "zh")

    class Progress(Message):
        """A coalesced progress step from the worker."""

        def __init__(self, stage: str, label: str, done: int, total: int) -> None:
            super().__init__()
            self.stage, self.label, self.done, self.total = stage, label, done, total

    def __init__(self, db_path: str | Path, path: str | Path, lang: str = "zh") -> None:
        super().__init__()
        relabel_bindings(self, lang)
        self.db_path = str(db_path)
        self.path = str(path)
        self.lang = lang
        self.worker: Worker | None = None
        self.finished: ScanResult | None = None
        self.updates = 0  # progress messages shown (the tests read it)
        self.last: dict[str, tuple[int, int]] = {}  # stage → (done, total) last shown
        self._status: list[tuple[str, dict]] = [("tui.scan.hint", {})]  # catalog keys shown

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield TitleBar(t("tui.scan.title", lang, name=Path(self.path).name), lang)
        with Vertical(id="scan-body"):
            yield Label(t("tui.scan.files", lang), classes="heading", id="files-heading")
            yield ProgressBar(id="files-bar", show_eta=False)
            yield Label("", id="files-label", markup=False)
            yield Label(t("tui.scan.checks", lang), classes="heading", id="checks-heading")
            yield ProgressBar(id="checks-bar", show_eta=False)
            yield Label("", id="checks-label", markup=False)
            yield Label(t("tui.scan.hint", lang), id="status", markup=False)
        yield Footer(compact=True)

    def set_lang(self, lang: str) -> None:
        """F2 while scanning: headings and the status line in ``lang``."""
        self.lang = lang
        self.query_one(TitleBar).set_title(t("tui.scan.title", lang, name=Path(self.path).name))
        self.query_one("#files-heading", Label).update(t("tui.scan.files", lang))
        self.query_one("#checks-heading", Label).update(t("tui.scan.checks", lang))
        self._show_status(*self._status)

    def _show_status(self, *parts: tuple[str, dict]) -> None:
        self._status = list(parts)
        self.query_one("#status", Label).update(
            "  ".join(t(key, self.lang, **values) for key, values in parts))

    def on_mount(self) -> None:
        self.worker = self.run_worker(self._work, name="scan", thread=True, exit_on_error=False)

    # -- runs in the worker thread: no widgets here
    def _work(self):
        from reviewer.service.api import open_store
        from reviewer.service.scan import scan

        worker = get_current_worker()
        relay = ProgressRelay(lambda p: self.post_message(
            self.Progress(p.stage, p.label, p.done, p.total)))
        db = open_store(self.db_path)
        try:
            return scan(db, self.path, on_progress=relay, cancel=lambda: worker.is_cancelled,
                        lang=self.lang)
        finally:
            db.conn.close()

    # -- back on the UI thread
    def on_scan_screen_progress(self, event: Progress) -> None:
        self.updates += 1
        self.last[event.stage] = (event.done, event.total)
        bar_id, label_id = ("#files-bar", "#files-label") if event.stage == "ingest" \
            else ("#checks-bar", "#checks-label")
        bar = self.query_one(bar_id, ProgressBar)
        bar.update(total=max(event.total, 1), progress=event.done)
        if event.stage == "ingest":
            self.query_one("#checks-bar", ProgressBar).update(total=None)
        label = event.label
        if event.stage == "checks" and label:
            from reviewer.tui.widgets.findings_table import check_label

            label = check_label(label, self.lang)
        self.query_one(label_id, Label).update(f"{event.done}/{event.total}  {label}")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self.worker:
            return
        state = event.state
        if state == WorkerState.SUCCESS:
            outcome = event.worker.result
            self._finish(ScanResult("done", self.path, findings=len(outcome.findings),
                                    rule_errors=tuple(getattr(outcome, "rule_errors", ()))))
        elif state == WorkerState.CANCELLED:
            self._finish(ScanResult("cancelled", self.path, t("tui.scan.cancelled", self.lang)))
        elif state == WorkerState.ERROR:
            from reviewer.service.scan import ScanCancelled

            error = event.worker.error
            if isinstance(error, ScanCancelled):
                self._finish(ScanResult("cancelled", self.path, t("tui.scan.cancelled", self.lang)))
                return
            from reviewer.i18n import error_text

            said = error_text(error, self.lang)
            message = t("tui.scan.failed", self.lang, error=said)
            self.finished = ScanResult("error", self.path, message)
            self._show_status(("tui.scan.failed", {"error": said}), ("tui.scan.back", {}))
            for bar in self.query(ProgressBar):  # an indeterminate bar would go on sweeping
                if bar.total is None:
                    bar.update(total=1, progress=0)
            self.add_class("failed")

    def _finish(self, result: ScanResult) -> None:
        if self.finished is not None:
            return
        self.finished = result
        if self.is_active:
            self.dismiss(result)
        # else: a dialog (help, palette) is on top; leave when it closes

    def on_screen_resume(self) -> None:
        if self.finished is not None and self.finished.status != "error":
            self.dismiss(self.finished)

    def action_cancel_scan(self) -> None:
        if self.finished is not None:
            if self.is_active:
                self.dismiss(self.finished)
            return
        if self.worker is not None and self.worker.is_running:
            self._show_status(("tui.scan.cancelling", {}))
            self.worker.cancel()
