"""A cache of sentence vectors on disk, shared by every scan of this user (room: store).

The coverage check embeds topic titles and teaching passages with the sentence
encoder, ~35 ms a text on this project's 2-core machine: the large benchmark
course's 441 texts took 4 s every scan, though they never change.  Vectors are
kept here by the digest of their text, in a SQLite file of their own in the
cache folder (one file per encoder build, see :func:`reviewer.service.encoder.model_stamp`),
so a later scan — a new process, the TUI re-opening a course — embeds only what
it has not seen.  It is a cache: a file that can't be opened, read or written
costs the embedding, never the scan.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

_SCHEMA = "CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vec BLOB NOT NULL) WITHOUT ROWID"
#: Bytes of one vector (512 float32): anything else in the file is ignored.
VECTOR_BYTES = 512 * 4
_BATCH = 500  # keys per SELECT (SQLite's variable limit is 32,766; stay well below)


class VectorCache:
    """``get(keys)`` → ``{key: bytes}`` for the keys stored; ``put({key: bytes})``."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        self._broken = False

    def _open(self) -> sqlite3.Connection | None:
        if self._conn is None and not self._broken:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=2.0, isolation_level=None,
                                       check_same_thread=False)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute(_SCHEMA)
                self._conn = conn
            except (OSError, sqlite3.Error):
                self._broken = True
        return self._conn

    def get(self, keys: Iterable[bytes]) -> dict[bytes, bytes]:
        conn = self._open()
        wanted = list(dict.fromkeys(keys))
        if conn is None or not wanted:
            return {}
        out: dict[bytes, bytes] = {}
        try:
            for i in range(0, len(wanted), _BATCH):
                part = wanted[i:i + _BATCH]
                rows = conn.execute(
                    f"SELECT key, vec FROM vectors WHERE key IN ({','.join('?' * len(part))})",
                    part).fetchall()
                out.update((bytes(k), bytes(v)) for k, v in rows if len(v) == VECTOR_BYTES)
        except sqlite3.Error:
            return out
        return out

    def put(self, items: dict[bytes, bytes]) -> None:
        conn = self._open()
        if conn is None or not items:
            return
        try:
            with conn:
                conn.execute("BEGIN")
                conn.executemany("INSERT OR REPLACE INTO vectors (key, vec) VALUES (?, ?)",
                                 [(k, v) for k, v in items.items() if len(v) == VECTOR_BYTES])
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
