"""Digests that bind a review to the exact bytes of a course package (room: ingest).

* :func:`file_sha256` — SHA-256 of one file's bytes, lower-case hex.
* :func:`package_digest` — one digest over the whole package, defined in
  ``docs/digest.md``: for every regular file (``.git/`` skipped) one line
  ``"<sha256 hex>  <path>\\n"`` where ``path`` is relative, ``/``-separated and
  Unicode NFC; lines sorted by the UTF-8 bytes of the path; the digest is
  ``"sha256:" + SHA-256(UTF-8 concatenation of the lines)``.

The same list is reproduced by ``sha256sum`` run from the package root with
``LC_ALL=C sort``, see ``docs/digest.md``.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from typing import BinaryIO

_CHUNK = 1 << 20


def file_sha256(data: bytes) -> str:
    """SHA-256 of ``data`` as 64 lower-case hex digits."""
    return hashlib.sha256(data).hexdigest()


def stream_sha256(stream: BinaryIO, head: bytes = b"") -> tuple[str, int]:
    """SHA-256 of ``head`` (bytes already read from ``stream``) followed by the rest of
    the stream, read in chunks: ``(hex, bytes hashed)``.  Hashes huge files without
    holding them in memory."""
    h = hashlib.sha256(head)
    total = len(head)
    while chunk := stream.read(_CHUNK):
        h.update(chunk)
        total += len(chunk)
    return h.hexdigest(), total


def normalize_relpath(path: str) -> str:
    """The canonical form of a package path: ``/``-separated, NFC, no leading ``./``."""
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return unicodedata.normalize("NFC", path)


def digest_lines(entries: Iterable[tuple[str, str]]) -> list[str]:
    """The sorted ``"<sha256>  <path>\\n"`` lines that :func:`package_digest` hashes."""
    lines = [(normalize_relpath(p).encode("utf-8"), f"{sha.lower()}  {normalize_relpath(p)}\n")
             for p, sha in entries]
    lines.sort()  # by path bytes (paths are unique in a package; the line breaks ties)
    return [line for _, line in lines]


def package_digest(entries: Iterable[tuple[str, str]]) -> str:
    """``"sha256:<hex>"`` over ``(relpath, sha256)`` pairs; see the module docstring."""
    h = hashlib.sha256()
    for line in digest_lines(entries):
        h.update(line.encode("utf-8"))
    return "sha256:" + h.hexdigest()


def content_digest(file_sha256s: Iterable[str]) -> str | None:
    """``"sha256:<hex>"`` over the sorted SHA-256s of a package's files, their paths left
    out: the same files at another place, in a renamed zip or under other names have the
    same content digest (the review's carry-over by content).  ``None`` when no file has one."""
    shas = sorted(s.lower() for s in file_sha256s if s)
    if not shas:
        return None
    return "sha256:" + hashlib.sha256("".join(f"{s}\n" for s in shas).encode("ascii")).hexdigest()
