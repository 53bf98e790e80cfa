"""The summary: the decision and everything that blocks a recommendation (room: tui).

``D`` opens the decision dialog (recommend, revise and resubmit, reject, with
a comment); ``N`` adds a note to the review.  A refused decision (e.g.
"recommend" while blockers remain) is shown, never silently dropped.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from reviewer.i18n import in_lang, t
from reviewer.tui.actions import bindings_for
from reviewer.tui.localized import FollowsLanguage, relabel_bindings
from reviewer.tui.messages import ReviewChanged
from reviewer.tui.screens.decide import DecisionModal, DecisionResult
from reviewer.tui.screens.prompt import TextPrompt
from reviewer.tui.widgets.checklist_view import progress_text


def decision_text(session, lang: str) -> Text:
    """The decision in force, its comment, and whether it is outdated (wrapped)."""
    out = Text()
    decision = session.decision()
    out.append(t("tui.summary.decision", lang), style="bold")
    if decision:
        out.append(t(f"tui.decision.{decision['decision']}", lang) + "\n",
                   style={"recommend": "bold green", "revise": "bold yellow",
                          "reject": "bold red"}.get(decision["decision"], "bold"))
        if decision.get("comment"):
            out.append(t("tui.summary.comment", lang) + decision["comment"] + "\n")
        if decision.get("outdated"):
            out.append(t("tui.summary.outdated", lang) + "\n", style="yellow")
    else:
        out.append(t("tui.summary.undecided", lang), style="yellow")
    out.rstrip()
    return out


def summary_text(session, lang: str) -> Text:
    """Progress, findings still to look at, and the blockers: one line each (first, when the
    package continues a review started at another path, where)."""
    out = Text(no_wrap=True, overflow="ellipsis")
    continues = getattr(session.recent, "continues", None)
    if continues:
        from reviewer.service.continuity import continued_text

        out.append(continued_text(continues, lang) + "\n", style="magenta")
    out.append_text(progress_text(session, lang))
    counts = session.model.counts()
    out.append("\n" + t("tui.summary.findings", lang, total=counts["total"],
                        groups=counts["groups"], undecided=counts["undecided"]) + "\n\n")
    groups = session.blocker_groups()
    if groups:
        count = sum(len(members) for _, members in groups)
        out.append(t("tui.summary.blockers", lang, count=count) + "\n", style="bold red")
        for key, members in groups:
            out.append(f"  {t(f'review.blocker_group.{key}', lang, n=len(members))}\n", style="bold")
            for b in members:
                out.append(f"    • {in_lang(b.get('message'), lang) or b.get('id', '')}\n")
    else:
        out.append(t("tui.summary.no_blockers", lang) + "\n", style="bold green")
    return out


class SummaryView(FollowsLanguage, VerticalScroll):
    """The decision and the blockers, as one scrollable text."""

    ACTION_SCOPE = "summary"
    BINDINGS = bindings_for("summary", "zh")
    DEFAULT_CSS = """
    SummaryView { padding: 0 1; height: 1fr; }
    SummaryView #sv-decision { margin-bottom: 1; }
    SummaryView #sv-text { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, session, lang: str = "zh", **kwargs) -> None:
        super().__init__(can_focus=True, **kwargs)
        relabel_bindings(self, lang)
        self.session = session
        self.lang = lang

    def compose(self) -> ComposeResult:
        yield Static("", id="sv-decision")
        yield Static("", id="sv-text")

    def on_mount(self) -> None:
        self.call_after_refresh(self.fill)

    def focus_main(self) -> None:
        self.focus()

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.fill()

    def fill(self) -> None:
        self.query_one("#sv-decision", Static).update(decision_text(self.session, self.lang))
        self.query_one("#sv-text", Static).update(summary_text(self.session, self.lang))

    def action_decide(self) -> None:
        current = self.session.decision() or {}

        def decided(result: DecisionResult | None) -> None:
            if result is None:
                return
            from reviewer.service.api import ReviewError

            try:
                self.session.decide(result.decision, result.comment or None)
            except ReviewError as exc:
                self.notify(exc.msg(self.lang), severity="error", timeout=8, markup=False)
                return
            self.notify(markup=False, message=t("tui.summary.recorded", self.lang,
                          decision=t(f"tui.decision.{result.decision}", self.lang)))
            self.fill()
            self.post_message(ReviewChanged())

        self.app.push_screen(DecisionModal(self.lang, current.get("decision"),
                                           current.get("comment") or ""), decided)

    def action_note(self) -> None:
        def noted(text: str | None) -> None:
            if text:
                from reviewer.service.api import ReviewError

                try:
                    self.session.add_note(text)
                except ReviewError as exc:  # shown like a refused decision, not a crash
                    self.notify(exc.msg(self.lang), severity="error", markup=False)
                    return
                self.notify(t("tui.summary.noted", self.lang))

        self.app.push_screen(TextPrompt(t("tui.summary.note_title", self.lang), lang=self.lang),
                             noted)
