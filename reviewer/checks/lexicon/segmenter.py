"""Chinese word boundaries for the lexicon check (room: checks): jieba's dictionary
route over a private overlay holding a rule file's own terms.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable


from reviewer.checks.lexicon.model import BOOST_FREQ, STRADDLE_MIN_FREQ


class _Segmenter:
    """Dictionary words of jieba's segmentation, with a rule file's terms added privately.

    spaCy's blank "zh" pipeline with ``segmenter="jieba"`` is ``jieba.cut``
    over jieba's global dictionary.  A term only straddles a *word*, so what
    matters here is where jieba's dictionary route puts its words: this class
    computes that route (jieba's own DAG and dynamic programme, the part of
    ``jieba.cut`` that places dictionary words; its HMM step only glues single
    characters into words that are not in the dictionary) over a private
    overlay of jieba's dictionary.  The global jieba state that spaCy and other
    checks use is never changed, and each rule file's result does not depend on
    which other files are loaded.

    Terms are added to the overlay lazily, when a window that contains them is
    segmented — the route over a window depends only on the dictionary words
    that occur in it, so this equals adding every term up front, without
    paying for 50,000 frequency suggestions.  A term's frequency is jieba's
    ``suggest_freq`` computed against the base dictionary (mode ``suggest``),
    at least :data:`BOOST_FREQ` (``boost``), or it is not added (``none``).
    """

    def __init__(self, mode: str = "suggest"):
        from reviewer.checks.wordfreq import base

        self._base = base()  # jieba's dictionary, in a form that loads in milliseconds
        self._total = self._base.total
        self._logtotal = math.log(self._total)
        self._extra: dict[str, int] = {}
        self.mode = mode

    def freq(self, word: str) -> int:
        return self._extra.get(word) or self._base.get(word) or 0

    def add(self, words: Iterable[str]) -> None:
        """Add ``words`` (already folded) to the private dictionary."""
        if self.mode == "none":
            return
        for word in words:
            if len(word) < 2 or word in self._extra:
                continue
            base = self._base.get(word) or 0
            if self.mode == "boost":
                freq = max(BOOST_FREQ, base)
            else:  # jieba's suggest_freq(word), against the base dictionary
                p = 1.0
                for token in self._tokens(word, base_only=True):
                    p *= (self._base.get(token) or 1) / self._total
                freq = max(int(p * self._total) + 1, base or 1)
            for i in range(1, len(word)):
                self._extra.setdefault(word[:i], self._base.get(word[:i]) or 0)
            self._extra[word] = freq

    def _tokens(self, block: str, base_only: bool = False) -> list[str]:
        """jieba's dictionary route over one block of Han/alphanumeric text."""
        base, extra = self._base, ({} if base_only else self._extra)
        n = len(block)
        dag: list[list[int]] = []
        for k in range(n):
            ends = []
            i = k
            frag = block[k]
            while i < n and (frag in extra or frag in base):
                if extra.get(frag) or base.get(frag):
                    ends.append(i)
                i += 1
                frag = block[k:i + 1]
            dag.append(ends or [k])
        route: list[tuple[float, int]] = [(0.0, 0)] * (n + 1)
        logtotal, log = self._logtotal, math.log
        for idx in range(n - 1, -1, -1):
            route[idx] = max((log(extra.get(block[idx:x + 1]) or base.get(block[idx:x + 1]) or 1)
                              - logtotal + route[x + 1][0], x) for x in dag[idx])
        out, x = [], 0
        while x < n:
            y = route[x][1] + 1
            out.append(block[x:y])
            x = y
        return out

    def straddlers(self, text: str) -> list[tuple[int, int]]:
        """Spans of the real words in ``text`` (dictionary frequency of at least
        :data:`STRADDLE_MIN_FREQ`): only those make a term straddling them innocent."""
        out = []
        for m in _JIEBA_BLOCK.finditer(text):
            pos = m.start()
            for token in self._tokens(m.group()):
                end = pos + len(token)
                if len(token) > 1 and self.freq(token) >= STRADDLE_MIN_FREQ:
                    out.append((pos, end))
                pos = end
        return out


# jieba's re_han_default: the blocks its dictionary route runs over.
_JIEBA_BLOCK = re.compile("[\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+")
