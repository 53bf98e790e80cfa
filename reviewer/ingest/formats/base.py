"""What every format reader returns, and how it fails (room: ingest)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from reviewer.ingest.model import IngestIssue, Locator, Msg, Segment


class ExtractError(Exception):
    """A file that cannot be read: ``reason`` is one English line for ``FileRecord.error``.

    ``rule`` names the ingest finding; ``zh`` is the Chinese message shown to
    reviewers (the English one is ``reason``).
    """

    def __init__(self, reason: str, *, rule: str = "file-unreadable", zh: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.rule = rule
        self.zh = zh or f"无法读取文件：{reason}"


@dataclass(slots=True)
class Extracted:
    """A reader's result: segments in order, the unit count, metadata, warnings.

    ``jobs`` are pictures to read after the reader returns (see
    :mod:`reviewer.ingest.ocr`); ``finish``, when set, runs after them (a PDF
    decides then which pages still lack text) and may raise :class:`ExtractError`.
    """

    segments: list[Segment] = field(default_factory=list)
    units: int = 0
    meta: dict[str, Any] = field(default_factory=dict)
    issues: list[IngestIssue] = field(default_factory=list)
    jobs: list[Any] = field(default_factory=list)  # ImageJob
    finish: Callable[["Extracted"], None] | None = None


def issue(rule: str, severity: str, zh: str, en: str, file: str | None = None,
          locator: Locator | None = None) -> IngestIssue:
    """Shorthand for a bilingual :class:`IngestIssue`."""
    message: Msg = {"zh": zh, "en": en}
    return IngestIssue(rule=rule, severity=severity, message=message, file=file, locator=locator)


def iso(value: Any) -> str | None:
    """A datetime/date from a library → ISO 8601 text (naive datetimes kept naive)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def pdf_date(value: str | None) -> str | None:
    """A PDF date ``D:20230912171657+08'00'`` → ``2023-09-12T17:16:57+08:00``."""
    if not value:
        return None
    text = value.strip()
    if text.startswith("D:"):
        text = text[2:]
    digits = ""
    for ch in text:
        if ch.isdigit():
            digits += ch
        else:
            break
    rest = text[len(digits):]
    if len(digits) < 4:
        return None
    # Missing fields default to month 01, day 01, 00:00:00 (by position).
    digits = digits[:14] + "0101000000"[max(0, len(digits) - 4):]
    if len(digits) >= 8 and digits[4:6] == "00":
        digits = digits[:4] + "01" + digits[6:]
    if digits[6:8] == "00":
        digits = digits[:6] + "01" + digits[8:]
    try:
        stamp = datetime.strptime(digits, "%Y%m%d%H%M%S")
    except ValueError:
        return None
    rest = rest.replace("'", "")
    if rest.startswith("Z"):
        stamp = stamp.replace(tzinfo=timezone.utc)
    elif rest[:1] in "+-" and len(rest) >= 3:
        sign = 1 if rest[0] == "+" else -1
        from datetime import timedelta

        try:
            hours = int(rest[1:3])
            minutes = int(rest[3:5]) if len(rest) >= 5 else 0
            zone = timezone(sign * timedelta(hours=hours, minutes=minutes))
        except ValueError:  # not digits, or an offset of a day or more: keep the local time
            return stamp.isoformat()
        stamp = stamp.replace(tzinfo=zone)
    return stamp.isoformat()
