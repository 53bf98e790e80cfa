"""jieba's dictionary as the lexicon segmenter reads it, ready in milliseconds (room: checks).

The segmenter of :mod:`reviewer.checks.lexicon` asks two questions of jieba's
dictionary: is this string a word or the prefix of one, and what is its
frequency.  ``jieba.dt.check_initialized()`` answers them from a Python dict of
half a million entries that takes about half a second to load, paid on every
cold start of a scan with Chinese text in it.  :class:`WordFreq` holds the
same entries in a `marisa-trie <https://github.com/pytries/marisa-trie>`_
(a compact static trie, memory-mapped) beside an array of frequencies, which
loads in about a millisecond.

Checks do no I/O of their own: the service layer installs a loader
(:func:`install`) that keeps the built dictionary in its cache folder; without
one, :func:`base` builds it in memory from jieba's ``dict.txt`` (what a test or
a library caller gets).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

#: Bumped when the on-disk form changes.
FORMAT = 1


class WordFreq:
    """Words and their prefixes (frequency 0, as in jieba's ``FREQ``), and the total count."""

    __slots__ = ("_trie", "_freqs", "total")

    def __init__(self, trie, freqs: np.ndarray, total: int):
        self._trie = trie
        self._freqs = freqs
        self.total = int(total)

    def get(self, word: str, default: int | None = None) -> int | None:
        """The frequency of ``word`` (0 for a prefix that is not a word), or ``default``."""
        i = self._trie.get(word)
        return default if i is None else int(self._freqs[i])

    def __contains__(self, word: str) -> bool:
        return word in self._trie

    def __len__(self) -> int:
        return len(self._trie)

    # -- building and storing ------------------------------------------------
    @classmethod
    def from_entries(cls, entries: Iterable[tuple[str, int]]) -> "WordFreq":
        """From ``(word, frequency)`` pairs, adding every prefix the way jieba's
        ``gen_pfdict`` does (a prefix that is not a word has frequency 0)."""
        import marisa_trie

        freq: dict[str, int] = {}
        total = 0
        for word, count in entries:
            freq[word] = count
            total += count
            for i in range(1, len(word)):
                freq.setdefault(word[:i], 0)
        trie = marisa_trie.Trie(freq.keys())
        freqs = np.zeros(len(trie), dtype=np.uint64)
        ids = np.fromiter((trie[w] for w in freq), dtype=np.int64, count=len(freq))
        freqs[ids] = np.fromiter(freq.values(), dtype=np.uint64, count=len(freq))
        return cls(trie, freqs, total)

    @classmethod
    def from_jieba_text(cls, text: str) -> "WordFreq":
        """From the text of a jieba dictionary (``word freq [tag]`` per line)."""
        def entries():
            for line in text.splitlines():
                parts = line.split(" ")
                if len(parts) >= 2 and parts[0]:
                    try:
                        yield parts[0], int(parts[1])
                    except ValueError:
                        continue
        return cls.from_entries(entries())

    def save(self, stem: Path) -> None:
        """Write ``stem.marisa`` and ``stem.npy`` (the frequencies, then the total)."""
        self._trie.save(str(stem.with_suffix(".marisa")))
        np.save(stem.with_suffix(".npy"), np.append(self._freqs, np.uint64(self.total)))

    @classmethod
    def load(cls, stem: Path) -> "WordFreq":
        """Read what :meth:`save` wrote (the trie memory-mapped)."""
        import marisa_trie

        path = stem.with_suffix(".marisa")
        if not path.is_file():
            raise FileNotFoundError(path)
        trie = marisa_trie.Trie()
        try:
            trie.mmap(str(path))
        except RuntimeError as exc:  # marisa's own I/O and format errors
            raise ValueError(f"{path}: {exc}") from None
        data = np.load(stem.with_suffix(".npy"))
        if len(data) != len(trie) + 1:
            raise ValueError(f"{stem}: {len(data) - 1} frequencies for {len(trie)} words")
        return cls(trie, data[:-1], int(data[-1]))


def jieba_dictionary() -> Path:
    """jieba's main dictionary file (what ``jieba.dt`` loads by default)."""
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.origin:
        raise ModuleNotFoundError("jieba")
    return Path(spec.origin).parent / "dict.txt"


def build_from_jieba() -> WordFreq:
    return WordFreq.from_jieba_text(jieba_dictionary().read_text(encoding="utf-8"))


_loader: Callable[[], WordFreq] = build_from_jieba
_base: WordFreq | None = None


def install(loader: Callable[[], WordFreq]) -> None:
    """Use ``loader`` for the dictionary from now on (called once, when first needed)."""
    global _loader, _base
    if loader is not _loader:
        _loader, _base = loader, None


def base() -> WordFreq:
    """The dictionary, loaded on first use."""
    global _base
    if _base is None:
        _base = _loader()
    return _base
