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



def _trigger(db) -> str | None:
    row = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                     "AND name = 'segments_ai'").fetchone()
    return row[0] if row else None


def _index_is_sound(db) -> None:
    """FTS5 compares its index with the segments table row by row (raises if they differ)."""
    db.execute("INSERT INTO segments_fts(segments_fts, rank) VALUES ('integrity-check', 1)")


def test_merged_text_is_in_the_full_text_index_and_the_trigger_is_back(tmp_path):
    dst = open_db(tmp_path / "main.db")
    trigger = _trigger(dst)
    other = store.save_package(dst, "/y/other", _package({"z.md": "早先存进来的讲义"}), {"md": "1"})
    src = open_memory()
    sid = _scanned(src, {"a.md": "开源软件的第一课", "b.md": "第二份的讲义内容"})
    pid, _ = merge.copy_package(dst, src, "/x/pkg", scan_ids=[sid])
    hits = dst.execute("SELECT s.norm FROM segments_fts x JOIN segments s ON s.id = x.rowid "
                       "WHERE segments_fts MATCH ? ORDER BY s.id", ['"的讲义"']).fetchall()
    assert hits == [("早先存进来的讲义",), ("第二份的讲义内容",)]  # each once, the earlier one kept
    assert [seg.text for seg, _ in store.search_segments(dst, pid, "第一课")] == ["开源软件的第一课"]
    assert len(store.search_segments(dst, other, "存进来")) == 1
    _index_is_sound(dst)
    assert _trigger(dst) == trigger  # recreated from its own definition before the commit

    # a later ordinary insert is indexed by the trigger again
    file_id = dst.execute("SELECT id FROM files WHERE path = 'a.md'").fetchone()[0]
    dst.execute("INSERT INTO segments (file_id, ordinal, kind, text, norm) "
                "VALUES (?, 9, 'line', '后来单独插入的一行', '后来单独插入的一行')", [file_id])
    assert [seg.text for seg, _ in store.search_segments(dst, pid, "单独插入")] == ["后来单独插入的一行"]
    _index_is_sound(dst)


def test_a_merge_that_fails_midway_keeps_the_trigger_and_the_index(tmp_path):
    dst = open_db(tmp_path / "main.db")
    trigger = _trigger(dst)
    store.save_package(dst, "/y/other", _package({"z.md": "早先存进来的讲义"}), {"md": "1"})
    # fails while the segments are being copied, with the trigger dropped
    dst.execute("""CREATE TRIGGER boom BEFORE INSERT ON segments WHEN new.text = '坏的一段'
                   BEGIN SELECT RAISE(ABORT, 'boom'); END""")
    src = open_memory()
    sid = _scanned(src, {"a.md": "开源软件的第一课", "b.md": "坏的一段"})
    with pytest.raises(Exception, match="boom"):
        merge.copy_package(dst, src, "/x/pkg", scan_ids=[sid])
    assert _trigger(dst) == trigger and store.package_row(dst, "/x/pkg") is None
    assert dst["segments"].count == 1
    _index_is_sound(dst)
