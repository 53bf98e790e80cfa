"""Writing files atomically — every file the tool writes besides its database.

Key files, trust stores, recommendations, reports, exported answers and the
lexicon cache are written to a temporary file
beside the target (created ``O_EXCL`` with an unpredictable name, mode 0600
until ``mode`` is set), flushed to disk, then renamed into place: a reader or
a crash sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: str | Path, data: bytes, *, mode: int = 0o644,
                 overwrite: bool = True) -> None:
    """Write ``data`` to ``path`` with ``mode``.

    ``overwrite=False`` never replaces an existing file (``FileExistsError``,
    also when one appears while writing).  ``OSError`` when the place is unusable.
    """
    path = Path(path)
    if not overwrite and path.exists():
        raise FileExistsError(f"{path} already exists (not overwritten)")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails if path appeared meanwhile
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass


def write_text(path: str | Path, text: str) -> None:
    """UTF-8 ``text`` to ``path`` atomically, creating missing folders (``OSError`` if unusable)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"))
