"""Folding compatibility code points, one character to one character.

PDFs exported from PowerPoint and Pages often carry Kangxi radicals (⼤ U+2F24)
in their text layer where the author typed 大; full-width letters (ＡＢＣ),
compatibility ideographs and mathematical alphanumerics (𝐀) hide text from
search in the same way.  :func:`fold_compat` maps every code point whose NFKC
form is a *single* different character to that character.  Because the mapping
is one-to-one the folded text has the same length as the original, so offsets
found in it point at the original text (which is what reports show).

Code points whose NFKC form is longer (⑸ → "(5)", ﬁ → "fi") are left alone
here; the lexicon normaliser handles the ones that matter for matching.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Planes 0–2 hold every compatibility character of interest (BMP, the
# mathematical alphanumerics at U+1D400, the CJK compatibility supplement at
# U+2F800).
_LIMIT = 0x30000


@lru_cache(maxsize=1)
def compat_table() -> dict[int, str]:
    """``str.translate`` table: code point → its single-character NFKC form."""
    table: dict[int, str] = {}
    for cp in range(_LIMIT):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        folded = unicodedata.normalize("NFKC", ch)
        if folded != ch and len(folded) == 1:
            table[cp] = folded
    return table


class _LazyFold(dict):
    """:func:`compat_table` filled in as characters are met (``str.translate`` calls
    ``__missing__``), so a process pays for the characters its text uses, not for
    all 196,000 (a character that doesn't fold maps to itself)."""

    __slots__ = ()

    def __missing__(self, cp: int) -> str:
        ch = chr(cp)
        folded = ch
        if cp < _LIMIT and not 0xD800 <= cp <= 0xDFFF:
            nfkc = unicodedata.normalize("NFKC", ch)
            if len(nfkc) == 1:
                folded = nfkc
        self[cp] = folded
        return folded


_FOLD = _LazyFold()


def fold_compat(text: str) -> str:
    """Fold compatibility code points; the result has ``len(text)`` characters."""
    if text.isascii():
        return text
    return text.translate(_FOLD)
