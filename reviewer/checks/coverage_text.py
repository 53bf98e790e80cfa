"""Text helpers of the ``coverage`` check: tokens, stems, key terms — room ``checks``.

Topic titles are tokenised with spaCy: the blank ``zh`` pipeline with the
jieba segmenter for titles holding Chinese (it splits embedded Latin words
too), the blank ``en`` pipeline otherwise.  Both are loaded lazily and kept at
module level.  Blank English has no lemmatizer, so Latin words are reduced
to a *stem* by a suffix rule whose suffixes are rule data
(``lexicons/coverage.yaml``: ``en_suffixes``): ``optimization``,
``optimize`` and ``optimizer`` all stem to ``optim``; two words match when
their stems are equal, which works like lemma matching for inflections and
derivations.  Content text is never tokenised (too slow for 40 hours of
subtitles): key terms are found in it by Aho-Corasick and checked here.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[a-z0-9][a-z0-9+#.-]*[a-z0-9+#]|[a-z0-9]")
_WORD_CHAR = re.compile(r"[a-z0-9]")

_NLP: dict[str, Any] = {}
_NLP_LOCK = threading.Lock()


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def nlp_for(lang: str):
    """The cached blank spaCy pipeline (``zh`` with jieba, or ``en``)."""
    with _NLP_LOCK:
        if lang not in _NLP:
            import logging

            import spacy

            if lang == "zh":
                import jieba

                jieba.setLogLevel(logging.WARNING)
                _NLP[lang] = spacy.blank(
                    "zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
            else:
                _NLP[lang] = spacy.blank("en")
        return _NLP[lang]


def tokens(text: str) -> list[str]:
    """Word tokens of ``text`` (spaCy: zh+jieba when it holds Chinese, else en)."""
    nlp = nlp_for("zh" if has_cjk(text) else "en")
    return [t.text for t in nlp(text) if not t.is_space and t.text.strip()]


class Stemmer:
    """Suffix-stripping stems for Latin words; ``suffixes`` come from rule data."""

    def __init__(self, suffixes: Iterable[str], min_stem: int = 3,
                 keep_after: str = "su"):
        self.suffixes = sorted({s.lower() for s in suffixes if s}, key=len, reverse=True)
        self.min_stem = min_stem
        self.keep_after = keep_after  # no bare "s" stripped after these (class, virus)
        self.stem = lru_cache(maxsize=200_000)(self._stem)

    def __reduce__(self):
        # The memo (a cache around a bound method) does not pickle; a copy starts a new one,
        # so compiled coverage rule files can be cached like the others.
        return Stemmer, (self.suffixes, self.min_stem, self.keep_after)

    def _stem(self, word: str) -> str:
        word = word.lower()
        for suffix in self.suffixes:
            if word.endswith(suffix) and len(word) - len(suffix) >= self.min_stem:
                if suffix == "s" and word[-2:-1] in self.keep_after:
                    continue
                stem = word[: -len(suffix)]
                if len(stem) > self.min_stem and stem[-1] == stem[-2] and stem[-1] not in "aeiouls":
                    stem = stem[:-1]  # running → run, planned → plan
                return stem
        return word


@dataclass(frozen=True, slots=True, order=True)
class Term:
    """A key term of a topic as it is looked up in content.

    ``key`` is what the automaton searches: a Chinese word as written, or the
    stem of a Latin word (then ``latin`` is true and a hit must be a whole
    word with the same stem).
    """

    key: str
    latin: bool


def term_of(token: str, stemmer: Stemmer) -> Term | None:
    """The :class:`Term` for one token, or None for punctuation and numbers."""
    tok = token.strip().lower()
    if not tok:
        return None
    if has_cjk(tok):
        return Term(tok, False)
    if not _LATIN_WORD.fullmatch(tok) or tok.replace(".", "").isdigit():
        return None
    return Term(stemmer.stem(tok), True)


def latin_hit(text: str, start: int, end: int, term: Term, stemmer: Stemmer) -> bool:
    """Whether the automaton hit ``text[start:end]`` of a Latin stem is a whole word with that stem."""
    if start > 0 and _WORD_CHAR.match(text[start - 1]):
        return False
    stop = end
    n = len(text)
    while stop < n and ("a" <= text[stop] <= "z" or "0" <= text[stop] <= "9"):
        stop += 1
    if stop == end:
        return True
    return stemmer.stem(text[start:stop]) == term.key


def fold_title(text: str) -> str:
    """Lower-cased, whitespace-collapsed title for fuzzy comparison."""
    return " ".join(text.lower().split())
