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


#: How many places of a group the pane lists.
PLACES_SHOWN = 5


def places_text(members: list[FindingRow], lang: str) -> str:
    """Where a group's findings are: ``file location`` for the first few, then how many more."""
    places = []
    for m in members[:PLACES_SHOWN]:
        loc = location_label(m, lang)
        places.append(f"{m.finding.file or t('tui.findings.whole_package', lang)}"
                      + (f" {loc}" if loc and m.finding.locator is not None else ""))
    text = "；".join(places) if lang == "zh" else "; ".join(places)
    if len(members) > PLACES_SHOWN:
        text += " " + t("tui.findings.more", lang, n=len(members) - PLACES_SHOWN)
    return text


def detail_text(row: FindingRow | None, lang: str, members: list[FindingRow] | None = None) -> Text:
    """The pane's content for ``row`` (a hint when nothing is selected); with ``members``
    (its group, when it has several) the disposition is the group's and its places are listed."""
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
    grouped = members is not None and len(members) > 1
    done = all(m.disposition for m in members) if grouped else bool(row.disposition)
    out.append(t("tui.findings.disposition", lang) + disposition_label(row, lang, members),
               style="green" if done else "yellow")
    if row.reason:
        out.append(" — " + row.reason)
    if row.recheck:
        out.append("  " + t("tui.disposition.recheck", lang), style="bold yellow")
    out.append("\n" + f.msg(lang) + "\n")
    where = f"{f.file or t('tui.findings.whole_package', lang)} · {location_label(row, lang)}"
    out.append(t("tui.findings.where", lang) + where + "\n", style="cyan")
    if grouped:
        files = len({m.finding.file for m in members})
        out.append(t("tui.findings.occurrences", lang, n=len(members), files=files), style="bold")
        out.append(places_text(members, lang) + "\n", style="cyan")
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
        self.members: list[FindingRow] | None = None

    def show(self, row: FindingRow | None, members: list[FindingRow] | None = None) -> None:
        self.row = row
        self.members = members
        self.update(detail_text(row, self.lang, members))
