"""Format readers (room: ingest): bytes of one file in, located segments out.

Each reader is ``read_<format>(data: bytes, path: str) -> Extracted`` and
raises :class:`ExtractError` with a one-line reason when the file cannot be
read at all.  Readers never touch the file system and never raise anything
else on purpose; :mod:`reviewer.ingest.package` still guards every call.
"""
