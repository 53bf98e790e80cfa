"""Text helpers of the ``coverage`` check: tokens, stems, key terms — room ``checks``.

Topic titles are tokenised without spaCy: titles holding Chinese by jieba's
dictionary route over the dictionary in its fast form
(:mod:`reviewer.checks.wordfreq`, ready in milliseconds — the lexicon check's
segmenter), others by a word pattern.  spaCy's blank ``zh`` + jieba pipeline
gave the same words on the labelled topics at about a second's cold cost.  Blank English has no lemmatizer, so Latin words are reduced
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
#: A letter or digit of lower-cased Latin text: what may not touch a whole-word hit.
WORD_CHAR = re.compile(r"[a-z0-9]")
_LATIN_LETTERS = re.compile(r"[A-Za-z]")

_NLP: dict[str, Any] = {}
_NLP_LOCK = threading.Lock()
_SEGMENTER: Any = None
#: What jieba cuts as one block (its ``re_han_default``); the rest is split on spaces.
_BLOCK = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)")
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
_SPACE_SPLIT = re.compile(r"(\s+)")


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def mostly_cjk(texts: Iterable[str]) -> bool:
    """Whether ``texts`` are mostly Chinese: a Chinese character says about as much as a
    three-letter Latin word."""
    cjk = latin = 0
    for text in texts:
        cjk += len(_CJK.findall(text))
        latin += len(_LATIN_LETTERS.findall(text))
    return cjk * 3 > latin


def nlp_for(lang: str):
    """The cached blank spaCy pipeline (``zh`` with jieba, or ``en``).

    Not used for topic titles any more (see :func:`tokens`); kept for callers that
    want spaCy's own tokens."""
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


def _segmenter():
    """jieba's dictionary route over the dictionary in its fast form (loads in ms)."""
    global _SEGMENTER
    with _NLP_LOCK:
        if _SEGMENTER is None:
            from reviewer.checks.lexicon import _Segmenter

            _SEGMENTER = _Segmenter(mode="none")
        return _SEGMENTER


#: A single character at least this frequent in jieba's dictionary is a function word
#: (的 318825, 与 160984, 到 205341, 会 92091; 最 60450, 快 21973 are not): never glued.
FUNCTION_FREQ = 80_000


def dictionary_words(block: str) -> list[str]:
    """jieba's dictionary route over one block of Han/alphanumeric text, with runs of
    single Latin letters or digits glued into one word (as ``jieba.cut`` does) and runs of
    single Han characters other than function words glued too (where jieba's HMM makes
    new words of them: 快表, 先序, 闭源)."""
    seg = _segmenter()
    out: list[str] = []
    run: list[str] = []

    def flush():
        if run:
            glued = "".join(run)
            out.extend([glued] if len(run) > 1 else run)
            run.clear()

    for token in seg._tokens(block):
        if len(token) == 1 and (_ASCII_ALNUM.match(token) or seg.freq(token) < FUNCTION_FREQ):
            if run and bool(_ASCII_ALNUM.match(run[-1])) != bool(_ASCII_ALNUM.match(token)):
                flush()
            run.append(token)
            continue
        flush()
        out.append(token)
    flush()
    return out


def tokens(text: str) -> list[str]:
    """Word tokens of ``text``: jieba's dictionary route for text holding Chinese, else
    words split on spaces and punctuation (what spaCy's blank pipelines gave, without
    importing spaCy or loading jieba: a cold scan pays about a second less)."""
    out: list[str] = []
    if not has_cjk(text):
        for m in _EN_TOKEN.finditer(text):
            out.append(m.group())
        return out
    for part in _BLOCK.split(text):
        if not part:
            continue
        if _BLOCK.fullmatch(part):
            out.extend(dictionary_words(part))
        else:
            out.extend(p for p in _SPACE_SPLIT.split(part) if p.strip())
    return out


#: English tokens: words (with inner apostrophes, hyphens split off as spaCy does),
#: numbers, and single punctuation marks.
_EN_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.'+#][A-Za-z0-9+#]+)*[+#]*|[^\sA-Za-z0-9]")


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
    if start > 0 and WORD_CHAR.match(text[start - 1]):
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
