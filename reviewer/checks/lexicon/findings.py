"""From the lexicon engine's hits to findings (room: checks): messages with their
placeholders filled, located in the real segment with its context.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any


from reviewer.checks.model import Finding, finding_at
from reviewer.ingest.model import Msg
from reviewer.checks.lexicon.model import Hit, TermEntry
from reviewer.checks.lexicon.engine import Lexicon


_PLACEHOLDER = re.compile(r"\{(term|replacement|since|match)\}")


def _format(template: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), template)


def hit_message(lexicon: Lexicon, hit: Hit) -> Msg:
    entry = hit.entry
    values = {"term": hit.term, "match": hit.text,
              "replacement": getattr(entry, "replacement", None) or "",
              "since": getattr(entry, "since", None) or ""}
    out: Msg = {}
    for lang in ("zh", "en"):
        base = lexicon.message.get(lang) or lexicon.message.get("zh") or \
            lexicon.message.get("en") or ""
        text = _format(base, values)
        note = entry.note.get(lang) or entry.note.get("zh") or entry.note.get("en")
        if note:
            text = f"{text}（{note}）" if lang == "zh" else f"{text} ({note})"
        out[lang] = text
    return out


def hits_to_findings(lexicon: Lexicon, hits: Iterable[Hit]) -> list[Finding]:
    """Findings for ``hits`` with occurrence numbers that keep their ids stable."""
    seen: dict[tuple[int, str], int] = defaultdict(int)
    out: list[Finding] = []
    for hit in hits:
        key = (id(hit.segment), hit.text)
        occurrence = seen[key]
        seen[key] += 1
        entry = hit.entry
        extra: dict[str, Any] = {"term": hit.term}
        if isinstance(entry, TermEntry):
            if entry.replacement:
                extra["replacement"] = entry.replacement
            if entry.since:
                extra["since"] = entry.since
        else:
            extra["pattern"] = entry.pattern
        if lexicon.starter:
            extra["starter"] = True
        out.append(finding_at(
            hit.segment, hit.start, hit.end, check=lexicon.check, rule=lexicon.id,
            category=hit.category, severity=hit.severity, message=hit_message(lexicon, hit),
            occurrence=occurrence, extra=extra))
    return out
