"""The reviewer's terminal UI: the app and the factory the CLI and the tests share (room: tui).

Start-up stays light: this module imports Textual and the UI's own modules;
the store, the scan service, spaCy and jieba are imported when first needed
(the scan itself runs in a worker thread), so the library is on screen in a
fraction of a second.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.reactive import reactive
from textual.screen import Screen

from reviewer.i18n import LANGS, set_language, t
from reviewer.tui.actions import ActionSpec, actions_for, bindings_for
from reviewer.tui.localized import relabel_bindings


class ReviewerApp(App):
    """Library → package (findings, reader, coverage, checklists, summary)."""

    CSS_PATH = "app.tcss"
    TITLE = "reviewer"
    BINDINGS = bindings_for("app", "zh")
    ACTION_SCOPE = "app"

    lang: reactive[str] = reactive("zh", init=False)

    def __init__(self, db_path: str | Path | None = None, lang: str = "zh",
                 open_path: str | Path | None = None) -> None:
        super().__init__()
        self.db_path = Path(db_path) if db_path else None
        self._db = None
        self.set_reactive(ReviewerApp.lang, lang if lang in LANGS else "zh")
        set_language(self.lang)
        self.open_path = str(open_path) if open_path else None
        self._opening_timer = None  # the "opening…" note, while a package loads
        self._opening_note = None  # …and the note itself, once shown

    # -- the store, opened on first use
    @property
    def db(self):
        if self._db is None:
            from reviewer.paths import default_db
            from reviewer.service.api import open_store

            if self.db_path is None:
                self.db_path = default_db()
            self._db = open_store(self.db_path)
        return self._db

    def on_mount(self) -> None:
        from reviewer.tui.screens.library import LibraryScreen

        relabel_bindings(self, self.lang)
        self.push_screen(LibraryScreen(self.lang))
        if self.open_path:
            self.open_package(self.open_path)

    def on_unmount(self) -> None:
        if self._db is not None:
            self._db.conn.close()

    # -- opening packages
    def open_package(self, path: str, rescan: bool = False) -> None:
        """Open ``path``: scan it first when it was never scanned (or ``rescan``)."""
        from reviewer.service.ui_support import has_scan

        self.db  # noqa: B018 - make sure db_path is resolved before the worker needs it
        if rescan or not has_scan(self.db, path):
            from reviewer.tui.screens.scan import ScanScreen

            def scanned(result) -> None:
                if result is not None and result.status == "done":
                    if result.rule_errors:
                        self.notify("\n".join([t("tui.scan.rule_errors", self.lang,
                                                  count=len(result.rule_errors)),
                                                *result.rule_errors[:5]]),
                                    severity="warning", timeout=10, markup=False)
                    self.call_later(self._push_package, path)
                elif result is not None and result.message:
                    self.notify(result.message, severity="warning", markup=False)

            self.push_screen(ScanScreen(self.db_path, path, self.lang), scanned)
        else:
            self._push_package(path)

    def _push_package(self, path: str) -> None:
        """Load the package in a worker thread (10,000 findings take about a second), then show it."""
        from reviewer.tui.session import PackageSession

        # say "opening…" only when it takes long enough to notice
        self._opening_timer = self.set_timer(0.4, self._say_opening)
        self.run_worker(lambda: PackageSession(self.db, path), name="open-package",
                        group="open-package", thread=True, exclusive=True, exit_on_error=False)

    def _say_opening(self) -> None:
        """The package is still loading after 0.4 s: say so until it has opened."""
        from textual.notifications import Notification, Notify

        self._opening_note = Notification(t("tui.package.opening", self.lang), "", "information",
                                          timeout=30)
        self.post_message(Notify(self._opening_note))

    def on_worker_state_changed(self, event) -> None:
        from textual.worker import WorkerState

        if event.worker.name != "open-package":
            return
        if event.state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            if self._opening_timer is not None:
                self._opening_timer.stop()
            if self._opening_note is not None:  # opened: "opening…" is no longer true
                self._unnotify(self._opening_note)
                self._opening_note = None
        if event.state == WorkerState.SUCCESS:
            from reviewer.tui.screens.package import PackageScreen

            self.push_screen(PackageScreen(event.worker.result, self.lang))
        elif event.state == WorkerState.ERROR:
            from reviewer.i18n import CodedError, error_text

            error = event.worker.error
            if isinstance(error, OSError) and error.filename:  # say which file, in words
                error = CodedError(None, "file.unreadable", path=str(error.filename), reason=error)
            self.notify(t("tui.package.open_failed", self.lang, error=error_text(error, self.lang)),
                        severity="error", markup=False)

    def action_help_quit(self) -> None:
        """Ctrl+C: say how to quit (Textual's own hint is English only)."""
        self.notify(t("tui.quit_hint", self.lang))

    # -- actions available everywhere
    def action_command_palette(self) -> None:
        """Ctrl+P: Textual's palette, its search box prompting in the interface language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=t("tui.palette.placeholder", self.lang),
                                            id="--command-palette"))

    def action_help(self) -> None:
        from reviewer.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen(self.scopes_of(self.screen), self.lang))

    def action_language(self) -> None:
        self.lang = "en" if self.lang == "zh" else "zh"

    def watch_lang(self, lang: str) -> None:
        """The one language of the interface: the catalogs and the key labels follow here;
        every screen and view that shows text follows by itself (:class:`FollowsLanguage`,
        its watchers run after this)."""
        set_language(lang)
        relabel_bindings(self, lang)
        for screen in self.screen_stack:
            relabel_bindings(screen, lang)
            for node in screen.query("*"):
                if getattr(node, "ACTION_SCOPE", None):
                    relabel_bindings(node, lang)
        self.screen.refresh_bindings()

    # -- one registry → help and command palette
    def scopes_of(self, screen: Screen) -> list[tuple[object, str]]:
        """``(node, scope)`` pairs whose actions apply on ``screen`` right now."""
        pairs: list[tuple[object, str]] = []
        scope_fn = getattr(screen, "active_scopes", None)
        if scope_fn is not None:
            pairs.extend(scope_fn())
        elif getattr(screen, "ACTION_SCOPE", None):
            pairs.append((screen, screen.ACTION_SCOPE))
        pairs.append((self, "app"))
        return pairs

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        lang = self.lang
        for node, scope in self.scopes_of(screen):
            for spec in actions_for(scope):
                if spec.name == "command_palette":
                    continue
                yield SystemCommand(f"{spec.label(lang)} ({spec.keys_shown})", spec.help(lang),
                                    self._runner(node, spec))

    def _runner(self, node, spec: ActionSpec):
        """A palette callback that runs ``spec`` on ``node`` (sync or async handlers)."""
        def run() -> None:
            self.call_later(getattr(node, f"action_{spec.name}"))

        return run


def create_app(db_path: str | Path | None = None, lang: str | None = None,
               open_path: str | Path | None = None) -> ReviewerApp:
    """The app as ``reviewer`` / ``reviewer open`` and the tests build it."""
    import os

    return ReviewerApp(db_path, lang=lang or os.environ.get("REVIEWER_LANG") or "zh",
                       open_path=open_path)  # an unknown language falls back to zh there
