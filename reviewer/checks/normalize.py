"""Normalising text for lexicon matching, with a map back to the original (room: checks).

Matching runs on a *normalised* copy of the text; findings report the
original.  Two steps, each switchable per rule file (:class:`NormalizeOptions`):

1. **Character folding**, one character to one character, by one precomputed
   table (``str.translate`` for short strings, a NumPy look-up table for long
   ones): compatibility forms (Kangxi radicals, full-width letters, maths
   alphanumerics — :func:`reviewer.ingest.textnorm.compat_table`), case,
   character-level traditional → simplified Chinese (OpenCC's
   ``TSCharacters`` plus its Taiwan/Hong Kong variant tables) and digit styles
   (１ ① ⑴ ⒈ ❶ 一 壹 → ``1``).  Digit folding is *mirrored*: terms are folded
   with the same table as the text, so 一 in text only ever meets 一 (or 1, 壹)
   in a term; a term without digits is unaffected by it.  A rule file may add
   its own ``homophones`` (唰 → 刷, 拷 → 考: the characters adverts put in place
   of the ones filters look for), applied after the other steps, also one to one.
2. **Noise removal**: whitespace, punctuation, symbols, emoji, zero-width and
   other format characters and combining marks are dropped, so ``代 刷 网 课``
   and ``代💥刷`` meet their terms.  Because this changes lengths, the result
   carries an index: ``index[i]`` is the offset in the original text of
   normalised character ``i``.

:data:`SEPARATOR` (U+FFFF, a Unicode noncharacter) is never folded and never
removed: it separates segments joined into one string so that no match can
cross from one segment into the next.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

#: Placed between segments joined for one scan; survives normalisation.
SEPARATOR = "\uffff"

_UNICODE_SIZE = 0x110000
# Planes 0–2 hold every character whose folding or noise class matters here;
# emoji live in plane 1.  Everything above is left alone (and is not noise).
_TABLE_LIMIT = 0x30000

#: Digit styles folded to ASCII digits (besides the compatibility forms
#: １ ¹ ₁ 𝟏 that NFKC already maps to a single digit).
_DIGIT_RANGES: list[tuple[int, int, int]] = [
    # (first code point, last code point, digit of the first)
    (0x2460, 0x2468, 1),  # ① … ⑨
    (0x2474, 0x247C, 1),  # ⑴ … ⑼
    (0x2488, 0x2490, 1),  # ⒈ … ⒐
    (0x24F5, 0x24FD, 1),  # ⓵ … ⓽
    (0x2776, 0x277E, 1),  # ❶ … ❾
    (0x2780, 0x2788, 1),  # ➀ … ➈
    (0x278A, 0x2792, 1),  # ➊ … ➒
    (0x3021, 0x3029, 1),  # 〡 … 〩 (Suzhou numerals)
]
_DIGIT_SINGLES = {
    "⓪": "0", "⓿": "0", "🄀": "0", "〇": "0", "零": "0",
    "一": "1", "壹": "1", "二": "2", "贰": "2", "貳": "2", "三": "3", "叁": "3", "叄": "3",
    "四": "4", "肆": "4", "五": "5", "伍": "5", "六": "6", "陆": "6", "陸": "6",
    "七": "7", "柒": "7", "八": "8", "捌": "8", "九": "9", "玖": "9",
}
#: Chinese numerals (for boundary rules: 一九六四 is one number).
CJK_DIGITS = frozenset("〇零一壹二贰貳三叁叄四肆五伍六陆陸七柒八捌九玖")

# Unicode categories dropped as noise: separators, punctuation, symbols,
# control/format characters, combining marks.
_NOISE_CATEGORIES = ("Zs", "Zl", "Zp", "Cc", "Cf", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po",
                     "Sm", "Sc", "Sk", "So", "Mn", "Me")


@dataclass(frozen=True, slots=True)
class NormalizeOptions:
    """Per-rule-file switches; every step is on unless a rule file says otherwise."""

    case: bool = True
    width: bool = True  # full/half width and other compatibility forms (Kangxi radicals …)
    variants: bool = True  # traditional → simplified, character level
    noise: bool = True
    digits: bool = True
    #: A rule file's own one-to-one substitutions, as sorted ``(character, standard)`` pairs.
    homophones: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_dict(cls, data: dict | None) -> "NormalizeOptions":
        data = data or {}
        switches = {name: bool(data.get(name, True)) for name in cls.__slots__
                    if name != "homophones"}
        pairs = tuple(sorted((str(k), str(v)) for k, v in (data.get("homophones") or {}).items()))
        return cls(**switches, homophones=pairs)

    @property
    def base(self) -> "NormalizeOptions":
        """The same switches without the homophones."""
        return replace(self, homophones=()) if self.homophones else self


def _opencc_dir() -> Path:
    import opencc

    return Path(opencc.__file__).resolve().parent / "dictionary"


def _read_opencc(name: str) -> dict[str, str]:
    """An OpenCC dictionary as ``{source: first target}`` (single characters only)."""
    out: dict[str, str] = {}
    path = _opencc_dir() / name
    for line in path.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0] if targets else ""
        if len(source) == 1 and len(target) == 1 and source != target:
            out[source] = target
    return out


@lru_cache(maxsize=1)
def variants_table() -> dict[str, str]:
    """Traditional (and Taiwan/Hong Kong variant) character → simplified character."""
    ts = _read_opencc("TSCharacters.txt")
    table = dict(ts)
    for rev in ("TWVariantsRev.txt", "HKVariantsRev.txt"):
        for variant, standard in _read_opencc(rev).items():
            if variant not in table and standard in ts and ts[standard] != variant:
                table[variant] = ts[standard]
    return table


@lru_cache(maxsize=1)
def digits_table() -> dict[str, str]:
    """Digit styles → ASCII digit (both for terms and for text: see module doc)."""
    table = dict(_DIGIT_SINGLES)
    for first, last, digit in _DIGIT_RANGES:
        for offset, cp in enumerate(range(first, last + 1)):
            table[chr(cp)] = str(digit + offset)
    return table


def _case_map(ch: str) -> str:
    low = ch.lower()
    return low if len(low) == 1 else ch


@lru_cache(maxsize=1)
def _case_domain() -> frozenset[int]:
    """Code points that lower-case to one different character."""
    return frozenset(cp for cp in range(_TABLE_LIMIT) if _case_map(chr(cp)) != chr(cp))


@lru_cache(maxsize=32)
def char_map(options: NormalizeOptions) -> dict[int, int]:
    """The composed one-to-one folding for ``options``: code point → code point."""
    if options.homophones:
        # The base table plus the rule file's substitutions, each standard character folded
        # as the base folds it (a full-width or traditional form of the variant too).
        base = char_map(options.base)
        table = dict(base)
        sources = {ord(src): ord(chr(base.get(ord(dst), ord(dst))))
                   for src, dst in options.homophones}
        for cp, folded in list(base.items()) + [(cp, cp) for cp in sources]:
            if folded in sources:
                table[cp] = sources[folded]
        return {cp: v for cp, v in table.items() if cp != v}
    from reviewer.ingest.textnorm import compat_table

    compat = compat_table() if options.width else {}
    variants = variants_table() if options.variants else {}
    digits = digits_table() if options.digits else {}
    domain: set[int] = set(compat) | {ord(c) for c in variants} | {ord(c) for c in digits}
    if options.case:
        domain |= _case_domain()

    def fold(ch: str) -> str:
        if options.width:
            ch = compat.get(ord(ch), ch)
        if options.case:
            ch = _case_map(ch)
        if options.variants:
            ch = variants.get(ch, ch)
        if options.digits:
            ch = digits.get(ch, ch)
        return ch

    table: dict[int, int] = {}
    for cp in domain:
        if cp == ord(SEPARATOR) or 0xD800 <= cp <= 0xDFFF:
            continue
        out = fold(chr(cp))
        if len(out) == 1 and ord(out) != cp:
            table[cp] = ord(out)
    return table


@lru_cache(maxsize=1)
def noise_codepoints() -> frozenset[int]:
    """Code points removed as noise (see module doc)."""
    noise = set()
    for cp in range(_TABLE_LIMIT):
        if 0xD800 <= cp <= 0xDFFF or cp == ord(SEPARATOR):
            continue
        if unicodedata.category(chr(cp)) in _NOISE_CATEGORIES:
            noise.add(cp)
    # Variation selectors and emoji tag characters sit in Mn/Cf already; the
    # emoji skin-tone modifiers are Sk.  Regional indicators are So.
    return frozenset(noise)


class Normalized:
    """A normalised text and, for each of its characters, the offset in the original.

    The index is computed on first use: a scan without candidates never needs it.
    """

    __slots__ = ("text", "_index", "_mask")

    def __init__(self, text: str, index: np.ndarray | None = None, mask: np.ndarray | None = None):
        self.text = text
        self._index = index
        self._mask = mask

    @property
    def index(self) -> np.ndarray:
        """Integer array: ``index[i]`` is the original offset of normalised character ``i``
        (int32 while offsets fit, half the memory of int64: 4 bytes a character of a batch)."""
        if self._index is None:
            dtype = _index_dtype(len(self._mask) if self._mask is not None else len(self.text))
            if self._mask is None:
                self._index = np.arange(len(self.text), dtype=dtype)
            else:
                self._index = np.flatnonzero(self._mask).astype(dtype, copy=False)
                self._mask = None
        return self._index

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of normalised ``text[start:end]`` (``end > start``)."""
        return int(self.index[start]), int(self.index[end - 1]) + 1


def _index_dtype(length: int) -> type:
    return np.int32 if length < 2**31 - 1 else np.int64


#: Long texts are normalised this many characters at a time: every step is per character,
#: so the result is the same, and the transient arrays (~20 bytes a character) stay small.
CHUNK_CHARS = 1 << 20


class Normalizer:
    """Folding and noise removal for one :class:`NormalizeOptions`."""

    def __init__(self, options: NormalizeOptions | None = None):
        self.options = options or NormalizeOptions()
        if _table_cache is not None:
            self._map, noise = _table_cache(self.options, lambda: build_tables(self.options))
        else:
            self._map, noise = build_tables(self.options)
        self._translate = {cp: chr(v) for cp, v in self._map.items()}
        self._noise = noise
        self._strip = dict(self._translate)
        for cp in noise:
            self._strip[cp] = None
        self._lut: np.ndarray | None = None
        self._noise_mask: np.ndarray | None = None

    # -- short strings (terms, windows) ------------------------------------
    def fold(self, text: str) -> str:
        """Character folding only: same length as ``text``."""
        return text.translate(self._translate)

    def strip(self, text: str) -> str:
        """Folding and noise removal, without an index (for terms)."""
        return text.translate(self._strip)

    def is_noise(self, ch: str) -> bool:
        return ord(ch) in self._noise

    # -- long strings --------------------------------------------------------
    def _table(self) -> np.ndarray:
        """uint32 look-up table: code point → folded code point (the folding only;
        noise is :meth:`_noise_table`, so a noise character still folds in :meth:`fold_long`)."""
        if self._lut is None:
            lut = np.arange(_UNICODE_SIZE, dtype=np.uint32)
            if self._map:
                keys = np.fromiter(self._map.keys(), dtype=np.uint32, count=len(self._map))
                vals = np.fromiter(self._map.values(), dtype=np.uint32, count=len(self._map))
                lut[keys] = vals
            self._lut = lut
        return self._lut

    def _noise_table(self) -> np.ndarray:
        """bool look-up table: code point → dropped by :meth:`normalize`.  Lone surrogates
        (from undecodable bytes) can't reach the automaton: they are dropped with the noise."""
        if self._noise_mask is None:
            mask = np.zeros(_UNICODE_SIZE, dtype=bool)
            mask[np.fromiter(self._noise, dtype=np.uint32, count=len(self._noise))] = True
            mask[0xD800:0xE000] = True
            self._noise_mask = mask
        return self._noise_mask

    def normalize(self, text: str) -> Normalized:
        """Fold and remove noise, keeping the offset of every kept character."""
        if not text:
            return Normalized("", np.zeros(0, dtype=np.int32))
        if len(text) > CHUNK_CHARS:
            parts = [self.normalize(text[i:i + CHUNK_CHARS]) for i in range(0, len(text), CHUNK_CHARS)]
            joined = "".join(part.text for part in parts)
            if not self._noise:
                return Normalized(joined)
            mask = np.concatenate([part._mask for part in parts])
            return Normalized(joined, mask=mask)
        cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        mapped = self._table()[cps]
        if not self._noise:  # noise kept: U+FFFD stands in for a lone surrogate
            mapped[(cps >= 0xD800) & (cps < 0xE000)] = 0xFFFD
            return Normalized(mapped.tobytes().decode("utf-32-le"))
        mask = ~self._noise_table()[cps]
        return Normalized(mapped[mask].tobytes().decode("utf-32-le"), mask=mask)

    def fold_long(self, text: str) -> str:
        """:meth:`fold` for long strings (same result, vectorised, :data:`CHUNK_CHARS` at a time)."""
        if not text:
            return ""
        if len(text) > CHUNK_CHARS:
            return "".join(self.fold_long(text[i:i + CHUNK_CHARS])
                           for i in range(0, len(text), CHUNK_CHARS))
        cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        return self._table()[cps].tobytes().decode("utf-32-le", "surrogatepass")


def build_tables(options: NormalizeOptions) -> tuple[dict[int, int], frozenset[int]]:
    """``(code point → folded code point, noise code points)`` for ``options`` (~0.1 s:
    OpenCC's tables, Unicode compatibility forms, every symbol and punctuation mark)."""
    mapping = char_map(options)
    noise = noise_codepoints() if options.noise else frozenset()
    # A symbol that folds to a letter or digit (Ⓐ → a) is text, not noise.
    return mapping, frozenset(cp for cp in noise if cp not in mapping or mapping[cp] in noise)


#: Where built tables are kept between processes (installed by the service layer, which
#: may do I/O; checks don't): ``cache(options, build) -> build()``'s result.
_table_cache: Callable[[NormalizeOptions, Callable[[], tuple]], tuple] | None = None


def install_table_cache(cache: Callable[[NormalizeOptions, Callable[[], tuple]], tuple] | None) -> None:
    """Keep built tables with ``cache`` from now on (``None``: build them in each process)."""
    global _table_cache
    if cache is not _table_cache:
        _table_cache = cache
        normalizer.cache_clear()


@lru_cache(maxsize=32)
def normalizer(options: NormalizeOptions) -> Normalizer:
    """A shared :class:`Normalizer` per options (building the tables takes ~0.3 s)."""
    return Normalizer(options)


def char_class(ch: str) -> str:
    """``latin`` | ``digit`` | ``cjkdigit`` | ``han`` | ``other`` — for boundary rules.

    ``ch`` should already be folded for width (so ``Ａ`` is ``A``).
    """
    if ch in CJK_DIGITS:
        return "cjkdigit"
    if ch.isdigit() or ch in digits_table():
        return "digit"
    if ch.isalpha():
        cp = ord(ch)
        if (0x2E80 <= cp <= 0x2FFF or 0x3005 <= cp <= 0x3007 or 0x3400 <= cp <= 0x9FFF
                or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3FFFF):
            return "han"
        if 0x3040 <= cp <= 0x31FF or 0xAC00 <= cp <= 0xD7AF:
            return "other"  # kana, hangul: no Latin-style word boundary
        return "latin"
    return "other"
