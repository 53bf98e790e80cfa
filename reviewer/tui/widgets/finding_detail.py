"""The detail pane under the findings table (room: tui).

Shows the reviewer's disposition with its reason, what the check says, where
(file and page/slide/timestamp/line), and the text around the match with the
match highlighted.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from reviewer.i18n import t
from reviewer.tui.findings_model import FindingRow
from reviewer.tui.widgets.findings_table import (category_label, check_label, disposition_label,
                                                 location_label)


def detail_text(row: FindingRow | None, lang: str) -> Text:
    """The pane's content for ``row`` (a hint when nothing is selected)."""
    if row is None:
        return Text(t("tui.findings.empty", lang), style="dim")
    f = row.finding
    out = Text()
    names = [t(f"severity.{f.severity}", lang), check_label(f.check, lang)]
    category = category_label(f.category, lang)
    if category not in names:
        names.append(category)
    out.append(" · ".join([*names, f.rule]), style="bold")
    # the disposition goes on the first line: on a 24-line terminal the pane
    # shows six lines, and a long message or context would push it out of sight
    out.append("  ")
    out.append(t("tui.findings.disposition", lang) + disposition_label(row, lang),
               style="green" if row.disposition else "yellow")
    if row.reason:
        out.append(" — " + row.reason)
    if row.recheck:
        out.append("  " + t("tui.disposition.recheck", lang), style="bold yellow")
    out.append("\n" + f.msg(lang) + "\n")
    where = f"{f.file or t('tui.findings.whole_package', lang)} · {location_label(row, lang)}"
    out.append(t("tui.findings.where", lang) + where + "\n", style="cyan")
    if f.context:
        start = max(0, min(f.context_start, len(f.context)))
        end = min(len(f.context), start + len(f.match))
        out.append(t("tui.findings.context", lang))
        out.append(f.context[:start])
        out.append(f.context[start:end], style="bold reverse")
        out.append(f.context[end:])
    out.rstrip()
    return out


class FindingDetail(Static):
    """Static text for one finding; call :meth:`show` with a row."""

    DEFAULT_CSS = """
    FindingDetail {
        height: 7; border-top: solid $primary; padding: 0 1; overflow-y: auto;
    }
    """

    def __init__(self, lang: str = "zh", **kwargs) -> None:
        super().__init__("", **kwargs)
        self.lang = lang
        self.row: FindingRow | None = None

    def show(self, row: FindingRow | None) -> None:
        self.row = row
        self.update(detail_text(row, self.lang))
