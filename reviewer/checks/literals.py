"""Literal gates for regular expressions (room: checks).

Python's ``re`` walks the whole text for a pattern that does not start with a plain
literal (``\\b(?:take|do)…``, a look-behind, an alternation): about 10 ns a character,
so a dozen such patterns over the large course's 5 million characters cost most of a
second while matching nothing.  Most rule patterns cannot match without some fixed
piece of text (``taobao.com``, ``for``, ``@``): :func:`required_literals` reads those
pieces from the parsed pattern, and a pattern whose required pieces are absent from the
text is not run at all.  The gate only ever skips a search that would find nothing, so
the matches are those of the plain search (``tests/checks/test_literals.py``).

Case: the pieces and the text are compared lower-cased, the text with ``İ``, ``ı``
and ``ſ`` first made ``i``/``i``/``s`` (``re.IGNORECASE`` takes them for those
letters; ``str.lower`` does not).  A piece holds only ASCII and characters without
case, for which that decides ``re.IGNORECASE`` equality exactly; any other character
just ends the piece.
"""

from __future__ import annotations

import functools
import re

try:  # CPython's own pattern parser (private: a Python that moves it gets no gate, same matches)
    from re import _constants as sre  # noqa: PLC2701 (the parser's node names)
    from re import _parser  # noqa: PLC2701
except ImportError:  # pragma: no cover - every CPython 3.11-3.13 has them
    sre = _parser = None

Needs = tuple[frozenset[str], ...]

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) if sre else ()


#: The letters ``re.IGNORECASE`` takes for ``i``, ``i`` and ``s`` that ``str.lower`` does not
#: make so (İ, ı, ſ): text is compared lower-cased once these are made ``i``/``i``/``s``.
CASE_PARTNERS = {"\u0130": "i", "\u0131": "i", "\u017f": "s"}


def folds_exactly(ch: str) -> bool:
    """Whether ``ch``, in a fixed piece of a pattern, is matched under ``re.IGNORECASE``
    exactly where it stands in the lower-cased text (outside :data:`CASE_PARTNERS`): an
    ASCII character, or one without case (CJK, punctuation …)."""
    if ch.isascii():
        return True
    return ch.lower() == ch and ch.upper() == ch


def lowered(text: str) -> str:
    """``text`` lower-cased as :func:`folds_exactly` assumes: the case partners first."""
    for partner, letter in CASE_PARTNERS.items():
        text = text.replace(partner, letter)
    return text.lower()


@functools.lru_cache(maxsize=4096)
def required_literals(pattern: str, flags: int = 0) -> Needs:
    """Sets of strings such that every match of ``pattern`` contains, lower-cased, at
    least one string of each set (an empty tuple: nothing is known to be required)."""
    if _parser is None:
        return ()
    try:
        parsed = _parser.parse(pattern, flags)
    except re.error:
        return ()
    needs = _needs(list(parsed))
    return tuple(frozenset(s) for s in needs)


#: Most spellings a run of fixed text is followed in (``(?:taobao|tmall)\.com``: 2).
_MAX_SPELLINGS = 64


def _exact(items: list) -> set[str] | None:
    """Every string ``items`` can match, if it is fixed text with alternatives (else None)."""
    out = {""}
    for op, av in items:
        if op is sre.LITERAL and folds_exactly(chr(av)):
            alts: set[str] | None = {chr(av).lower()}
        elif op is sre.SUBPATTERN:
            alts = _exact(list(av[-1]))
        elif op is sre.BRANCH:
            alts = set()
            for alternative in av[1]:
                more = _exact(list(alternative))
                if more is None:
                    return None
                alts |= more
        else:
            return None
        if alts is None or len(out) * len(alts) > _MAX_SPELLINGS:
            return None
        out = {a + b for a in out for b in alts}
    return out


def _needs(items: list) -> list[set[str]]:
    out: list[set[str]] = []
    run = {""}  # the spellings of the fixed text just read

    def end_run() -> None:
        nonlocal run
        if "" not in run:
            out.append(run)
        run = {""}

    for op, av in items:
        fixed = _exact([(op, av)])
        if fixed is not None and len(run) * len(fixed) <= _MAX_SPELLINGS:
            run = {a + b for a in run for b in fixed}
            continue
        end_run()
        if fixed is not None:
            run = fixed
        elif op is sre.SUBPATTERN:
            out += _needs(list(av[-1]))
        elif op is sre.ATOMIC_GROUP:
            out += _needs(list(av))
        elif op in _REPEATS and av[0] >= 1:
            out += _needs(list(av[2]))
        elif op is sre.BRANCH:
            options: set[str] = set()
            for alternative in av[1]:
                sets = _needs(list(alternative))
                if not sets:  # this alternative needs nothing: neither does the branch
                    break
                options |= max(sets, key=lambda s: min(map(len, s)))
            else:
                out.append(options)
        # Anything else (classes, any character, assertions, references) needs no
        # fixed text and ends the current piece.
    end_run()
    return out


class LiteralGate:
    """Answers, for one text, whether a pattern's required pieces are all present
    (each piece is looked up once per text)."""

    def __init__(self, text: str):
        self._text = text
        self._lower: str | None = None
        self._seen: dict[str, bool] = {}

    def _has(self, piece: str) -> bool:
        found = self._seen.get(piece)
        if found is None:
            if self._lower is None:
                self._lower = lowered(self._text)
            found = self._seen[piece] = piece in self._lower
        return found

    def may_match(self, pattern: str, flags: int = 0) -> bool:
        """False only when ``pattern`` cannot match anywhere in the text."""
        return all(any(self._has(p) for p in needed)
                   for needed in required_literals(pattern, flags))
