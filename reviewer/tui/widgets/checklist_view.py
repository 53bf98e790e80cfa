"""The checklists: political, academic and quality items, answered with the keyboard (room: tui).

``p`` pass, ``f`` fail, ``n`` not applicable (a comment modal opens when the
answer needs one), ``m`` edit the comment, ``j`` open the first linked
evidence in the reader.  Each answer is recorded by the review service the
moment it is given; the cursor then moves to the next item.  A pass over
error findings of the item's evidence that nobody has disposed of opens a
confirmation (:class:`ConfirmPassModal`): the findings, and the comment that
says why the item passes anyway; Escape records nothing.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Label, Static

from reviewer.i18n import in_lang, t
from reviewer.tui.actions import bindings_for
from reviewer.tui.localized import FollowsLanguage, relabel_bindings
from reviewer.tui.messages import ReviewChanged, ShowInReader
from reviewer.tui.screens.confirm_pass import ask_to_pass
from reviewer.tui.screens.prompt import TextPrompt
from reviewer.tui.cells import fit
from reviewer.tui.widgets.findings_table import location_label


def progress_text(session, lang: str) -> Text:
    """``政治关 3/6 · 学术关 0/5 …`` from the review status."""
    out = Text()
    for i, cl in enumerate(session.checklist_progress()):
        if i:
            out.append("  ·  ")
        done = cl["answered"] == cl["total"] and cl["total"] > 0
        out.append(f"{in_lang(cl['name'], lang)} {cl['answered']}/{cl['total']}",
                   style="green" if done else "")
    return out


class ChecklistView(FollowsLanguage, Vertical):
    """Items in a table, the highlighted one's question, guidance, comment and evidence below."""

    ACTION_SCOPE = "checklists"
    BINDINGS = bindings_for("checklists", "zh")
    DEFAULT_CSS = """
    ChecklistView #ck-progress { height: 1; padding: 0 1; background: $boost; width: 100%; }
    ChecklistView #ck-table { height: 1fr; }
    ChecklistView #ck-detail-box { height: 9; border-top: solid $primary; padding: 0 1; }
    ChecklistView #ck-detail-box:focus { border-top: solid $accent; }
    """

    def __init__(self, session, lang: str = "zh", **kwargs) -> None:
        super().__init__(**kwargs)
        relabel_bindings(self, lang)
        self.session = session
        self.lang = lang
        self.items: list[dict] = []

    def compose(self) -> ComposeResult:
        yield Label("", id="ck-progress")
        yield DataTable(id="ck-table", cursor_type="row")
        with VerticalScroll(id="ck-detail-box"):  # Tab to it, arrows scroll a long item
            yield Static("", id="ck-detail")

    def on_mount(self) -> None:
        self.call_after_refresh(self.fill)

    def focus_main(self) -> None:
        self.query_one("#ck-table", DataTable).focus()

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.fill()

    # -- drawing
    def fill(self) -> None:
        lang = self.lang
        table = self.query_one("#ck-table", DataTable)
        keep = table.cursor_row or 0
        self.items = self.session.items()
        table.clear(columns=True)
        for col in ("id", "question", "answer", "blocking", "evidence"):
            table.add_column(t(f"tui.checklist.col.{col}", lang), key=col)
        width = max(16, (self.size.width or self.app.size.width) - 36)
        for item in self.items:
            answer = item.get("answer")
            answer_text = Text(t(f"tui.answer.{answer}" if answer else "tui.answer.none", lang),
                               style={"pass": "green", "fail": "bold red", "na": "cyan"}.get(
                                   answer or "", "yellow"))
            if item.get("needs_recheck"):
                answer_text.append(" ↻", style="yellow")
            if item.get("agreement") == "disputed":  # a review team's members differ
                answer_text.append(" ≠", style="bold red")
            question = in_lang(item.get("question"), lang).replace("\n", " ")
            question = fit(question, width)
            table.add_row(Text(item["id"]), Text(question), answer_text,
                          "!" if item.get("blocking") else "",
                          str(len(item.get("evidence") or [])), key=item["id"])
        if self.items:
            table.move_cursor(row=min(keep, len(self.items) - 1))
        self.query_one("#ck-progress", Label).update(progress_text(self.session, lang))
        self.show(self.current())

    def on_resize(self) -> None:
        if self.items:
            self.fill()

    def current(self) -> dict | None:
        table = self.query_one("#ck-table", DataTable)
        if not self.items or table.cursor_row is None:
            return None
        return self.items[min(table.cursor_row, len(self.items) - 1)]

    def show(self, item: dict | None) -> None:
        lang = self.lang
        if item is None:
            self.query_one("#ck-detail", Static).update(Text(t("tui.checklist.none", lang)))
            return
        out = Text()
        # one string: "P1 " before a long Chinese question (no spaces to break at)
        # sat alone on its line
        out.append(t("tui.checklist.heading", lang, item=item["id"],
                     question=in_lang(item.get("question"), lang)) + "\n", style="bold")
        if item.get("guidance"):
            out.append(in_lang(item.get("guidance"), lang) + "\n", style="dim")
        if item.get("comment"):
            out.append(t("tui.checklist.comment", lang) + item["comment"] + "\n", style="green")
        for m in item.get("members") or []:  # a review team: each member's own answer
            answer = t(f"tui.answer.{m['answer']}" if m["answer"] else "tui.answer.none", lang)
            out.append(t("tui.team.member_answer", lang, member=m["member"], answer=answer)
                       + (f" — {m['comment']}" if m["comment"] else "") + "\n")
        for fact in item.get("facts") or []:
            mark = {True: "✓ ", False: "✗ "}.get(fact.get("met"), "• ")
            out.append(mark + in_lang(fact.get("message"), lang) + "\n",
                       style={True: "green", False: "red"}.get(fact.get("met"), ""))
        evidence = item.get("evidence") or []
        out.append(t("tui.checklist.evidence", lang, count=len(evidence)) + "\n", style="cyan")
        for fid in evidence[:6]:
            row = self.session.row_by_id(fid)
            if row is None:
                continue
            f = row.finding
            out.append(f"  {t(f'severity.{f.severity}', lang)} {f.file or ''} "
                       f"{location_label(row, lang)}  {f.match or f.msg(lang)}\n")
        self.query_one("#ck-detail", Static).update(out)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.show(self.current())

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()

    # -- answering
    def action_answer_pass(self) -> None:
        self._answer("pass")

    def action_answer_fail(self) -> None:
        self._answer("fail")

    def action_answer_na(self) -> None:
        self._answer("na")

    def _answer(self, answer: str) -> None:
        item = self.current()
        if item is None:
            return
        if not self.session.needs_comment(item["id"], answer):
            self.record(item["id"], answer, item.get("comment"))
            return

        def answered(text: str | None) -> None:
            if text:
                self.record(item["id"], answer, text)

        self.app.push_screen(TextPrompt(
            t("tui.checklist.comment_title", self.lang, item=item["id"],
              answer=t(f"tui.answer.{answer}", self.lang)),
            in_lang(item.get("question"), self.lang), initial=item.get("comment") or "",
            lang=self.lang), answered)

    def action_comment(self) -> None:
        item = self.current()
        if item is None:
            return
        if not item.get("answer"):
            self.notify(t("tui.checklist.answer_first", self.lang), severity="warning")
            return

        def edited(text: str | None) -> None:
            if text is not None:
                self.record(item["id"], item["answer"], text, advance=False)

        self.app.push_screen(TextPrompt(
            t("tui.checklist.edit_title", self.lang, item=item["id"]),
            in_lang(item.get("question"), self.lang), initial=item.get("comment") or "",
            required=self.session.needs_comment(item["id"], item["answer"]),
            lang=self.lang), edited)

    def record(self, item_id: str, answer: str, comment: str | None, advance: bool = True,
               confirmed: bool = False) -> None:
        from reviewer.service.api import ReviewError

        try:
            self.session.answer(item_id, answer, comment or None, confirm_open_findings=confirmed)
        except ReviewError as exc:
            if exc.code == "open-findings" and not confirmed:
                ask_to_pass(self, item_id, exc.details, comment, self.lang,
                            lambda text: self.record(item_id, answer, text, advance, confirmed=True))
                return
            self.notify(exc.msg(self.lang), severity="error", markup=False)
            return
        table = self.query_one("#ck-table", DataTable)
        row = table.cursor_row or 0
        self.fill()
        if advance and row + 1 < len(self.items):
            table.move_cursor(row=row + 1)
        self.post_message(ReviewChanged())

    def action_evidence_jump(self) -> None:
        item = self.current()
        for fid in (item or {}).get("evidence") or []:
            row = self.session.row_by_id(fid)
            if row is not None and row.finding.file:
                f = row.finding
                self.post_message(ShowInReader(f.file, f.locator.key() if f.locator else None,
                                               f.match))
                return
        self.notify(t("tui.checklist.no_evidence", self.lang), severity="warning")
