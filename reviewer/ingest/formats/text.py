"""Plain text and Markdown (room: ingest): one segment per non-empty line.

``Locator(line=n)`` with ``n`` the 1-based line number in the file (CRLF, CR
and LF all end a line).  A line longer than :data:`MAX_CHUNK` characters (a
whole transcript on one line) is cut into chunks that keep the same line
number; cuts fall on a space or a punctuation mark near the limit when there
is one, so words are not split.
"""

from __future__ import annotations

from reviewer.ingest.encoding import DecodeError, decode_text
from reviewer.ingest.formats.base import Extracted, ExtractError
from reviewer.ingest.model import Locator, Segment

MAX_CHUNK = 2000
#: How far back from the limit a cut may move to land on a break character.
_LOOKBACK = 200
_BREAKS = set(" \t。！？；，、.!?;,）)】」』")


def decode_or_fail(data: bytes) -> tuple[str, str]:
    """Decode text bytes or raise :class:`ExtractError` (rule ``text-undecodable``)."""
    try:
        return decode_text(data)
    except DecodeError as exc:
        raise ExtractError(str(exc), rule="text-undecodable",
                           zh="无法识别文本编码（已尝试 UTF-8、UTF-16、GB18030 及自动检测），不作猜测") from None


def split_long(line: str, limit: int = MAX_CHUNK) -> list[str]:
    """Cut ``line`` into pieces of at most ``limit`` characters at break characters."""
    if len(line) <= limit:
        return [line]
    pieces: list[str] = []
    start = 0
    n = len(line)
    while n - start > limit:
        end = start + limit
        cut = end
        for i in range(end - 1, max(start, end - _LOOKBACK) - 1, -1):
            if line[i] in _BREAKS:
                cut = i + 1
                break
        pieces.append(line[start:cut])
        start = cut
    if start < n:
        pieces.append(line[start:])
    return pieces


def lines_to_segments(text: str, path: str) -> Extracted:
    """Segments for every non-blank line of ``text`` (already decoded)."""
    out = Extracted()
    lines = text.splitlines()
    ordinal = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        for piece in split_long(line):
            out.segments.append(Segment(path, ordinal, Locator(line=number), piece))
            ordinal += 1
    out.units = len(lines)
    return out


def read_text(data: bytes, path: str) -> Extracted:
    """Read a ``.txt``/``.md``/``.tex``/YAML file as located lines."""
    text, encoding = decode_or_fail(data)
    out = lines_to_segments(text, path)
    out.meta["encoding"] = encoding
    return out
