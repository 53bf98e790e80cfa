"""The findings view: search and filter bar, the table, the detail pane (room: tui).

Keys (from the action registry): ``c`` confirm, ``x`` false alarm (asks the
reason), ``a`` accept (asks the justification), ``j``/Enter jump to the text,
``/`` search, ``v``/``k``/``g``/``d`` pick the severity/check/category/
disposition filters, ``r`` clear them, ``o``/``i`` sort order, ``e`` one row per
group (the default: findings of one rule and text, ×count) or per occurrence.
On a group's row ``c``/``x``/``a`` dispose of every finding of the group at once.
The search box is debounced: the view is recomputed 0.2 s after the last keystroke.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Label, Static

from reviewer.i18n import t
from reviewer.tui.actions import bindings_for
from reviewer.tui.localized import FollowsLanguage, relabel_bindings
from reviewer.tui.findings_model import UNDECIDED, FindingRow
from reviewer.tui.screens.choose import Choice, ChooseModal
from reviewer.tui.screens.prompt import TextPrompt
from reviewer.tui.widgets.finding_detail import FindingDetail
from reviewer.tui.widgets.findings_table import (FindingsTable, category_label, check_label,
                                                 header_text)
from reviewer.tui.widgets.search_input import SearchInput

#: Seconds of quiet in the search box before the view is filtered.
DEBOUNCE_S = 0.2


class FindingsView(FollowsLanguage, Vertical):
    """Everything about findings; posts :class:`FindingsView.Jump` to open the reader."""

    ACTION_SCOPE = "findings"
    BINDINGS = bindings_for("findings", "zh")
    DEFAULT_CSS = """
    FindingsView #fv-bar { height: 1; }
    FindingsView #fv-search { width: 20; height: 1; border: none; padding: 0 1; }
    FindingsView #fv-filters { width: 1fr; height: 1; padding: 0 1; color: $text-muted; }
    FindingsView #fv-header { height: 1; background: $boost; text-style: bold; }
    """

    class Jump(Message):
        """Open the reader at ``row``'s location."""

        def __init__(self, row: FindingRow) -> None:
            super().__init__()
            self.row = row

    class Changed(Message):
        """A disposition was recorded (the package screen refreshes its badges)."""

    def __init__(self, session, lang: str = "zh", **kwargs) -> None:
        super().__init__(**kwargs)
        relabel_bindings(self, lang)
        self.session = session
        self.model = session.model
        self.lang = lang
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="fv-bar"):
            yield SearchInput(placeholder=t("tui.findings.search", self.lang), id="fv-search",
                              compact=True)
            yield Label("", id="fv-filters", markup=False)
        yield Static("", id="fv-header", markup=False)
        yield FindingsTable(self.model, self.lang, id="fv-table")
        yield FindingDetail(self.lang, id="fv-detail")

    def on_mount(self) -> None:
        try:
            table = self.table
        except NoMatches:  # removed before its mount was handled (the app is closing)
            return
        table.reload()
        self.call_after_refresh(self.update_bar)

    def on_resize(self) -> None:
        self.update_bar()

    @property
    def table(self) -> FindingsTable:
        return self.query_one("#fv-table", FindingsTable)

    def focus_main(self) -> None:
        self.table.focus()

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.table.lang = lang
        self.table.refresh()
        detail = self.query_one(FindingDetail)
        detail.lang = lang
        self.show_detail(self.table.current)
        self.query_one("#fv-search", SearchInput).placeholder = t("tui.findings.search", lang)
        self.update_bar()

    # -- bar and header
    def value_label(self, attr: str, value: str | None) -> str:
        """How a filter value reads on screen (``None``: all)."""
        if value is None:
            return t("tui.filter.all", self.lang)
        if attr == "severity":
            return t(f"severity.{value}", self.lang)
        if attr == "check":
            return check_label(value, self.lang)
        if attr == "disposition":
            return t(f"tui.disposition.{'none' if value == UNDECIDED else value}", self.lang)
        return category_label(value, self.lang)

    def update_bar(self) -> None:
        if not self.query("#fv-filters"):  # not composed yet (or already gone)
            return
        f = self.model.filters
        label = self.value_label

        counts = self.model.counts()
        text = t("tui.findings.bar_groups" if self.model.grouped else "tui.findings.bar",
                 self.lang,
                 severity=label("severity", f.severity), check=label("check", f.check),
                 category=label("category", f.category),
                 disposition=label("disposition", f.disposition),
                 shown=counts["shown"], total=counts["total"], undecided=counts["undecided"],
                 groups=counts["groups"])
        self.query_one("#fv-filters", Label).update(text)
        width = self.table.scrollable_content_region.width or max(20, self.size.width - 1)
        self.query_one("#fv-header", Static).update(
            header_text(width, self.lang, self.model.sort_key, self.model.reverse))

    # -- table events
    def on_findings_table_highlighted(self, event: FindingsTable.Highlighted) -> None:
        self.show_detail(event.row)

    def show_detail(self, row: FindingRow | None) -> None:
        self.query_one(FindingDetail).show(row, self.model.members(row) if row else None)

    def on_findings_table_selected(self, event: FindingsTable.Selected) -> None:
        self.post_message(self.Jump(event.row))

    # -- search (debounced)
    def on_input_changed(self, event: SearchInput.Changed) -> None:
        if event.input.id != "fv-search":
            return
        event.stop()
        if self._debounce is not None:
            self._debounce.stop()
        value = event.value
        self._debounce = self.set_timer(DEBOUNCE_S, lambda: self.apply_search(value))

    def apply_search(self, text: str) -> None:
        keep = self.table.current
        self.model.set_text(text)
        self.table.reload(keep)
        self.update_bar()

    def on_input_submitted(self, event: SearchInput.Submitted) -> None:
        if event.input.id == "fv-search":
            event.stop()
            if self._debounce is not None:
                self._debounce.stop()
            self.apply_search(event.value)
            self.table.focus()

    def on_search_input_left(self, event: SearchInput.Left) -> None:
        event.stop()
        self.table.focus()

    # -- actions
    def action_search(self) -> None:
        self.query_one("#fv-search", SearchInput).focus()

    def action_filter_severity(self) -> None:
        self.choose("severity")

    def action_filter_check(self) -> None:
        self.choose("check")

    def action_filter_category(self) -> None:
        self.choose("category")

    def action_filter_disposition(self) -> None:
        self.choose("disposition")

    def choose(self, attr: str) -> None:
        """Open the list of values of ``attr`` (with counts) and filter on the one picked."""
        lang = self.lang
        options: list[tuple[str | None, str]] = [
            (None, f"{t('tui.filter.all', lang)} ({len(self.model.rows)})")]
        options += [(value, f"{self.value_label(attr, value)} ({n})")
                    for value, n in self.model.tally(attr)]

        def chosen(choice: Choice | None) -> None:
            if choice is not None:
                self.model.set_filter(attr, choice.value)
                self._after_filter()

        self.app.push_screen(ChooseModal(t(f"tui.filter.title.{attr}", lang), options,
                                         getattr(self.model.filters, attr),
                                         t("tui.choose.keys", lang)), chosen)

    def action_clear_filters(self) -> None:
        self.model.clear()
        self.query_one("#fv-search", SearchInput).value = ""
        if self._debounce is not None:
            self._debounce.stop()
        self._after_filter()

    def _after_filter(self) -> None:
        self.table.reload(self.table.current)
        self.update_bar()

    def action_sort(self) -> None:
        keep = self.table.current
        self.model.next_sort()
        self.table.reload(keep)
        self.update_bar()

    def action_reverse(self) -> None:
        keep = self.table.current
        self.model.flip()
        self.table.reload(keep)
        self.update_bar()

    def action_toggle_groups(self) -> None:
        """One row per group, or one per finding (to dispose of one occurrence alone)."""
        keep = self.table.current
        self.model.set_grouped(not self.model.grouped)
        self.table.reload(keep)
        self.update_bar()

    def action_jump(self) -> None:
        row = self.table.current
        if row is not None:
            self.post_message(self.Jump(row))

    def action_confirm(self) -> None:
        row = self.table.current
        if row is not None:
            self.record(row, "confirmed", None)

    def action_dismiss_false(self) -> None:
        self._ask(self.table.current, "false-alarm", "tui.findings.reason_title",
                  "tui.findings.reason_prompt")

    def action_accept(self) -> None:
        self._ask(self.table.current, "accepted", "tui.findings.accept_title",
                  "tui.findings.accept_prompt")

    def _ask(self, row: FindingRow | None, disposition: str, title: str, prompt: str) -> None:
        if row is None:
            return
        initial = row.reason if row.disposition == disposition else ""

        def answered(text: str | None) -> None:
            if text:
                self.record(row, disposition, text)

        what = row.finding.match or row.finding.rule
        size = self.model.group_size(row)
        if size > 1:
            what += " " + t("tui.findings.count", self.lang, n=size)
        self.app.push_screen(
            TextPrompt(t(title, self.lang, match=what),
                       t(prompt, self.lang), initial=initial, lang=self.lang), answered)

    def record(self, row: FindingRow, disposition: str, reason: str | None) -> None:
        """Call the review service now; on refusal show why and change nothing."""
        from reviewer.service.api import ReviewError

        try:
            self.session.dispose(row, disposition, reason, members=self.model.members(row))
        except ReviewError as exc:
            self.notify(exc.msg(self.lang), severity="error", markup=False)
            return
        position = self.table.cursor
        if self.model.filters.disposition is not None:
            self.model.refilter()
            self.table.reload()
            self.table.cursor = min(position, max(0, len(self.model.view) - 1))
        else:
            self.table.action_cursor(1)
            self.table.refresh()
        self.show_detail(self.table.current)
        self.update_bar()
        self.post_message(self.Changed())
