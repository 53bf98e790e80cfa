"""The findings as the terminal UI holds them: rows, filters, sorting (room: tui).

Plain Python, no widgets: the findings table shows ``FindingsModel.view`` (a
list of indices into ``rows``); changing a filter or the sort order only
recomputes that list, so 10,000 findings filter in milliseconds and the
table never rebuilds rows.

Grouped (the default), the view holds one row per group — findings of one
rule and text, :mod:`reviewer.checks.groups` — the first member (in the sort
order) that the filters accept; :meth:`FindingsModel.members` gives them all.
A group is shown when any member passes the filters: "undecided" shows a
disposed group with a new, open occurrence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reviewer.service.api import SEVERITY_ORDER, Finding, group_id

#: Disposition values as the review service names them; ``None`` = not yet decided.
DISPOSITIONS = ("confirmed", "false-alarm", "accepted")
#: Filter value meaning "findings nobody has looked at yet".
UNDECIDED = "undecided"
#: The sort orders the table cycles through.
SORT_KEYS = ("severity", "check", "file", "disposition", "match")


@dataclass(slots=True)
class FindingRow:
    """One finding with the reviewer's disposition of it."""

    finding: Finding
    disposition: str | None = None
    reason: str = ""
    recheck: bool = False
    new: bool = False  # appeared since the version the review was carried over from
    #: Lower-cased text the search box matches against (built once).
    haystack: str = ""
    #: The id of the finding's group (same check, rule and normalised text).
    group: str = ""

    def __post_init__(self) -> None:
        f = self.finding
        if not self.group:
            self.group = group_id(f)
        if not self.haystack:
            self.haystack = " ".join([
                f.match, f.context, f.file or "", f.rule, f.category, f.check,
                f.message.get("zh", ""), f.message.get("en", ""),
            ]).lower()

    def position(self) -> int:
        loc = self.finding.locator
        if loc is None:
            return 0
        return loc.page or loc.slide or loc.cue or loc.paragraph or loc.line or 0


@dataclass(slots=True)
class Filters:
    """The active filters; ``None`` means "all"."""

    severity: str | None = None
    check: str | None = None
    category: str | None = None
    disposition: str | None = None  # one of DISPOSITIONS, UNDECIDED or None
    text: str = ""

    def accepts(self, row: FindingRow) -> bool:
        f = row.finding
        if self.severity is not None and f.severity != self.severity:
            return False
        if self.check is not None and f.check != self.check:
            return False
        if self.category is not None and f.category != self.category:
            return False
        if self.disposition is not None:
            wanted = None if self.disposition == UNDECIDED else self.disposition
            if row.disposition != wanted:
                return False
        if self.text:
            return all(word in row.haystack for word in self.text.lower().split())
        return True

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.severity, self.check, self.category,
                                           self.disposition)) or bool(self.text.strip())


def _sort_key(name: str):
    if name == "check":
        return lambda r: (r.finding.check, r.finding.rule, r.finding.file or "", r.position())
    if name == "file":
        return lambda r: (r.finding.file or "", r.position(), SEVERITY_ORDER.get(r.finding.severity, 9))
    if name == "disposition":
        order = {None: 0, "confirmed": 1, "accepted": 2, "false-alarm": 3}
        return lambda r: (order.get(r.disposition, 9), SEVERITY_ORDER.get(r.finding.severity, 9))
    if name == "match":
        return lambda r: (r.finding.match, r.finding.file or "")
    return lambda r: r.finding.sort_key()


@dataclass(slots=True)
class FindingsModel:
    """All rows, the filters, the sort order, and the resulting view."""

    rows: list[FindingRow] = field(default_factory=list)
    filters: Filters = field(default_factory=Filters)
    sort_key: str = "severity"
    reverse: bool = False
    view: list[int] = field(default_factory=list)
    #: One row per group (True) or one row per finding.
    grouped: bool = True
    _order: list[int] = field(default_factory=list)
    _by_id: dict[str, int] = field(default_factory=dict)
    _members: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def from_findings(cls, findings: list[Finding],
                      dispositions: dict[str, dict] | None = None) -> "FindingsModel":
        """Rows for ``findings``; ``dispositions`` maps a finding id to its review state."""
        dispositions = dispositions or {}
        rows = []
        for f in findings:
            d = dispositions.get(f.id) or {}
            rows.append(FindingRow(f, d.get("disposition"), d.get("reason") or "",
                                   bool(d.get("needs_recheck")), bool(d.get("new"))))
        model = cls(rows=rows)
        model.resort()
        return model

    # -- choices for the filter keys
    def values(self, attr: str) -> list[str]:
        """The distinct values of ``attr`` (severity, check, category) in sorted order."""
        seen = {getattr(r.finding, attr) for r in self.rows}
        if attr == "severity":
            return sorted(seen, key=lambda s: SEVERITY_ORDER.get(s, 9))
        return sorted(seen)

    def tally(self, attr: str) -> list[tuple[str, int]]:
        """``(value, number of rows)`` for a filter: severity, check, category or disposition."""
        counts: dict[str, int] = {}
        for r in self.rows:
            if attr == "disposition":
                key = r.disposition or UNDECIDED
            else:
                key = getattr(r.finding, attr)
            counts[key] = counts.get(key, 0) + 1
        if attr == "disposition":
            order = [UNDECIDED, *DISPOSITIONS]
            return [(v, counts.get(v, 0)) for v in order]
        return [(v, counts[v]) for v in self.values(attr)]

    def set_filter(self, attr: str, value: str | None) -> None:
        """Show only rows whose ``attr`` is ``value`` (``None``: all)."""
        setattr(self.filters, attr, value)
        self.refilter()

    # -- recomputing the view
    def resort(self) -> None:
        key, rows = _sort_key(self.sort_key), self.rows
        self._order = sorted(range(len(rows)), key=lambda i: key(rows[i]), reverse=self.reverse)
        members: dict[str, list[int]] = {}
        for i in self._order:
            members.setdefault(rows[i].group, []).append(i)
        self._members = members
        self.refilter()

    def refilter(self) -> None:
        accepts = self.filters.accepts
        rows = self.rows
        if not self.filters.active:
            view = list(self._order)
        else:
            view = [i for i in self._order if accepts(rows[i])]
        if self.grouped:
            seen: set[str] = set()
            grouped = []
            for i in view:
                g = rows[i].group
                if g not in seen:
                    seen.add(g)
                    grouped.append(i)
            view = grouped
        self.view = view

    # -- groups
    def members(self, row: FindingRow) -> list[FindingRow]:
        """Every row of ``row``'s group in the sort order (just ``row`` when not grouped)."""
        if not self.grouped:
            return [row]
        return [self.rows[i] for i in self._members.get(row.group, ())] or [row]

    def group_size(self, row: FindingRow) -> int:
        return len(self._members.get(row.group, ())) if self.grouped else 1

    def set_grouped(self, grouped: bool) -> None:
        self.grouped = grouped
        self.refilter()

    def set_text(self, text: str) -> None:
        self.filters.text = text.strip()
        self.refilter()

    def clear(self) -> None:
        self.filters = Filters()
        self.refilter()

    def next_sort(self) -> str:
        i = SORT_KEYS.index(self.sort_key) if self.sort_key in SORT_KEYS else -1
        self.sort_key = SORT_KEYS[(i + 1) % len(SORT_KEYS)]
        self.resort()
        return self.sort_key

    def flip(self) -> None:
        self.reverse = not self.reverse
        self.resort()

    def counts(self) -> dict[str, int]:
        """Totals for the status line: all findings, rows shown, undecided findings, groups."""
        return {"total": len(self.rows), "shown": len(self.view),
                "undecided": sum(1 for r in self.rows if r.disposition is None),
                "groups": len(self._members)}

    def index_of(self, finding_id: str) -> int | None:
        if len(self._by_id) != len(self.rows):
            self._by_id = {r.finding.id: i for i, r in enumerate(self.rows)}
        return self._by_id.get(finding_id)
