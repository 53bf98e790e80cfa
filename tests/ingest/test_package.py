"""Whole packages: folders and zips, safety limits, progress, roles, re-scan cache."""

from __future__ import annotations

import os
import stat
import zipfile

import pytest

from reviewer.ingest.digest import file_sha256
from reviewer.ingest.model import FileRecord
from reviewer.ingest.package import (
    EXTRACTOR_VERSIONS, IngestProgress, Limits, PackageError, iter_package, load_package,
)

SRT = "1\n00:00:01,000 --> 00:00:02,000\n同学们好\n".encode()


def _tree(root, files):
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def _drain(gen):
    events = []
    while True:
        try:
            events.append(next(gen))
        except StopIteration as stop:
            return events, stop.value


# ------------------------------------------------------------------ opening

def test_missing_path_and_non_package_raise_package_error(tmp_path):
    with pytest.raises(PackageError, match="no such file or folder"):
        load_package(tmp_path / "nope")
    other = tmp_path / "notes.txt"
    other.write_text("x")
    with pytest.raises(PackageError, match="not a folder or .zip file"):
        load_package(other)
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"PK\x03\x04 this is not a zip")
    with pytest.raises(PackageError, match="corrupt zip archive"):
        load_package(bad)


def test_folder_package_roles_formats_and_progress(tmp_path, make_pdf):
    root = _tree(tmp_path / "课程", {
        "syllabus/教学大纲.md": "# 第一周\n".encode(),
        "transcripts/week01.srt": SRT,
        "transcripts/week02.txt": "老师：大家好\n".encode(),
        "slides/lecture1.pdf": make_pdf(["Lecture 1"]),
        "exam/期末考试.md": "# 考试\n".encode(),
        "notes/readme.md": b"# notes\n",
        "slides/img/photo.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 20,
        "data/table.numbers": b"PK\x03\x04xx",
        "empty.txt": b"",
    })
    events, package = _drain(iter_package(root))
    assert package.kind == "dir" and package.source == str(root)
    assert package.id == "课程"
    got = {f.path: (f.format, f.role, f.status) for f in package.files}
    assert got == {
        "data/table.numbers": ("unknown", "other", "error"),
        "empty.txt": ("txt", "notes", "error"),
        "exam/期末考试.md": ("md", "exam", "ok"),
        "notes/readme.md": ("md", "notes", "ok"),
        "slides/img/photo.png": ("image", "other", "error"),  # a PNG signature and no image
        "slides/lecture1.pdf": ("pdf", "slides", "ok"),
        "syllabus/教学大纲.md": ("md", "syllabus", "ok"),
        "transcripts/week01.srt": ("srt", "transcript", "ok"),
        "transcripts/week02.txt": ("txt", "transcript", "ok"),
    }
    assert package.file("transcripts/week02.txt").segments[0].locator.line == 1
    assert package.file("empty.txt").error == "empty file (0 bytes)"
    assert package.file("data/table.numbers").error.startswith("unsupported legacy format (.numbers)")
    assert package.file("slides/img/photo.png").segments == []
    assert package.file("slides/img/photo.png").issues[0].rule == "image-corrupt"
    assert [i.rule for i in package.issues] == ["manifest-missing"]
    assert package.issues[0].severity == "warning"
    # progress: one event per file, then done
    assert all(isinstance(e, IngestProgress) for e in events)
    assert [e.done for e in events[:-1]] == list(range(1, 10))
    assert {e.total for e in events} == {9}
    assert events[-1].stage == "done" and events[-1].done == 9
    assert {e.stage for e in events[:-1]} == {"read"}
    # every file hashed, errors included
    assert all(len(f.sha256) == 64 for f in package.files)
    assert package.file("empty.txt").sha256 == file_sha256(b"")


def test_every_file_error_carries_reason_and_issue(tmp_path):
    root = _tree(tmp_path / "p", {"a.xyz": b"\x01\x02", "b.txt": b"", "c.pdf": b"%PDF-1.4 junk"})
    package = load_package(root)
    for record in package.files:
        assert record.status == "error"
        assert record.error and "\n" not in record.error
        [issue] = record.issues
        assert issue.severity == "error" and issue.file == record.path
        assert issue.message["zh"] and issue.message["en"]


def test_oversize_file_is_hashed_but_not_read(tmp_path):
    big = b"line of text\n" * 2000
    root = _tree(tmp_path / "p", {"big.txt": big, "small.txt": b"ok\n"})
    package = load_package(root, limits=Limits(max_file_bytes=10_000))
    record = package.file("big.txt")
    assert record.status == "error" and record.error.startswith("file too large")
    assert record.issues[0].rule == "file-too-large"
    assert record.sha256 == file_sha256(big) and record.size == len(big)
    assert package.file("small.txt").status == "ok"


# ------------------------------------------------------------------ folder links

@pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")
def test_symlinks_never_followed_out_of_the_package(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("outside\n")
    root = _tree(tmp_path / "p", {"notes/a.md": b"# a\n"})
    (root / "leak.txt").symlink_to(secret)
    (root / "alias.md").symlink_to(root / "notes" / "a.md")
    (root / "outdir").symlink_to(tmp_path, target_is_directory=True)
    (root / "dangling.txt").symlink_to(tmp_path / "gone")
    package = load_package(root)
    paths = {f.path for f in package.files}
    assert paths == {"notes/a.md", "alias.md"}
    assert package.file("alias.md").segments[0].text == "# a"
    rules = {(i.rule, i.file) for i in package.issues}
    assert ("symlink-outside", "leak.txt") in rules
    assert ("symlink-outside", "outdir") in rules
    assert ("symlink-broken", "dangling.txt") in rules


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_skipped_not_read(tmp_path):
    root = _tree(tmp_path / "p", {"a.md": b"# a\n"})
    os.mkfifo(root / "pipe.txt")
    package = load_package(root)
    assert [f.path for f in package.files] == ["a.md"]
    assert ("not-a-regular-file", "pipe.txt") in {(i.rule, i.file) for i in package.issues}


# ------------------------------------------------------------------ zips

def test_zip_package_read_in_memory(make_zip, make_pdf, tmp_path):
    path = make_zip({"course.yaml": b"id: Z1\ntitle: Zipped\n", "slides/l1.pdf": make_pdf(["zip page"]),
                     "t/w1.srt": SRT})
    before = set(os.listdir(tmp_path))
    package = load_package(path)
    assert set(os.listdir(tmp_path)) == before  # nothing extracted
    assert package.kind == "zip" and package.id == "Z1"
    assert package.file("slides/l1.pdf").segments[0].text == "zip page"
    assert package.file("t/w1.srt").segments[0].text == "同学们好"
    assert package.issues == []


@pytest.mark.parametrize("name, reason", [
    ("../evil.txt", "'..' in path"),
    ("a/../../evil.txt", "'..' in path"),
    ("/etc/passwd", "absolute path"),
    ("C:/Windows/evil.txt", "drive letter"),
    ("..\\evil.txt", "'..' in path"),
])
def test_zip_slip_entries_refused(make_zip, name, reason):
    info = zipfile.ZipInfo(name)
    path = make_zip({"ok.md": b"# fine\n"}, infos=[(info, b"evil\n")])
    package = load_package(path)
    assert [f.path for f in package.files] == ["ok.md"]
    [issue] = package.issues[:-1] if package.issues[-1].rule == "manifest-missing" else package.issues
    assert issue.rule == "zip-unsafe-path" and issue.severity == "error"
    assert reason in issue.message["en"]
    assert "\n" not in issue.message["en"]


def test_zip_symlink_entry_refused(make_zip):
    info = zipfile.ZipInfo("link.txt")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    path = make_zip({"ok.md": b"# fine\n"}, infos=[(info, b"/etc/passwd")])
    package = load_package(path)
    assert [f.path for f in package.files] == ["ok.md"]
    assert "zip-symlink" in {i.rule for i in package.issues}


def test_zip_bomb_by_ratio_refused(make_zip):
    path = make_zip({"bomb.txt": b"\x00" * (4 << 20), "ok.md": b"# fine\n"})
    package = load_package(path)
    assert [f.path for f in package.files] == ["ok.md"]
    [bomb] = [i for i in package.issues if i.rule == "zip-bomb"]
    assert "compression ratio" in bomb.message["en"] and "bomb.txt" in bomb.message["en"]


def test_small_compressible_text_is_not_a_bomb(make_zip):
    path = make_zip({"spaces.txt": b"a" + b" " * 50_000 + b"b\n"})
    package = load_package(path)
    assert package.file("spaces.txt").status == "ok"


def test_zip_bomb_by_total_refuses_the_archive(make_zip):
    path = make_zip({f"f{i}.txt": b"x" * 5000 for i in range(5)})
    with pytest.raises(PackageError, match="zip bomb"):
        load_package(path, limits=Limits(max_total_bytes=20_000))


def test_zip_with_too_many_entries_refused(make_zip):
    path = make_zip({f"f{i}.txt": b"x" for i in range(20)})
    with pytest.raises(PackageError, match="entries exceed"):
        load_package(path, limits=Limits(max_entries=10))


def test_zip_gbk_names_without_utf8_flag(make_zip):
    gbk = "课程大纲.txt".encode("gbk")  # as written by Chinese Windows: GBK, no UTF-8 flag
    placeholder = b"abcdefgh.txt"
    assert len(gbk) == len(placeholder)
    path = make_zip({placeholder.decode(): "内容\n".encode()})
    raw = path.read_bytes()
    assert raw.count(placeholder) == 2  # local header and central directory
    path.write_bytes(raw.replace(placeholder, gbk))
    with zipfile.ZipFile(path) as zf:
        assert zf.infolist()[0].flag_bits & 0x800 == 0
        assert zf.namelist() != ["课程大纲.txt"]  # zipfile alone shows CP437 mojibake
    package = load_package(path)
    assert [f.path for f in package.files] == ["课程大纲.txt"]
    assert package.files[0].role == "syllabus"
    assert package.files[0].segments[0].text == "内容"


def test_zip_utf8_names_and_macosx_junk(make_zip):
    path = make_zip({"讲义/第一讲.md": "# 第一讲\n".encode(), "__MACOSX/讲义/._第一讲.md": b"\x00\x05junk"})
    package = load_package(path)
    assert [f.path for f in package.files] == ["第一讲.md"]  # single top folder is the root


def test_zip_crc_error_is_a_file_error(make_zip):
    path = make_zip({"a.txt": b"hello world, hello world\n"}, compression=zipfile.ZIP_STORED)
    raw = bytearray(path.read_bytes())
    at = raw.index(b"hello world")
    raw[at] = ord("j")
    path.write_bytes(bytes(raw))
    package = load_package(path)
    record = package.file("a.txt")
    assert record.status == "error" and "cannot read file" in record.error


# ------------------------------------------------------------------ re-scan cache

def test_rescan_uses_cached_records_for_unchanged_files(tmp_path, make_pdf, monkeypatch):
    root = _tree(tmp_path / "p", {"slides/a.pdf": make_pdf(["alpha"]), "t/w.srt": SRT, "n.md": b"# n\n"})
    first = load_package(root)
    store = {(f.sha256, f.format): f for f in first.files}
    calls = []

    def cached(sha, fmt, path):
        calls.append((sha, fmt, path))
        return store.get((sha, fmt))

    (root / "n.md").write_bytes(b"# changed\n")
    import reviewer.ingest.package as pkg

    read = []
    real = pkg.iter_read_file
    monkeypatch.setattr(pkg, "iter_read_file",
                        lambda data, path, *a, **k: read.append(path) or real(data, path, *a, **k))
    events, second = _drain(iter_package(root, cached=cached))
    assert read == ["n.md"]  # only the changed file was extracted
    assert {e.path: e.stage for e in events[:-1]} == {"n.md": "read", "slides/a.pdf": "cached", "t/w.srt": "cached"}
    assert len(calls) == 3
    assert second.file("slides/a.pdf").segments[0].text == "alpha"
    assert second.file("n.md").segments[0].text == "# changed"
    assert second.digest != first.digest


def test_cached_record_moved_to_new_path(tmp_path):
    root = _tree(tmp_path / "p", {"old/w.srt": SRT})
    old = load_package(root).files[0]
    (root / "old" / "w.srt").rename(root / "new.srt")
    (root / "old").rmdir()
    package = load_package(root, cached=lambda sha, fmt, path: old if sha == old.sha256 else None)
    record = package.file("new.srt")
    assert record.segments[0].file == "new.srt"
    assert old.segments[0].file == "old/w.srt"  # the cached object is not mutated


def test_broken_cache_callback_only_costs_time(tmp_path):
    root = _tree(tmp_path / "p", {"a.md": b"# a\n"})

    def cached(sha, fmt, path):
        raise RuntimeError("db gone")

    assert load_package(root, cached=cached).file("a.md").segments[0].text == "# a"


def test_extractor_versions_cover_every_format():
    from reviewer.ingest.formats.detect import FORMATS

    assert set(EXTRACTOR_VERSIONS) == set(FORMATS)
    assert all(isinstance(v, str) and v for v in EXTRACTOR_VERSIONS.values())


def test_every_format_in_the_table_has_a_reader_that_imports():
    """One row per format: detection, the cache key and extraction all read it."""
    from reviewer.ingest.formats.detect import detect_format
    from reviewer.ingest.formats.table import TABLE

    for spec in TABLE:
        if spec.name in ("media", "unknown"):
            assert spec.reader is None  # probed, or not read at all
            continue
        assert callable(spec.load_reader()), spec.name
        for ext in spec.extensions:
            assert detect_format(f"lecture{ext}") == spec.name, ext


def test_reader_crash_becomes_file_error(tmp_path, monkeypatch):
    import reviewer.ingest.formats.table as table

    def boom(data, path):
        raise RuntimeError("library bug")

    monkeypatch.setattr(table, "_load", lambda target: boom)  # every reader in the table
    package = load_package(_tree(tmp_path / "p", {"a.md": b"# a\n"}))
    record = package.file("a.md")
    assert record.status == "error"
    assert record.error == "unexpected error while reading md: RuntimeError: library bug"
    assert record.issues[0].rule == "file-unreadable"


def test_filerecord_is_plain_dataclass():
    assert FileRecord(path="a", size=0, sha256="").status == "ok"


def test_zip_encrypted_entry_refused(make_zip):
    path = make_zip({"secret.md": b"# hidden\n", "ok.md": b"# fine\n"}, compression=zipfile.ZIP_STORED)
    raw = bytearray(path.read_bytes())
    # set the "encrypted" bit (0x1) of secret.md's flags in the local header and central directory
    for sig, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (at := raw.find(sig, start)) >= 0:
            name_at = at + (30 if sig == b"PK\x03\x04" else 46)
            if raw[name_at:name_at + 9] == b"secret.md":
                raw[at + flag_at] |= 0x01
            start = at + 4
    path.write_bytes(bytes(raw))
    package = load_package(path)
    assert [f.path for f in package.files] == ["ok.md"]
    assert "zip-encrypted-entry" in {i.rule for i in package.issues}


def test_zip_names_equal_after_nfc_are_duplicates(make_zip):
    import unicodedata

    nfd = unicodedata.normalize("NFD", "café.md")
    path = make_zip({"café.md": b"# one\n", nfd: b"# two\n"})
    package = load_package(path)
    assert [f.path for f in package.files] == ["café.md"]
    assert "duplicate-path" in {i.rule for i in package.issues}


def test_pages_bundle_folder_is_unsupported(tmp_path):
    root = _tree(tmp_path / "p", {"syllabus.pages/Index.zip": b"PK\x03\x04x", "syllabus.pages/preview.jpg": b"\xff\xd8"})
    package = load_package(root)
    for record in package.files:
        assert record.status == "error"
        assert record.error == "unsupported legacy format (.pages), convert to .docx/.pptx/.pdf"
        assert record.issues[0].rule == "unsupported-format"


def test_oversize_manifest_is_reported(tmp_path):
    root = _tree(tmp_path / "p", {"course.yaml": b"id: x\ntitle: t\n" + b"#" * 5000 + b"\n"})
    package = load_package(root, limits=Limits(max_file_bytes=1000))
    assert package.manifest is None
    assert package.file("course.yaml").status == "error"
    assert "manifest-invalid" in {i.rule for i in package.issues}


def test_a_file_that_grew_past_the_limit_since_listing_is_hashed_whole():
    import io

    from reviewer.ingest.package import _read_entry
    from reviewer.ingest.sources import Entry

    data = b"grown " * 5000
    entry = Entry("a.txt", 10, lambda: io.BytesIO(data))
    assert _read_entry(entry, Limits(max_file_bytes=10_000)) == (None, file_sha256(data), len(data))
    small = Entry("b.txt", 2, lambda: io.BytesIO(b"ok\n"))
    assert _read_entry(small, Limits()) == (b"ok\n", file_sha256(b"ok\n"), 3)


def test_refused_zips_and_an_unreadable_folder_are_said_in_the_users_language(tmp_path):
    """Every package error has a code: the reviewer reads why in Chinese (with the path),
    and the English message stays what it was."""
    import os
    import zipfile

    from reviewer.i18n import error_text
    from reviewer.ingest.package import Limits
    from tests.english import english_lines

    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w") as zf:
        for i in range(5):
            zf.writestr(f"notes/{i}.md", "# 笔记\n")
    big = tmp_path / "big.zip"
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("notes/a.md", "零" * 50_000)
    cases = [(many, Limits(max_entries=3), "超过上限 3", "entries exceed the limit"),
             (big, Limits(max_total_bytes=1_000), "疑似压缩炸弹", "zip bomb")]
    locked = tmp_path / "locked"
    locked.mkdir()
    if os.geteuid() != 0:  # root reads any folder
        locked.chmod(0)
        cases.append((locked, Limits(), "无法读取文件夹", "cannot read folder"))
    try:
        for path, limits, zh, en in cases:
            with pytest.raises(PackageError) as err:
                load_package(path, limits=limits)
            said = error_text(err.value, "zh")
            assert zh in said and str(path) in said and not english_lines(said), said
            assert en in str(err.value) and en in error_text(err.value, "en")
    finally:
        locked.chmod(0o755)
