"""SHA-256 and SM3 digests of a package's files (signing room).

The recommendation names every file of the package with both digests: SHA-256
for everyone, SM3 (GB/T 32905-2016) for platforms under China's commercial
cryptography rules.  A package is a folder or a zip; paths are relative,
``/``-separated, Unicode NFC, and the selection of files is ingest's
(``reviewer.ingest.sources``), so subjects and package digest agree.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes

from reviewer.ingest.digest import normalize_relpath

CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class FileDigest:
    """One file's size and digests (hex, lower case)."""

    path: str
    size: int
    sha256: str
    sm3: str

    def subject(self) -> dict:
        """The in-toto subject entry for this file."""
        return {"name": self.path, "digest": {"sha256": self.sha256, "sm3": self.sm3},
                "annotations": {"size": self.size}}


class _Hasher:
    def __init__(self) -> None:
        self.sha = hashlib.sha256()
        self.sm3 = hashes.Hash(hashes.SM3())
        self.size = 0

    def update(self, chunk: bytes) -> None:
        self.sha.update(chunk)
        self.sm3.update(chunk)
        self.size += len(chunk)

    def result(self, path: str) -> FileDigest:
        return FileDigest(path, self.size, self.sha.hexdigest(), self.sm3.finalize().hex())


def digest_bytes(path: str, data: bytes) -> FileDigest:
    h = _Hasher()
    h.update(data)
    return h.result(path)


def sm3_hex(data: bytes) -> str:
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize().hex()


def _entries(source: str | Path) -> tuple[dict[str, Any], Any]:
    """The package's files exactly as ingest lists them (canonical path → entry), and
    the open source, which the caller closes.

    Raises ``PackageError`` (from ingest) when the path is not a readable package.
    """
    from reviewer.ingest.package import Limits
    from reviewer.ingest.sources import open_source

    src = open_source(source, Limits())
    return {e.path: e for e in src.entries}, src


def list_files(source: str | Path) -> list[str]:
    """Every file of the package (folder or zip), canonical paths, sorted."""
    entries, src = _entries(source)
    src.close()
    return sorted(entries)


def digest_files(source: str | Path, paths: Iterable[str] | None = None) -> dict[str, FileDigest]:
    """Digests of ``paths`` (default: every file) of the package ``source``.

    The selection of files and their canonical paths (``/``-separated, NFC)
    are ingest's (``reviewer.ingest.sources``), so the subjects of a
    recommendation name the same files as the package digest.  A path that
    does not exist is left out of the result (the caller reports it).
    """
    entries, src = _entries(source)
    wanted = None if paths is None else {normalize_relpath(p) for p in paths}
    out: dict[str, FileDigest] = {}
    try:
        for rel in sorted(entries):
            if wanted is not None and rel not in wanted:
                continue
            h = _Hasher()
            with entries[rel].open() as fh:
                while chunk := fh.read(CHUNK):
                    h.update(chunk)
            out[rel] = h.result(rel)
    finally:
        src.close()
    return out
