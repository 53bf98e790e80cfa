"""One package: findings, reader, coverage, checklists and summary behind number keys (room: tui).

The five views live in a ContentSwitcher so each keeps its cursor, filters
and scroll position while the reviewer moves between them with 1–5.  Views
send messages up (jump to the reader, something was recorded); this screen
routes them.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer

from reviewer.i18n import t
from reviewer.tui.actions import bindings_for
from reviewer.tui.localized import FollowsLanguage, relabel_bindings
from reviewer.tui.messages import ReviewChanged, ShowInReader
from reviewer.tui.widgets.checklist_view import ChecklistView
from reviewer.tui.widgets.coverage_view import CoverageView
from reviewer.tui.widgets.findings_view import FindingsView
from reviewer.tui.widgets.reader_view import ReaderView
from reviewer.tui.widgets.summary_view import SummaryView
from reviewer.tui.widgets.title_bar import TitleBar
from reviewer.tui.widgets.view_bar import VIEWS, ViewBar


class PackageScreen(FollowsLanguage, Screen):
    """The reviewer's workspace for one package version."""

    CSS_PATH = "package.tcss"
    ACTION_SCOPE = "package"
    #: Focus the findings table at once (not the search box: keys typed early are commands).
    AUTO_FOCUS = "FindingsTable"
    BINDINGS = bindings_for("package", "zh")

    def __init__(self, session, lang: str = "zh", view: str = "findings") -> None:
        super().__init__()
        relabel_bindings(self, lang)
        self.session = session
        self.lang = lang
        self.initial_view = view
        self.stale: set[str] = set()  # views to refill when next shown
        self.changed = False  # the files on disk differ from the version scanned
        self.digest_checked = False
    def compose(self) -> ComposeResult:
        s, lang = self.session, self.lang
        yield TitleBar(self.title_text(), lang)
        yield ViewBar(lang, self.initial_view, id="views")
        with ContentSwitcher(initial=self.initial_view, id="switcher"):
            yield FindingsView(s, lang, id="findings")
            yield ReaderView(s, lang, id="reader")
            yield CoverageView(s, lang, id="coverage")
            yield ChecklistView(s, lang, id="checklists")
            yield SummaryView(s, lang, id="summary")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.update_badges()
        self.call_after_refresh(lambda: self.current_view().focus_main())
        self.run_worker(self._digest_now, name="digest", thread=True, exit_on_error=False)

    def _digest_now(self) -> str | None:
        """Worker: hash the package as it is on disk now (no widgets touched here)."""
        from reviewer.service.ui_support import current_digest

        return current_digest(self.session.path)

    def on_worker_state_changed(self, event) -> None:
        from textual.worker import WorkerState

        if event.worker.name != "digest" or event.state != WorkerState.SUCCESS:
            return
        self.digest_checked = True
        now = event.worker.result
        scanned = self.session.loaded.package.get("digest")
        if now is not None and scanned and now != scanned:
            self.changed = True
            self.update_badges()
            self.notify(t("tui.package.changed", self.lang), severity="warning", timeout=10)

    def title_text(self) -> str:
        state = self.session.state()
        text = t("tui.package.title", self.lang, title=self.session.title_in(self.lang),
                 state=t(f"tui.state.{state}", self.lang))
        if self.changed:
            text += " · " + t("tui.package.changed_short", self.lang)
        return text

    # -- views
    @property
    def current(self) -> str:
        return self.query_one("#switcher", ContentSwitcher).current or "findings"

    def current_view(self):
        return self.query_one(f"#{self.current}")

    def show_view(self, name: str) -> None:
        if name in self.stale:
            self.stale.discard(name)
            self.query_one(f"#{name}").fill()
        self.query_one("#switcher", ContentSwitcher).current = name
        self.query_one("#views", ViewBar).show(active=name)
        self.current_view().focus_main()
        self.refresh_bindings()

    def action_view_findings(self) -> None:
        self.show_view("findings")

    def action_view_reader(self) -> None:
        self.show_view("reader")

    def action_view_coverage(self) -> None:
        self.show_view("coverage")

    def action_view_checklists(self) -> None:
        self.show_view("checklists")

    def action_view_summary(self) -> None:
        self.show_view("summary")

    def action_view_team(self) -> None:
        """The chair's view of the review team (a screen of its own: disputes, resolving)."""
        from reviewer.tui.screens.team import TeamScreen

        def closed(changed: bool | None) -> None:
            if changed:
                self._review_changed()
                if self.current in ("checklists", "summary"):  # under it: show the new answers
                    self.current_view().fill()

        self.app.push_screen(TeamScreen(self.session, self.lang), closed)

    def active_scopes(self) -> list[tuple[object, str]]:
        view = self.current_view()
        return [(view, view.ACTION_SCOPE), (self, "package")]

    def update_badges(self) -> None:
        counts = self.session.model.counts()
        progress = self.session.checklist_progress()
        answered = sum(c["answered"] for c in progress)
        total = sum(c["total"] for c in progress)
        # both badges count what is done, so they read the same way
        done = counts["total"] - counts["undecided"]
        badges = {"findings": f"{done}/{counts['total']}",
                  "checklists": f"{answered}/{total}"}
        self.query_one("#views", ViewBar).show(badges=badges)
        self.query_one(TitleBar).set_title(self.title_text())

    # -- messages from the views
    def on_findings_view_jump(self, event: FindingsView.Jump) -> None:
        event.stop()
        self.show_view("reader")
        self.query_one(ReaderView).show_finding(event.row.finding)

    def on_show_in_reader(self, event: ShowInReader) -> None:
        event.stop()
        if not event.file:
            return
        self.show_view("reader")
        self.query_one(ReaderView).open_file(event.file, locator_key=event.locator_key,
                                             match=event.match)

    def on_findings_view_changed(self, event: FindingsView.Changed) -> None:
        event.stop()
        self._review_changed()

    def on_review_changed(self, event: ReviewChanged) -> None:
        event.stop()
        self._review_changed()

    def _review_changed(self) -> None:
        """Something was recorded: the badges now, the other views when next shown."""
        self.update_badges()
        for name in ("checklists", "summary"):
            if name != self.current:
                self.stale.add(name)

    # -- language, close, rescan
    def set_lang(self, lang: str) -> None:
        """The views have followed already (they mount, and so watch, before the screen)."""
        self.lang = lang
        self.query_one("#views", ViewBar).show(lang=lang)
        self.update_badges()

    def action_close(self) -> None:
        """Esc: from another view back to the findings; from the findings to the library."""
        if self.current != "findings":
            self.show_view("findings")
        else:
            self.dismiss()

    def action_rescan(self) -> None:
        path = self.session.path
        self.dismiss()
        self.app.open_package(path, rescan=True)
