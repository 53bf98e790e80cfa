"""The chair's view of a review team: the disputed items, each member's answer and comment,
and keys to record the consolidated answer (room: tui).

Opened with ``6`` from a package.  ``p``/``f``/``n`` resolve the highlighted item as
pass / fail / not applicable (a comment prompt opens; fail and na need one), Esc goes
back.  Only the chair may resolve: the review service refuses anyone else and the
refusal is shown.  A pass over the item's undisposed error findings opens the same
confirmation as in the checklist (the findings, and a comment).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from reviewer.i18n import in_lang, t
from reviewer.tui.actions import bindings_for
from reviewer.tui.localized import FollowsLanguage, relabel_bindings
from reviewer.tui.screens.confirm_pass import ask_to_pass
from reviewer.tui.screens.prompt import TextPrompt
from reviewer.tui.widgets.title_bar import TitleBar

MARKS = {"pass": "✓", "fail": "✗", "na": "–", None: "·"}
STYLES = {"pass": "green", "fail": "bold red", "na": "cyan"}


class TeamScreen(FollowsLanguage, Screen):
    """Disputed items in a table; the highlighted one's members' answers and comments below."""

    CSS_PATH = "team.tcss"
    ACTION_SCOPE = "team"
    AUTO_FOCUS = "#tm-table"
    BINDINGS = bindings_for("team", "zh")

    def __init__(self, session, lang: str = "zh") -> None:
        super().__init__()
        relabel_bindings(self, lang)
        self.session = session
        self.lang = lang
        self.rows: list = []  # reviewer.service.team.Disagreement
        self.changed = False

    def compose(self) -> ComposeResult:
        yield TitleBar(self.title_text(), self.lang)
        yield Label("", id="tm-summary")
        yield DataTable(id="tm-table", cursor_type="row")
        with VerticalScroll(id="tm-detail-box"):
            yield Static("", id="tm-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.fill()

    def title_text(self) -> str:
        return t("tui.team.title", self.lang, title=self.session.title_in(self.lang))

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.query_one(TitleBar).set_title(self.title_text())
        self.fill()

    # -- drawing
    def fill(self) -> None:
        lang = self.lang
        table = self.query_one("#tm-table", DataTable)
        keep = table.cursor_row or 0
        team = self.session.team()
        self.rows = self.session.disagreements() if team else []
        table.clear(columns=True)
        for col in ("id", "blocking", "members", "resolution"):
            table.add_column(t(f"tui.team.col.{col}", lang), key=col)
        for row in self.rows:
            answers = Text()
            for a in row.answers:
                answers.append(f"{a.member}", style="")
                answers.append(f"{MARKS.get(a.answer, '?')} ", style=STYLES.get(a.answer or "", "dim"))
            resolved = row.resolved
            table.add_row(Text(row.item), "!" if row.blocking else "", answers,
                          Text(t(f"tui.answer.{resolved.answer}", lang),
                               style=STYLES.get(resolved.answer, "")) if resolved
                          else Text(t("tui.team.open", lang), style="yellow"), key=row.item)
        if self.rows:
            table.move_cursor(row=min(keep, len(self.rows) - 1))
        members = ("、" if lang == "zh" else ", ").join(
            f"{m.name}（{t(f'team.role.{m.role}', lang)}）" if lang == "zh"
            else f"{m.name} ({t(f'team.role.{m.role}', lang)})" for m in team)
        if not team:
            summary = t("tui.team.no_team", lang)
        else:
            summary = t("tui.team.summary", lang, members=members, n=len(self.rows),
                        open=sum(1 for r in self.rows if r.resolved is None))
        self.query_one("#tm-summary", Label).update(Text(summary))
        self.show(self.current())

    def current(self):
        table = self.query_one("#tm-table", DataTable)
        if not self.rows or table.cursor_row is None:
            return None
        return self.rows[min(table.cursor_row, len(self.rows) - 1)]

    def show(self, row) -> None:
        lang = self.lang
        detail = self.query_one("#tm-detail", Static)
        if row is None:
            detail.update(Text(t("tui.team.none", lang) if self.session.team()
                               else t("tui.team.how", lang)))
            return
        out = Text()
        out.append(t("tui.checklist.heading", lang, item=row.item,
                     question=in_lang(row.question, lang)) + "\n", style="bold")
        for a in row.answers:
            label = t(f"tui.answer.{a.answer}" if a.answer else "tui.answer.none", lang)
            out.append(t("tui.team.member_answer", lang, member=a.member, answer=""))
            out.append(label, style=STYLES.get(a.answer or "", "dim"))
            if a.comment:
                out.append(f" — {a.comment}")
            out.append("\n")
        if row.resolved:
            r = row.resolved
            out.append(t("tui.team.resolved", lang, who=r.actor,
                         answer=t(f"tui.answer.{r.answer}", lang)) + (
                f" — {r.comment}" if r.comment else "") + "\n", style="cyan")
        detail.update(out)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.show(self.current())

    # -- resolving
    def action_resolve_pass(self) -> None:
        self._resolve("pass")

    def action_resolve_fail(self) -> None:
        self._resolve("fail")

    def action_resolve_na(self) -> None:
        self._resolve("na")

    def _resolve(self, answer: str) -> None:
        row = self.current()
        if row is None:
            return
        initial = row.resolved.comment if row.resolved and row.resolved.comment else ""

        def given(text: str | None) -> None:
            if text is not None:
                self.record(row.item, answer, text)

        self.app.push_screen(TextPrompt(
            t("tui.team.resolve_title", self.lang, item=row.item,
              answer=t(f"tui.answer.{answer}", self.lang)),
            in_lang(row.question, self.lang), initial=initial,
            required=self.session.needs_comment(row.item, answer), lang=self.lang), given)

    def record(self, item_id: str, answer: str, comment: str | None,
               confirmed: bool = False) -> None:
        from reviewer.service.api import ReviewError

        try:
            self.session.resolve(item_id, answer, comment or None, confirm_open_findings=confirmed)
        except ReviewError as exc:
            if exc.code == "open-findings" and not confirmed:
                ask_to_pass(self, item_id, exc.details, comment, self.lang,
                            lambda text: self.record(item_id, answer, text, confirmed=True))
                return
            self.notify(exc.msg(self.lang), severity="error", markup=False)
            return
        self.changed = True
        table = self.query_one("#tm-table", DataTable)
        row = table.cursor_row or 0
        self.fill()
        if row + 1 < len(self.rows):
            table.move_cursor(row=row + 1)

    def action_close_team(self) -> None:
        self.dismiss(self.changed)
