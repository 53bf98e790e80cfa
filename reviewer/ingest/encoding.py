"""Decoding text files without garbling them (room: ingest).

Order of attempts, first success wins:

1. a byte-order mark: UTF-8 (``utf-8-sig``), UTF-16 LE/BE, UTF-32 LE/BE;
2. strict UTF-8;
3. UTF-16 without a BOM when the bytes look like it (NULs at every other byte);
4. GB18030 (a superset of GBK and GB2312) when it decodes strictly **and** the
   result reads as Chinese (most non-ASCII characters are CJK);
5. charset-normalizer's best guess, accepted only when the decoded text is
   free of control characters.

Anything else raises :class:`DecodeError` listing what was tried — the caller
records it as a file error ("cannot decode text (tried …)"), never a guess.
"""

from __future__ import annotations

import codecs

TRIED = ("utf-8", "utf-16", "gb18030", "charset-normalizer")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can trust."""


def _is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x3000 <= cp <= 0x303F
            or 0xFF00 <= cp <= 0xFFEF or 0x2E80 <= cp <= 0x2FDF or 0x20000 <= cp <= 0x2FFFF
            or 0x2000 <= cp <= 0x206F or 0xF900 <= cp <= 0xFAFF)


def looks_chinese(text: str, threshold: float = 0.85) -> bool:
    """Most non-ASCII characters of ``text`` are CJK ideographs or punctuation."""
    non_ascii = [c for c in text if ord(c) > 0x7F]
    if not non_ascii:
        return True
    cjk = sum(1 for c in non_ascii if _is_cjk(c))
    return cjk / len(non_ascii) >= threshold


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for c in text if (ord(c) < 32 and c not in "\t\n\r\f\v") or c == "\ufffd")
    return bad / len(text)


def _looks_utf16(data: bytes) -> str | None:
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4096]
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nul > 0.3 * half and even_nul < 0.05 * half:
        return "utf-16-le"
    if even_nul > 0.3 * half and odd_nul < 0.05 * half:
        return "utf-16-be"
    return None


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode ``data``: ``(text, encoding name)``; raises :class:`DecodeError`."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec.replace("-sig", ""))
            except UnicodeDecodeError as exc:
                raise DecodeError(f"cannot decode text: {name} BOM but invalid {name} ({exc.reason})") from None
            return text, name
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if "\x00" not in text:
            return text, "utf-8"
    utf16 = _looks_utf16(data)
    if utf16:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            pass
        else:
            if _control_ratio(text) < 0.01:
                return text, utf16
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        if looks_chinese(text) and _control_ratio(text) < 0.01:
            return text, "gb18030"
    guess = _charset_normalizer(data)
    if guess is not None:
        return guess
    raise DecodeError("cannot decode text (tried " + ", ".join(TRIED) + ")")


#: When several legacy code pages decode equally well, the commonest wins.
_PREFERRED = ("cp1252", "latin_1", "big5", "shift_jis", "euc_kr", "cp1251", "iso8859_15")


def _charset_normalizer(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    results = list(from_bytes(data))
    if not results:
        return None
    best = min(results, key=lambda m: (m.chaos, -m.coherence))
    ties = [m for m in results
            if abs(m.chaos - best.chaos) <= 0.01 and abs(m.coherence - best.coherence) <= 0.05]
    for name in _PREFERRED:
        for match in ties:
            if match.encoding == name:
                best = match
                break
        else:
            continue
        break
    text = str(best)
    if _control_ratio(text) > 0.001 or best.chaos > 0.2:
        return None
    try:
        name = codecs.lookup(best.encoding).name
    except LookupError:
        name = best.encoding
    return text, name
