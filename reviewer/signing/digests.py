"""SHA-256 and SM3 digests of a package's files (signing room).

The recommendation names every file of the package with both digests: SHA-256
for everyone, SM3 (GB/T 32905-2016) for platforms under China's commercial
cryptography rules.  A package is a folder or a zip; paths are relative,
``/``-separated, exactly as ingest reports them.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from cryptography.hazmat.primitives import hashes

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


def _safe_member(name: str) -> str | None:
    """A zip member name as a safe relative path, or ``None`` (dirs, traversal)."""
    if name.endswith("/"):
        return None
    p = PurePosixPath(name.replace("\\", "/"))
    if p.is_absolute() or ".." in p.parts or not p.parts:
        return None
    return p.as_posix()


def list_files(source: str | Path) -> list[str]:
    """Every regular file of a folder or zip, relative, sorted (no filtering)."""
    source = Path(source)
    if source.is_dir():
        return sorted(p.relative_to(source).as_posix() for p in source.rglob("*")
                      if p.is_file() and not p.is_symlink())
    with zipfile.ZipFile(source) as zf:
        return sorted({n for n in (_safe_member(i.filename) for i in zf.infolist()) if n})


def digest_files(source: str | Path, paths: Iterable[str] | None = None) -> dict[str, FileDigest]:
    """Digests of ``paths`` (default: every file) in the folder or zip ``source``.

    A path that does not exist is left out of the result (the caller reports it).
    """
    source = Path(source)
    wanted = sorted(set(paths)) if paths is not None else list_files(source)
    out: dict[str, FileDigest] = {}
    if source.is_dir():
        root = source.resolve()
        for rel in wanted:
            p = (source / rel)
            try:
                if not p.resolve().is_relative_to(root) or not p.is_file():
                    continue
                h = _Hasher()
                with p.open("rb") as fh:
                    while chunk := fh.read(CHUNK):
                        h.update(chunk)
            except OSError:
                continue
            out[rel] = h.result(rel)
        return out
    with zipfile.ZipFile(source) as zf:
        members = {}
        for info in zf.infolist():
            name = _safe_member(info.filename)
            if name:
                members.setdefault(name, info)
        for rel in wanted:
            info = members.get(rel)
            if info is None:
                continue
            h = _Hasher()
            with zf.open(info) as fh:
                while chunk := fh.read(CHUNK):
                    h.update(chunk)
            out[rel] = h.result(rel)
    return out
