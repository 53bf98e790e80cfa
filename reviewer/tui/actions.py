"""The one registry of reviewer actions (room: tui).

Every action a reviewer can take is declared here once, with its key, the
scope it belongs to and whether the footer shows it.  Bindings, the help
screen and the command palette are all built from this list, so they can't
drift apart.  Labels and help texts come from the ``tui.action`` and
``tui.action_help`` sections of the message catalogs.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

from reviewer.i18n import t


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One action: ``name`` is the Textual action (``action_<name>`` on the scope's node)."""

    scope: str
    name: str
    key: str
    show: bool = True
    key_display: str | None = None
    priority: bool = False

    def label(self, lang: str) -> str:
        return t(f"tui.action.{self.name}", lang)

    def help(self, lang: str) -> str:
        return t(f"tui.action_help.{self.name}", lang)

    @property
    def keys_shown(self) -> str:
        """The key(s) as the help screen shows them (``f1 / ?``)."""
        return self.key_display or " / ".join(k.strip() for k in self.key.split(","))

    @property
    def footer_key(self) -> str | None:
        """The first key only (``F1``): the footer has no room for ``F1 / ?`` at 80 columns."""
        return self.key_display.split(" / ")[0] if self.key_display else None


#: Scopes in the order the help screen lists them.
SCOPES = ("app", "library", "scan", "package", "findings", "reader", "coverage",
          "checklists", "summary", "team")

ACTIONS: tuple[ActionSpec, ...] = (
    # anywhere
    ActionSpec("app", "help", "f1,question_mark", key_display="F1 / ?"),
    ActionSpec("app", "language", "f2", show=False, key_display="F2"),
    ActionSpec("app", "command_palette", "ctrl+p", show=False, key_display="Ctrl+P"),
    ActionSpec("app", "quit", "ctrl+q", show=False, key_display="Ctrl+Q", priority=True),
    # library
    ActionSpec("library", "open", "enter", key_display="Enter"),
    ActionSpec("library", "scan_new", "n"),
    ActionSpec("library", "rescan", "s"),
    ActionSpec("library", "refresh", "f5", show=False, key_display="F5"),
    # scanning
    ActionSpec("scan", "cancel_scan", "escape", key_display="Esc"),
    # a package (any view)
    ActionSpec("package", "view_findings", "1", show=False),
    ActionSpec("package", "view_reader", "2", show=False),
    ActionSpec("package", "view_coverage", "3", show=False),
    ActionSpec("package", "view_checklists", "4", show=False),
    ActionSpec("package", "view_summary", "5", show=False),
    ActionSpec("package", "view_team", "6", show=False),
    ActionSpec("package", "rescan", "f5", show=False, key_display="F5"),
    ActionSpec("package", "close", "escape", key_display="Esc"),
    # findings
    ActionSpec("findings", "confirm", "c"),
    ActionSpec("findings", "dismiss_false", "x"),
    ActionSpec("findings", "accept", "a"),
    ActionSpec("findings", "jump", "j", key_display="j"),
    ActionSpec("findings", "search", "slash", show=False, key_display="/"),
    ActionSpec("findings", "filter_severity", "v", show=False),
    ActionSpec("findings", "filter_check", "k", show=False),
    ActionSpec("findings", "filter_category", "g", show=False),
    ActionSpec("findings", "filter_disposition", "d", show=False),
    ActionSpec("findings", "clear_filters", "r", show=False),
    ActionSpec("findings", "sort", "o", show=False),
    ActionSpec("findings", "reverse", "i", show=False),
    ActionSpec("findings", "toggle_groups", "e", show=False),
    # reader
    ActionSpec("reader", "next_chunk", "right_square_bracket", key_display="]"),
    ActionSpec("reader", "prev_chunk", "left_square_bracket", key_display="["),
    ActionSpec("reader", "search_text", "slash", show=False, key_display="/"),
    ActionSpec("reader", "files", "l"),
    ActionSpec("reader", "focus_text", "t", show=False),
    # coverage
    ActionSpec("coverage", "coverage_jump", "j", key_display="j"),
    # checklists
    ActionSpec("checklists", "answer_pass", "p"),
    ActionSpec("checklists", "answer_fail", "f"),
    ActionSpec("checklists", "answer_na", "n"),
    ActionSpec("checklists", "comment", "m"),
    ActionSpec("checklists", "evidence_jump", "j", show=False),
    # summary
    # lower case as the footer would suggest, upper case as it said before
    ActionSpec("summary", "decide", "d,D"),
    ActionSpec("summary", "note", "n,N", show=False),
    # the chair's view of a review team
    ActionSpec("team", "resolve_pass", "p"),
    ActionSpec("team", "resolve_fail", "f"),
    ActionSpec("team", "resolve_na", "n"),
    ActionSpec("team", "close_team", "escape", key_display="Esc"),
)


def actions_for(scope: str) -> list[ActionSpec]:
    """The actions of one scope, in declaration order."""
    return [a for a in ACTIONS if a.scope == scope]


def bindings_for(scope: str, lang: str) -> list[Binding]:
    """Textual bindings for ``scope`` with labels in ``lang``."""
    return [
        Binding(a.key, a.name, a.label(lang), show=a.show, key_display=a.footer_key,
                priority=a.priority, id=f"{scope}.{a.name}")
        for a in actions_for(scope)
    ]
