"""The exceptions of the review room (pure: no I/O).

:class:`ReviewError` is what every refused review action raises — in the pure
rules here and in :mod:`reviewer.service.review`.  Its ``code`` is a stable
machine-readable reason, its ``message`` a bilingual ``{"zh", "en"}`` dict.
:class:`ChecklistError` reports malformed checklist files with file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reviewer.ingest.model import Msg


class ReviewError(Exception):
    """A review action was refused (or its target does not exist).

    ``code`` is stable (``comment-required``, ``reason-required``, ``blockers``,
    ``unknown-item``, ``unknown-finding``, ``bad-value``, ``not-scanned`` …);
    ``usage`` is true when the caller asked for something that does not exist
    or is malformed (the CLI exits 2) rather than something the rules refuse
    (exit 1).  ``details`` carries structured data, e.g. the blockers.
    """

    def __init__(self, code: str, message: Msg, *, usage: bool = False,
                 details: list[Any] | None = None):
        self.code = code
        self.message = dict(message)
        self.usage = usage
        self.details = list(details or [])
        super().__init__(self.msg("en"))

    @classmethod
    def of(cls, code: str, text: str | None = None, *, usage: bool = False,
           details: list[Any] | None = None, **params: Any) -> "ReviewError":
        """The error ``code`` with its message from the catalogs: ``review.error.<text>``
        (``text`` defaults to the code) in both languages, filled with ``params``."""
        from reviewer.i18n import bilingual

        return cls(code, bilingual(f"review.error.{text or code}", **params), usage=usage,
                   details=details)

    def msg(self, lang: str = "zh") -> str:
        """The message in ``lang`` (falls back to Chinese)."""
        return self.message.get(lang) or self.message.get("zh") or self.code

    def __str__(self) -> str:  # zh first, en after: readable in logs either way
        zh, en = self.message.get("zh", ""), self.message.get("en", "")
        return f"{zh} ({en})" if zh and en and zh != en else (zh or en or self.code)


@dataclass(frozen=True, slots=True)
class ChecklistProblem:
    """One problem in one checklist file: where it is and what is wrong."""

    source: str
    line: int | None  # 1-based, None when unknown
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.message}"


@dataclass
class ChecklistError(Exception):
    """A checklist file (or the set of them) is invalid; every problem is listed."""

    problems: list[ChecklistProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems) or "invalid checklist"
