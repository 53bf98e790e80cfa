"""The coverage view: syllabus topics, covered or not, with their evidence (room: tui)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Label, Static

from reviewer.i18n import t
from reviewer.service.api import Locator
from reviewer.tui.actions import bindings_for
from reviewer.tui.localized import FollowsLanguage, relabel_bindings
from reviewer.tui.messages import ShowInReader


def evidence_text(topic: dict | None, lang: str) -> Text:
    """The detail of one topic: its evidence locations and text."""
    if topic is None:
        return Text(t("tui.coverage.none", lang), style="dim")
    out = Text()
    out.append(topic.get("title", "") + "\n", style="bold")
    evidence = topic.get("evidence") or []
    if not evidence:
        out.append(t("tui.coverage.no_evidence", lang), style="yellow")
        return out
    if not topic.get("covered") or any(ev.get("nearest_miss") for ev in evidence):
        # an uncovered topic's passages are what came closest, not proof it is taught
        out.append(t("tui.coverage.nearest_misses", lang) + "\n", style="yellow")
    for ev in evidence:
        loc = Locator.from_dict(ev.get("location") or {})
        out.append(f"{ev.get('file', '')} · {loc.label(lang)}", style="cyan")
        if ev.get("similarity") is not None:
            out.append(t("tui.coverage.similarity", lang, value=f"{float(ev['similarity']):.2f}"),
                       style="dim")
        if ev.get("terms") and ev.get("match") == "glossary":
            sep = "、" if lang == "zh" else ", "
            out.append(t("tui.coverage.glossary_terms", lang, terms=sep.join(ev["terms"])),
                       style="dim")
        if ev.get("via") and ev.get("match") == "translation":
            out.append(t("tui.coverage.translation", lang, via=ev["via"]), style="dim")
        text = (ev.get("text") or "").replace("\n", " ")
        out.append(f"  {text[:120]}\n")
    return out


class CoverageView(FollowsLanguage, Vertical):
    """A table of topics (✓/✗, score) and the highlighted topic's evidence."""

    ACTION_SCOPE = "coverage"
    BINDINGS = bindings_for("coverage", "zh")
    DEFAULT_CSS = """
    CoverageView #cv-summary { height: 1; padding: 0 1; background: $boost; width: 100%; }
    CoverageView #cv-table { height: 1fr; }
    CoverageView #cv-detail { height: 8; border-top: solid $primary; padding: 0 1;
                              overflow-y: auto; }
    """

    def __init__(self, session, lang: str = "zh", **kwargs) -> None:
        super().__init__(**kwargs)
        relabel_bindings(self, lang)
        self.session = session
        self.lang = lang
        self.topics: list[dict] = list((session.coverage or {}).get("topics") or [])

    def compose(self) -> ComposeResult:
        yield Label("", id="cv-summary")
        yield DataTable(id="cv-table", cursor_type="row")
        yield Static("", id="cv-detail")

    def on_mount(self) -> None:
        self.call_after_refresh(self.fill)

    def focus_main(self) -> None:
        self.query_one("#cv-table", DataTable).focus()

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.fill()

    def fill(self) -> None:
        lang = self.lang
        table = self.query_one("#cv-table", DataTable)
        keep = table.cursor_row
        table.clear(columns=True)
        table.add_column(t("tui.coverage.col.topic", lang), key="topic")
        table.add_column(t("tui.coverage.col.covered", lang), key="covered")
        table.add_column(t("tui.coverage.col.score", lang), key="score")
        table.add_column(t("tui.coverage.col.evidence", lang), key="evidence")
        for topic in self.topics:
            covered = topic.get("covered")
            table.add_row(
                Text(topic.get("title", "")),
                Text(t("tui.coverage.covered_yes" if covered else "tui.coverage.covered_no", lang),
                     style="green" if covered else "bold red"),
                f"{float(topic.get('score') or 0):.2f}",
                str(len(topic.get("evidence") or [])),
            )
        if self.topics:
            covered = sum(1 for x in self.topics if x.get("covered"))
            summary = t("tui.coverage.summary", lang, covered=covered, total=len(self.topics),
                        ratio=f"{covered / len(self.topics):.0%}")
            table.move_cursor(row=min(keep or 0, len(self.topics) - 1))
        else:
            summary = t("tui.coverage.empty", lang)
        self.query_one("#cv-summary", Label).update(summary)
        self.show(self.current())

    def current(self) -> dict | None:
        table = self.query_one("#cv-table", DataTable)
        if not self.topics or table.cursor_row is None:
            return None
        return self.topics[min(table.cursor_row, len(self.topics) - 1)]

    def show(self, topic: dict | None) -> None:
        self.query_one("#cv-detail", Static).update(evidence_text(topic, self.lang))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.show(self.current())

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_coverage_jump()

    def action_coverage_jump(self) -> None:
        topic = self.current()
        evidence = (topic or {}).get("evidence") or []
        if not evidence:
            self.notify(t("tui.coverage.no_evidence", self.lang), severity="warning")
            return
        ev = evidence[0]
        loc = Locator.from_dict(ev.get("location") or {})
        self.post_message(ShowInReader(ev.get("file", ""), loc.key(), ""))
