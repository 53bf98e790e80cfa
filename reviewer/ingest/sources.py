"""Opening a package: a folder or a .zip read in memory (room: ingest).

:func:`open_source` lists the package's regular files as :class:`Entry`
objects with canonical relative paths (``/``-separated, NFC) and returns the
package-level issues met on the way.  Nothing is ever extracted to disk and
nothing outside the package is read.

Folders: ``.git/`` is skipped; symbolic links are never followed out of the
package (a link to a file inside is read as that file; links to folders,
links outside and broken links are skipped with an issue); FIFOs, sockets and
devices are skipped with an issue (reading a FIFO would block).

Zips: entries whose name would land outside the package (``..``, absolute
paths, drive letters) and symbolic-link entries are refused one by one
(``zip-unsafe-path``, ``zip-symlink``), as are entries whose compression
ratio exceeds ``Limits.max_ratio`` (``zip-bomb``; only entries of 1 MiB or
more are measured, small text files compress legitimately well), encrypted
entries and duplicate names.  Too many entries or a declared uncompressed
total above ``Limits.max_total_bytes`` refuses the whole archive
(:class:`PackageError`).  Names without the UTF-8 flag are decoded from the
bytes as UTF-8 when valid, else GBK (Chinese Windows), else kept as CP437.
``__MACOSX/`` (archiver metadata) is skipped; when every entry lies in one
top folder, that folder is the package root (so a zipped folder has the same
paths, and digest, as the folder).
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from reviewer.i18n import CodedError
from reviewer.ingest.digest import normalize_relpath
from reviewer.ingest.formats.base import issue
from reviewer.ingest.model import IngestIssue

if TYPE_CHECKING:
    from reviewer.ingest.package import Limits

#: Entries at least this large are subject to the compression-ratio cap.
RATIO_MIN_BYTES = 1 << 20


class PackageError(CodedError):
    """The path cannot be read as a package at all (missing, not a folder/zip, corrupt or hostile zip)."""


@dataclass(slots=True)
class Entry:
    """One regular file of the package."""

    path: str  # canonical relative path
    size: int  # bytes (uncompressed size for zip entries)
    opener: Callable[[], IO[bytes]]

    def open(self) -> IO[bytes]:
        return self.opener()


@dataclass(slots=True)
class Source:
    kind: str  # "dir" | "zip"
    entries: list[Entry]
    issues: list[IngestIssue]
    closer: Callable[[], None] | None = None

    def close(self) -> None:
        if self.closer:
            self.closer()


def open_source(path: str | os.PathLike[str], limits: "Limits") -> Source:
    """Open ``path`` as a package folder or zip; raises :class:`PackageError`."""
    p = Path(path)
    if not p.exists():
        raise PackageError(f"no such file or folder: {path}", "no-such-path", path=str(path))
    if p.is_dir():
        return _open_dir(p)
    if p.is_file():
        if zipfile.is_zipfile(p):
            return _open_zip(p, limits)
        if p.suffix.lower() == ".zip":
            raise PackageError(f"corrupt zip archive: {path}", "corrupt-zip", path=str(path))
        raise PackageError(f"not a folder or .zip file: {path} (a package is a folder: put "
                           f"{p.name} in one and scan the folder)", "single-file",
                           path=str(path), name=p.name)
    raise PackageError(f"not a folder or .zip file: {path}", "not-a-package", path=str(path))


# ------------------------------------------------------------------ folders

def _file_opener(path: str) -> Callable[[], IO[bytes]]:
    return lambda: open(path, "rb")  # noqa: SIM115 - closed by the caller


def _open_dir(root: Path) -> Source:
    root_real = os.path.realpath(root)
    try:
        os.listdir(root_real)
    except OSError as exc:
        raise PackageError(f"cannot read folder {root}: {exc.strerror}", "folder-unreadable",
                           path=str(root), reason=exc) from None
    entries: list[Entry] = []
    issues: list[IngestIssue] = []

    def walk_error(exc: OSError) -> None:
        rel = normalize_relpath(os.path.relpath(exc.filename or root_real, root_real))
        issues.append(issue("file-unreadable", "error", f"无法读取文件夹：{exc.strerror}",
                            f"cannot read folder: {exc.strerror}", file=rel))

    for dirpath, dirnames, filenames in os.walk(root_real, followlinks=False, onerror=walk_error):
        rel_dir = os.path.relpath(dirpath, root_real)
        rel_dir = "" if rel_dir == "." else rel_dir
        keep = []
        for name in sorted(dirnames):
            if name == ".git":
                continue
            full = os.path.join(dirpath, name)
            if os.path.islink(full):
                rel = normalize_relpath(os.path.join(rel_dir, name))
                issues.append(_link_issue(full, rel, root_real, folder=True))
                continue
            keep.append(name)
        dirnames[:] = keep
        for name in sorted(filenames):
            full = os.path.join(dirpath, name)
            rel = normalize_relpath(os.path.join(rel_dir, name))
            try:
                st = os.lstat(full)
            except OSError as exc:
                issues.append(issue("file-unreadable", "error", f"无法读取：{exc.strerror}",
                                    f"cannot read: {exc.strerror}", file=rel))
                continue
            if stat.S_ISLNK(st.st_mode):
                target = os.path.realpath(full)
                inside = target == root_real or target.startswith(root_real + os.sep)
                if inside and os.path.isfile(target):
                    entries.append(Entry(rel, os.path.getsize(target), _file_opener(target)))
                else:
                    issues.append(_link_issue(full, rel, root_real, folder=False))
                continue
            if not stat.S_ISREG(st.st_mode):
                issues.append(issue("not-a-regular-file", "warning", "不是普通文件（管道、设备或套接字），已跳过",
                                    "not a regular file (FIFO, device or socket); skipped", file=rel))
                continue
            entries.append(Entry(rel, st.st_size, _file_opener(full)))
    entries.sort(key=lambda e: e.path.encode("utf-8"))
    return Source("dir", _dedupe(entries, issues), issues)


def _link_issue(full: str, rel: str, root_real: str, *, folder: bool) -> IngestIssue:
    target = os.path.realpath(full)
    inside = target == root_real or target.startswith(root_real + os.sep)
    if not os.path.exists(target):
        return issue("symlink-broken", "warning", "符号链接指向不存在的目标，已跳过",
                     "broken symbolic link; skipped", file=rel)
    if not inside:
        return issue("symlink-outside", "warning", "符号链接指向课程包之外，未跟随读取",
                     "symbolic link points outside the package; not followed", file=rel)
    return issue("symlink-folder", "info", "指向包内文件夹的符号链接未跟随（避免重复和循环）",
                 "symbolic link to a folder inside the package not followed (avoids duplicates and loops)",
                 file=rel)


def _dedupe(entries: list[Entry], issues: list[IngestIssue]) -> list[Entry]:
    seen: set[str] = set()
    out = []
    for entry in entries:
        if entry.path in seen:
            issues.append(issue("duplicate-path", "error",
                                "同一路径出现多次（Unicode 规范化后相同），只读取第一个",
                                "the same path occurs more than once (equal after Unicode NFC); "
                                "only the first is read", file=entry.path))
            continue
        seen.add(entry.path)
        out.append(entry)
    return out


# ------------------------------------------------------------------ zips

_DRIVE = re.compile(r"^[A-Za-z]:")


def decode_zip_name(info: zipfile.ZipInfo) -> str:
    """The entry name as the author meant it (see the module docstring)."""
    name = info.filename
    if info.flag_bits & 0x800 or name.isascii():
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    for codec in ("utf-8", "gbk"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return name


def unsafe_reason(name: str) -> str | None:
    """Why a zip entry name would land outside the package, or ``None``."""
    norm = name.replace("\\", "/")
    if norm.startswith("/"):
        return "absolute path"
    if _DRIVE.match(norm):
        return "drive letter"
    if any(part == ".." for part in norm.split("/")):
        return "'..' in path"
    if "\x00" in norm:
        return "NUL in name"
    return None


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return info.create_system == 3 and stat.S_ISLNK(mode)


def _zip_opener(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], IO[bytes]]:
    return lambda: zf.open(info)


def _open_zip(path: Path, limits: "Limits") -> Source:
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        raise PackageError(f"corrupt zip archive: {path}: {exc}", "corrupt-zip",
                           path=str(path)) from None
    if len(infos) > limits.max_entries:
        zf.close()
        raise PackageError(f"zip refused: {len(infos)} entries exceed the limit of {limits.max_entries}",
                           "zip-entries", path=str(path), n=len(infos), limit=limits.max_entries)
    declared = sum(i.file_size for i in infos)
    if declared > limits.max_total_bytes:
        zf.close()
        raise PackageError(f"zip refused (zip bomb?): {declared} bytes uncompressed exceed the limit of "
                           f"{limits.max_total_bytes}", "zip-bomb", path=str(path), size=declared,
                           limit=limits.max_total_bytes)
    issues: list[IngestIssue] = []
    kept: list[tuple[str, zipfile.ZipInfo]] = []
    for info in infos:
        name = decode_zip_name(info)
        shown = name.replace("\\", "/")
        if info.is_dir() or shown.endswith("/"):
            continue
        reason = unsafe_reason(name)
        if reason:
            issues.append(issue("zip-unsafe-path", "error", f"已拒绝压缩包条目 “{shown}”：路径会落到课程包之外（{reason}）",
                                f"zip entry '{shown}' refused: it would land outside the package ({reason})"))
            continue
        if _is_symlink(info):
            issues.append(issue("zip-symlink", "error", f"已拒绝压缩包条目 “{shown}”：符号链接",
                                f"zip entry '{shown}' refused: symbolic link"))
            continue
        parts = [p for p in shown.split("/") if p not in ("", ".")]
        if not parts or parts[0] == "__MACOSX" or ".git" in parts[:-1]:
            continue
        if info.flag_bits & 0x1:
            issues.append(issue("zip-encrypted-entry", "error", f"已拒绝压缩包条目 “{shown}”：已加密",
                                f"zip entry '{shown}' refused: encrypted"))
            continue
        if info.file_size >= RATIO_MIN_BYTES and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            issues.append(issue("zip-bomb", "error",
                                f"已拒绝压缩包条目 “{shown}”：压缩比 {ratio:.0f}:1 超过上限 {limits.max_ratio:.0f}:1（疑似压缩炸弹）",
                                f"zip entry '{shown}' refused: compression ratio {ratio:.0f}:1 exceeds "
                                f"{limits.max_ratio:.0f}:1 (zip bomb?)"))
            continue
        kept.append(("/".join(parts), info))
    kept = _strip_common_root(kept)
    entries = [Entry(normalize_relpath(rel), info.file_size, _zip_opener(zf, info)) for rel, info in kept]
    entries.sort(key=lambda e: e.path.encode("utf-8"))
    return Source("zip", _dedupe(entries, issues), issues, closer=zf.close)


def _strip_common_root(kept: list[tuple[str, zipfile.ZipInfo]]) -> list[tuple[str, zipfile.ZipInfo]]:
    if not kept:
        return kept
    firsts = {rel.split("/", 1)[0] for rel, _ in kept}
    if len(firsts) == 1 and all("/" in rel for rel, _ in kept):
        return [(rel.split("/", 1)[1], info) for rel, info in kept]
    return kept
