"""Reading a whole course package (room: ingest): the entry point of stage 1.

``iter_package(path)`` is a generator: it yields :class:`IngestProgress` after
every file and returns the :class:`~reviewer.ingest.model.Package` (so a UI
worker can relay progress and cancel); :func:`load_package` just drains it.

For every regular file: SHA-256 of its bytes, format (from the name), role
(from ``course.yaml`` when it lists the file, otherwise guessed from the
path), then either the record the ``cached`` callback returns for that
``(sha256, format, path)`` or a fresh extraction.  A file that cannot be read
gets ``status="error"``, a one-line ``error`` and an
:class:`~reviewer.ingest.model.IngestIssue`; the scan goes on.  Only
:class:`PackageError` (the path is not a readable package) leaves this module.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Callable, Generator
from dataclasses import dataclass, replace
from typing import Any

from reviewer.ingest.digest import file_sha256, normalize_relpath, package_digest, stream_sha256
from reviewer.ingest.formats.base import ExtractError, issue
from reviewer.ingest.formats.detect import LEGACY_EXT, bundle_of, detect_format, extension, infer_role
from reviewer.ingest.formats.table import TABLE, FormatSpec, spec_of
from reviewer.ingest.manifest import MANIFEST_NAMES, parse_manifest_located
from reviewer.ingest.model import FileRecord, IngestIssue, Package, Segment
from reviewer.ingest.ocr import OcrOptions, available, run_jobs
from reviewer.ingest.sources import Entry, PackageError, open_source

__all__ = [
    "EXTRACTOR_VERSIONS", "IngestProgress", "Limits", "OcrOptions", "PackageError", "extractor_versions",
    "iter_package",
    "load_package", "read_file",
]

def _legacy_tag() -> str:
    """Legacy Office files: read only when LibreOffice is installed (then a new record)."""
    from reviewer.ingest.formats.legacy import soffice

    return "+lo" if soffice() else "-nolo"


def _picture_tag() -> str:
    """Which picture readers are installed: a record read without OCR is not reused once it is."""
    ocr_ok, qr_ok = available()
    return ("+ocr" if ocr_ok else "") + ("+qr" if qr_ok else "")


def _version(spec: FormatSpec) -> str:
    """A format's extractor version as installed here: its table version, plus which
    picture readers (and LibreOffice, or the probing tool) this machine has."""
    version = spec.version
    if spec.pictures or spec.legacy:
        version += _picture_tag()
    if spec.legacy:
        version += _legacy_tag()
    if spec.probe:
        version += f"+{spec.probe}" if shutil.which(spec.probe) else ""
    return version


#: The store keys cached records by ``(sha256, format, EXTRACTOR_VERSIONS[format])``;
#: the versions are in :data:`reviewer.ingest.formats.table.TABLE`.
EXTRACTOR_VERSIONS: dict[str, str] = {spec.name: _version(spec) for spec in TABLE}
#: Formats whose readers take the OCR options (they have pictures).
_PICTURE_FORMATS = frozenset(spec.name for spec in TABLE if spec.pictures)


def extractor_versions(ocr: OcrOptions | None = None) -> dict[str, str]:
    """:data:`EXTRACTOR_VERSIONS` as read with ``ocr``: a file read with OCR off, or with
    pictures inside documents left out, is not reused when they are on (nor the reverse)."""
    ocr = ocr if ocr is not None else OcrOptions()
    if replace(ocr, cache="default") == OcrOptions():  # where the cache lives changes no text
        return EXTRACTOR_VERSIONS
    flags = "-" + "".join(("o" if ocr.enabled else "_", "q" if ocr.qr else "_", "e" if ocr.embedded else "_"))
    limits = f"-{ocr.max_pages}-{ocr.max_pictures}-{ocr.max_pixels}-{ocr.page_side}-{ocr.min_side}-{ocr.min_area}"
    return {fmt: v + flags + limits if fmt in _PICTURE_FORMATS else v for fmt, v in EXTRACTOR_VERSIONS.items()}


@dataclass(frozen=True)
class Limits:
    """Size limits; the defaults suit real courses (lecture videos are not sent for text)."""

    max_file_bytes: int = 200 * 2**20
    max_total_bytes: int = 2 * 2**30  # zip: total uncompressed
    max_ratio: float = 100.0  # zip: per-entry compression ratio cap
    max_entries: int = 10_000


@dataclass(frozen=True)
class IngestProgress:
    """Progress after one file: ``stage`` is ``"read"``, ``"cached"`` or ``"done"`` (the last one).

    While the pictures of a file are read, ``stage`` is ``"ocr"``, ``done`` counts
    the files finished before it and ``part``/``parts`` the file's pictures (PDF
    pages without text, images) read so far / in all.
    """

    path: str
    done: int
    total: int
    stage: str
    part: int = 0
    parts: int = 0

    @property
    def label(self) -> str:
        """What to show: the path, and during OCR how far in its pictures (``deck.pdf · OCR 3/20``)."""
        if self.stage == "ocr":
            return f"{self.path} · OCR {self.part}/{self.parts}"
        return self.path


CachedFn = Callable[[str, str, str], "FileRecord | None"]


def _error_record(record: FileRecord, reason: str, rule: str, zh: str) -> FileRecord:
    record.status = "error"
    record.error = reason
    record.segments = []
    record.issues.append(issue(rule, "error", zh, reason, file=record.path))
    return record


def read_file(data: bytes, path: str, fmt: str | None = None, role: str | None = None,
              sha256: str | None = None, ocr: OcrOptions | None = None) -> FileRecord:
    """Extract one file's bytes into a :class:`FileRecord` (never raises); its pictures are
    read with ``ocr`` (default :class:`OcrOptions`; ``OcrOptions(enabled=False, qr=False)``: not at all)."""
    gen = iter_read_file(data, path, fmt, role, sha256, ocr)
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            return stop.value


def iter_read_file(data: bytes, path: str, fmt: str | None = None, role: str | None = None,
                   sha256: str | None = None, ocr: OcrOptions | None = None
                   ) -> Generator[tuple[int, int], None, FileRecord]:
    """:func:`read_file` as a generator: yields ``(pictures read, pictures)`` while OCR runs."""
    ocr = ocr if ocr is not None else OcrOptions()
    fmt = fmt or detect_format(path, data[:8192])
    record = FileRecord(path=path, size=len(data), sha256=sha256 or file_sha256(data),
                        role=role or infer_role(path, fmt), format=fmt)
    if not data:
        return _error_record(record, "empty file (0 bytes)", "file-empty", "空文件（0 字节）")
    if fmt == "media":
        from reviewer.ingest.formats.media import read_media

        out = read_media(data, path)
        record.meta, record.units = out.meta, out.units
        record.issues.extend(out.issues)
        return record
    if fmt == "unknown":
        ext = extension(path)
        bundle = bundle_of(path)
        if ext in LEGACY_EXT or bundle:
            what = os.path.splitext(bundle)[1] if bundle else ext
            return _error_record(record, f"unsupported legacy format ({what}), convert to .docx/.pptx/.pdf",
                                 "unsupported-format",
                                 f"不支持的旧格式（{what}），请转换为 .docx、.pptx 或 .pdf")
        shown = ext or "no extension"
        return _error_record(record, f"unknown format ({shown}); not read", "unknown-format",
                             f"无法识别的文件格式（{shown}），未读取")
    reader = spec_of(fmt).load_reader()
    if reader is None:  # pragma: no cover - every listed format has a reader
        return record
    try:
        out = reader(data, path, ocr=ocr) if fmt in _PICTURE_FORMATS else reader(data, path)
        if out.jobs:
            yield from run_jobs(path, out, ocr)
        if out.finish is not None:
            out.finish(out)
    except ExtractError as exc:
        return _error_record(record, exc.reason, exc.rule, exc.zh)
    except Exception as exc:  # noqa: BLE001 - a reader bug must not stop the scan
        reason = f"unexpected error while reading {fmt}: {type(exc).__name__}: {exc}".splitlines()[0][:300]
        return _error_record(record, reason, "file-unreadable", f"读取文件时出现意外错误：{reason}")
    record.segments = out.segments
    record.units = out.units
    record.meta = out.meta
    record.issues.extend(out.issues)
    return record


def _from_cache(cached: FileRecord, path: str, role: str, size: int) -> FileRecord:
    """A cached record moved to ``path``/``role`` (the same bytes may have moved)."""
    if cached.path == path and cached.role == role:
        return cached
    segments = [Segment(path, s.ordinal, s.locator, s.text, s.norm) for s in cached.segments]
    issues = [dataclasses.replace(i, file=path if i.file == cached.path else i.file) for i in cached.issues]
    return dataclasses.replace(cached, path=path, role=role, size=size, segments=segments, issues=issues)


def _manifest_roles(manifest: dict[str, Any] | None) -> dict[str, str]:
    roles: dict[str, str] = {}
    for entry in (manifest or {}).get("files") or []:
        if isinstance(entry, dict) and isinstance(entry.get("path"), str) and isinstance(entry.get("role"), str):
            roles[normalize_relpath(entry["path"])] = entry["role"]
    return roles


def _read_entry(entry: Entry, limits: Limits) -> tuple[bytes | None, str, int]:
    """``(data or None when too large, sha256, size)``; raises ``OSError``-like errors."""
    with entry.open() as stream:
        if entry.size > limits.max_file_bytes:
            sha, size = stream_sha256(stream)
            return None, sha, size
        # Ask for what the listing says (+1): reading max_file_bytes at once
        # would make Python reserve the whole limit for every small file.
        data = stream.read(min(entry.size, limits.max_file_bytes) + 1)
        if len(data) > entry.size:  # grew since it was listed: the rest, up to the limit
            data += stream.read(limits.max_file_bytes + 1 - len(data))
        if len(data) > limits.max_file_bytes:  # grew since it was listed
            sha, size = stream_sha256(stream, head=data)
            return None, sha, size
    return data, file_sha256(data), len(data)


def iter_package(path: str | os.PathLike[str], *, limits: Limits = Limits(),
                 cached: CachedFn | None = None,
                 ocr: OcrOptions | None = None) -> Generator[IngestProgress, None, Package]:
    """Read the package at ``path`` (folder or .zip), yielding progress; returns the :class:`Package`.

    ``cached(sha256, format, relpath)`` may return a :class:`FileRecord` read
    earlier from the same bytes; it is then used instead of extracting.
    ``ocr`` says how pictures are read (default :class:`OcrOptions`).
    Raises :class:`PackageError` only.
    """
    source = open_source(path, limits)
    try:
        package = yield from _ingest(source, str(path), limits, cached, ocr or OcrOptions())
    finally:
        source.close()
    return package


def _ingest(source, path: str, limits: Limits, cached: CachedFn | None,
            ocr: OcrOptions) -> Generator[IngestProgress, None, Package]:
    issues: list[IngestIssue] = list(source.issues)
    entries = source.entries
    total = len(entries)
    manifest: dict[str, Any] | None = None
    manifest_entry = next((e for e in entries if e.path in MANIFEST_NAMES), None)
    manifest_record: FileRecord | None = None
    if manifest_entry is not None:
        try:
            data, sha, size = _read_entry(manifest_entry, limits)
        except Exception as exc:  # noqa: BLE001
            data, sha, size = None, "", manifest_entry.size
            issues.append(issue("manifest-invalid", "error", f"无法读取清单：{exc}", f"cannot read manifest: {exc}",
                                file=manifest_entry.path))
        manifest_record = FileRecord(path=manifest_entry.path, size=size, sha256=sha, role="manifest",
                                     format="yaml")
        if data is not None:
            manifest, manifest_issues, key_lines = parse_manifest_located(data, manifest_entry.path)
            issues.extend(manifest_issues)
            manifest_record.units = len(data.splitlines())
            if key_lines:  # where each field is, for findings about a field (platform …)
                manifest_record.meta["key_lines"] = key_lines
            if manifest is None:
                manifest_record.status = "error"
                manifest_record.error = manifest_issues[0].message["en"] if manifest_issues else "invalid manifest"
        else:
            manifest_record.status = "error"
            manifest_record.error = "manifest not read (too large or unreadable)"
            if sha:
                issues.append(issue("manifest-invalid", "error", "清单文件过大，未读取",
                                    "manifest too large; not read", file=manifest_entry.path))
    else:
        issues.append(issue("manifest-missing", "warning",
                            "课程包没有清单文件 course.yaml：文件角色按文件名和格式推断",
                            "the package has no course.yaml manifest: file roles were inferred from names and formats"))
    roles = _manifest_roles(manifest)
    records: list[FileRecord] = []
    for done, entry in enumerate(entries, start=1):
        if entry is manifest_entry and manifest_record is not None:
            records.append(manifest_record)
            yield IngestProgress(entry.path, done, total, "read")
            continue
        one = _one_file(entry, roles, limits, cached, ocr)
        while True:
            try:
                part, parts = next(one)
            except StopIteration as stop:
                record, stage = stop.value
                break
            yield IngestProgress(entry.path, done - 1, total, "ocr", part, parts)
        records.append(record)
        yield IngestProgress(entry.path, done, total, stage)
    digest = package_digest([(r.path, r.sha256) for r in records if r.sha256])
    package = Package(source=path, kind=source.kind, files=records, digest=digest, manifest=manifest,
                      issues=issues)
    yield IngestProgress("", total, total, "done")
    return package


def _one_file(entry: Entry, roles: dict[str, str], limits: Limits, cached: CachedFn | None,
              ocr: OcrOptions) -> Generator[tuple[int, int], None, tuple[FileRecord, str]]:
    try:
        data, sha, size = _read_entry(entry, limits)
    except Exception as exc:  # noqa: BLE001 - unreadable bytes (I/O error, bad zip CRC …)
        fmt = detect_format(entry.path)
        record = FileRecord(path=entry.path, size=entry.size, sha256="", format=fmt,
                            role=roles.get(entry.path) or infer_role(entry.path, fmt))
        reason = f"cannot read file: {type(exc).__name__}: {exc}".splitlines()[0][:300]
        return _error_record(record, reason, "file-unreadable", f"无法读取文件：{reason}"), "read"
    fmt = detect_format(entry.path, data[:8192] if data else b"")
    role = roles.get(entry.path) or infer_role(entry.path, fmt)
    if data is None and fmt == "media":  # a long lecture video: its header is enough
        record = FileRecord(path=entry.path, size=size, sha256=sha, role=role, format=fmt)
        return _media_from_stream(entry, record), "read"
    if data is None:
        record = FileRecord(path=entry.path, size=size, sha256=sha, role=role, format=fmt)
        mb = limits.max_file_bytes / 2**20
        return _error_record(record, f"file too large ({size / 2**20:.1f} MB > limit {mb:.0f} MB); not read",
                             "file-too-large",
                             f"文件过大（{size / 2**20:.1f} MB，超过 {mb:.0f} MB 上限），未读取"), "read"
    if cached is not None:
        try:
            hit = cached(sha, fmt, entry.path)
        except Exception:  # noqa: BLE001 - a broken cache only costs time
            hit = None
        if hit is not None:
            return _from_cache(hit, entry.path, role, size), "cached"
    record = yield from iter_read_file(data, entry.path, fmt, role, sha, ocr)
    return record, "read"


def _media_from_stream(entry: Entry, record: FileRecord) -> FileRecord:
    from reviewer.ingest.formats.media import read_media

    try:
        with entry.open() as stream:
            out = read_media(stream, entry.path)
    except Exception as exc:  # noqa: BLE001 - unreadable bytes lose the duration, not the scan
        reason = f"cannot read file: {type(exc).__name__}: {exc}".splitlines()[0][:300]
        return _error_record(record, reason, "file-unreadable", f"无法读取文件：{reason}")
    record.meta, record.units = out.meta, out.units
    record.issues.extend(out.issues)
    return record


def load_package(path: str | os.PathLike[str], **kw: Any) -> Package:
    """Read the package at ``path`` to the end (see :func:`iter_package`)."""
    gen = iter_package(path, **kw)
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            return stop.value
