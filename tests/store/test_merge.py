"""Copying one package between stores leaves the destination as save_package would."""

from __future__ import annotations

import pytest

from reviewer.checks.model import finding_at
from reviewer.ingest.model import FileRecord, Locator, Package, Segment
from reviewer.store import StoreError, open_db, open_memory
from reviewer.store import merge
from reviewer.store import packages as store


def _package(files: dict[str, str]) -> Package:
    records = []
    for path, text in files.items():
        seg = Segment(file=path, ordinal=0, locator=Locator(line=1), text=text)
        records.append(FileRecord(path=path, size=len(text.encode()), sha256=str(hash(text) % 10**12).rjust(64, "0"),
                                  role="notes", format="md", units=1, segments=[seg]))
    return Package(source="/x/pkg", kind="dir", files=records, digest="sha256:" + "b" * 64)


def _scanned(db, files: dict[str, str]) -> int:
    pid = store.save_package(db, "/x/pkg", _package(files), {"md": "1"})
    sid = store.start_scan(db, pid, "sha256:" + "b" * 64, "t", {}, "r")
    seg = Segment(file="a.md", ordinal=0, locator=Locator(line=1), text=files.get("a.md", "x"))
    f = finding_at(seg, 0, 1, check="lexicon", rule="r1", category="c", severity="error",
                   message={"zh": "问题", "en": "problem"})
    store.finish_scan(db, sid, [f], None, reused=0, extracted=len(files))
    return sid


def _fts(db, needle: str) -> int:
    return len(store.search_segments(db, store.package_row(db, "/x/pkg")["id"], needle))


def test_copy_into_an_empty_store_then_a_changed_version(tmp_path):
    dst = open_db(tmp_path / "main.db")
    src = open_memory()
    sid = _scanned(src, {"a.md": "开源软件的第一课", "b.md": "第二份讲义内容"})
    pid, scans = merge.copy_package(dst, src, "/x/pkg", scan_ids=[sid])
    assert store.package_row(dst, "/x/pkg")["id"] == pid
    assert [f.rule for f in store.scan_findings(dst, scans[sid])] == ["r1"]
    assert _fts(dst, "第一课") == 1
    kept = [r["id"] for r in dst.query("SELECT s.id FROM segments s JOIN files f ON f.id = s.file_id "
                                        "WHERE f.path = 'a.md'")]
    first_seen = store.package_row(dst, "/x/pkg")["first_seen"]

    src2 = open_memory()
    sid2 = _scanned(src2, {"a.md": "开源软件的第一课", "c.md": "新加的讲义"})  # b gone, c new
    pid2, scans2 = merge.copy_package(dst, src2, "/x/pkg", scan_ids=[sid2])
    assert pid2 == pid and store.package_row(dst, "/x/pkg")["first_seen"] == first_seen
    assert [r["path"] for r in store.file_rows(dst, pid)] == ["a.md", "c.md"]
    again = [r["id"] for r in dst.query("SELECT s.id FROM segments s JOIN files f ON f.id = s.file_id "
                                         "WHERE f.path = 'a.md'")]
    assert again == kept  # unchanged file: its segment rows stay
    assert _fts(dst, "第二份") == 0 and _fts(dst, "新加的") == 1
    assert dst["scans"].count == 2 and store.latest_scan(dst, pid)["id"] == scans2[sid2]


def test_default_copies_the_last_finished_scan_and_a_round_trip_through_bytes():
    src = open_memory()
    _scanned(src, {"a.md": "甲"})
    last = _scanned(src, {"a.md": "乙"})
    back = merge.from_bytes(merge.to_bytes(src))
    dst = open_memory()
    _, scans = merge.copy_package(dst, back, "/x/pkg")
    assert list(scans) == [last]
    assert merge.copy_package(dst, back, "/nowhere") is None


def test_a_scan_of_another_package_is_refused():
    src = open_memory()
    _scanned(src, {"a.md": "甲"})
    with pytest.raises(StoreError):
        merge.copy_package(open_memory(), src, "/x/pkg", scan_ids=[999])


def test_bytes_that_are_not_a_store_are_refused():
    with pytest.raises(StoreError):
        merge.from_bytes(b"not a database at all, not even close" * 10)


def test_readonly_open_and_database_file(tmp_path):
    path = tmp_path / "main.db"
    db = open_db(path)
    _scanned(db, {"a.md": "甲"})
    assert merge.database_file(db) == str(path)
    assert merge.database_file(open_memory()) is None
    ro = merge.open_readonly(path)
    assert ro is not None and store.package_row(ro, "/x/pkg") is not None
    with pytest.raises(Exception):
        ro.execute("DELETE FROM packages")
    assert merge.open_readonly(tmp_path / "absent.db") is None
    (tmp_path / "junk.db").write_bytes(b"junk" * 100)
    assert merge.open_readonly(tmp_path / "junk.db") is None
