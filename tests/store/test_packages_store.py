"""The store keeps packages, files, located segments, scans and findings."""

from __future__ import annotations


import sqlite3

import pytest

from reviewer.checks.model import finding_at
from reviewer.ingest.model import FileRecord, Locator, Package, Segment
from reviewer.store import StoreError, open_db
from reviewer.store import packages as store


def _package(text: str = "开源软件开发的第一课", sha: str = "a" * 64) -> Package:
    seg = Segment(file="notes/a.md", ordinal=0, locator=Locator(line=1), text=text)
    rec = FileRecord(path="notes/a.md", size=len(text.encode()), sha256=sha, role="notes",
                     format="md", units=1, segments=[seg])
    return Package(source="/x/pkg", kind="dir", files=[rec], digest="sha256:" + "b" * 64)


def test_save_and_read_back_segments(tmp_path):
    db = open_db(tmp_path / "s.db")
    pid = store.save_package(db, "/x/pkg", _package(), {"md": "1"})
    segs = list(store.file_segments(db, pid, "notes/a.md"))
    assert [s.text for s in segs] == ["开源软件开发的第一课"]
    assert segs[0].locator == Locator(line=1)


def test_unchanged_file_keeps_its_segment_rows_and_changed_file_is_replaced(tmp_path):
    db = open_db(tmp_path / "s.db")
    pid = store.save_package(db, "/x/pkg", _package(), {"md": "1"})
    first_ids = [r["id"] for r in db.query("SELECT id FROM segments")]
    store.save_package(db, "/x/pkg", _package(), {"md": "1"})
    assert [r["id"] for r in db.query("SELECT id FROM segments")] == first_ids
    store.save_package(db, "/x/pkg", _package("新内容", sha="c" * 64), {"md": "1"})
    rows = list(db.query("SELECT text FROM segments"))
    assert [r["text"] for r in rows] == ["新内容"]
    assert db["files"].count == 1 and db["packages"].count == 1 and pid


def test_cached_file_is_found_by_digest_format_and_extractor(tmp_path):
    db = open_db(tmp_path / "s.db")
    store.save_package(db, "/x/pkg", _package(), {"md": "1"})
    hit = store.cached_file(db, "a" * 64, "md", "1", "renamed.md")
    assert hit is not None and hit.path == "renamed.md"
    assert hit.segments[0].file == "renamed.md" and hit.segments[0].text.startswith("开源")
    assert store.cached_file(db, "a" * 64, "md", "2", "x.md") is None  # extractor bumped
    assert store.cached_file(db, "f" * 64, "md", "1", "x.md") is None


def test_a_cached_file_without_its_text_and_the_text_read_later(tmp_path):
    db = open_db(tmp_path / "s.db")
    pid = store.save_package(db, "/x/pkg", _package(), {"md": "1"})
    head = store.cached_file(db, "a" * 64, "md", "1", "renamed.md", segments=False)
    assert head is not None and head.segments == [] and head.units == 1
    segs = store.cached_segments(db, "a" * 64, "md", "1", "renamed.md")
    assert [(s.file, s.text) for s in segs] == [("renamed.md", "开源软件开发的第一课")]
    assert store.cached_segments(db, "f" * 64, "md", "1", "x.md") is None
    assert store.files_unchanged(db, pid, _package(), {"md": "1"})
    assert not store.files_unchanged(db, pid, _package(), {"md": "2"})
    assert not store.files_unchanged(db, pid, _package(sha="c" * 64), {"md": "1"})


@pytest.mark.parametrize("query,expected", [("开源软件", 1), ("开源", 1), ("第一课", 1), ("闭源", 0)])
def test_search_works_for_chinese_of_any_length(tmp_path, query, expected):
    db = open_db(tmp_path / "s.db")
    pid = store.save_package(db, "/x/pkg", _package(), {"md": "1"})
    hits = store.search_segments(db, pid, query)
    assert len(hits) == expected
    if hits:
        seg, off = hits[0]
        assert seg.text[off:off + len(query)] == query


def test_search_folds_kangxi_radicals(tmp_path):
    db = open_db(tmp_path / "s.db")
    pid = store.save_package(db, "/x/pkg", _package("⼤家好，欢迎来到⼤学"), {"md": "1"})
    hits = store.search_segments(db, pid, "大学")
    assert len(hits) == 1 and hits[0][0].text[hits[0][1]:hits[0][1] + 2] == "⼤学"


def _saved_with_error(tmp_path, start: int, end: int):
    """A saved package and one lexicon error on its first segment: (db, pkg, pid, finding)."""
    db = open_db(tmp_path / "s.db")
    pkg = _package()
    pid = store.save_package(db, "/x/pkg", pkg, {"md": "1"})
    f = finding_at(pkg.files[0].segments[0], start, end, check="lexicon", rule="r",
                   category="c", severity="error", message={"zh": "中", "en": "en"})
    return db, pkg, pid, f


def test_findings_round_trip(tmp_path):
    db, pkg, pid, f = _saved_with_error(tmp_path, 2, 4)
    sid = store.start_scan(db, pid, pkg.digest, "0", {}, "sha256:x")
    store.finish_scan(db, sid, [f], None, reused=0, extracted=1)
    back = store.scan_findings(db, sid)
    assert back == [f]
    scan = store.latest_scan(db, pid)
    assert scan["errors"] == 1 and scan["warnings"] == 0


def test_a_file_that_is_not_a_database_gives_a_clear_error(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable reviewer database"):
        open_db(bad)


def test_schema_has_foreign_keys(tmp_path):
    db = open_db(tmp_path / "s.db")
    fks = {(fk.table, fk.other_table) for t in ("files", "segments", "scans", "findings")
           for fk in db[t].foreign_keys}
    assert ("files", "packages") in fks and ("segments", "files") in fks
    assert ("findings", "scans") in fks


def test_library_counts_come_from_the_last_finished_scan(tmp_path):
    # A scan killed between start_scan and finish_scan must not make the
    # library show the package as never scanned.
    db, pkg, pid, f = _saved_with_error(tmp_path, 0, 2)
    done = store.start_scan(db, pid, pkg.digest, "0", {}, "sha256:x")
    store.finish_scan(db, done, [f], None, reused=0, extracted=1)
    store.start_scan(db, pid, pkg.digest, "0", {}, "sha256:x")  # never finished
    [row] = store.list_packages(db)
    assert row["scan_id"] == done == store.latest_scan(db, pid)["id"]
    assert row["errors"] == 1 and row["finished"]


def test_search_offset_is_not_shifted_by_a_letter_that_lowercases_longer(tmp_path):
    db = open_db(tmp_path / "s.db")
    pid = store.save_package(db, "/x/pkg", _package("İstanbul 大学"), {"md": "1"})
    [(seg, off)] = store.search_segments(db, pid, "stan")
    assert seg.text[off:off + 4] == "stan"


def test_bulk_written_segments_are_indexed_and_the_index_trigger_stays(tmp_path):
    db = open_db(tmp_path / "s.db")
    trigger = db.execute("SELECT sql FROM sqlite_master WHERE name = 'segments_ai'").fetchone()
    pid = store.save_package(db, "/x/pkg", _package("开源软件开发的第一课"), {"md": "1"})
    other = store.save_package(db, "/x/other", _package("闭源软件的许可证", sha="d" * 64), {"md": "1"})
    store.save_package(db, "/x/pkg", _package("数据结构与算法", sha="c" * 64), {"md": "1"})
    db.execute("INSERT INTO segments_fts (segments_fts) VALUES ('integrity-check')")
    assert db.execute("SELECT sql FROM sqlite_master WHERE name = 'segments_ai'").fetchone() == trigger
    assert [s.text for s, _ in store.search_segments(db, pid, "数据结构")] == ["数据结构与算法"]
    assert store.search_segments(db, pid, "开源软件") == []
    assert [s.text for s, _ in store.search_segments(db, other, "许可证")] == ["闭源软件的许可证"]
    # a row written one at a time, as other writers do, is still indexed by the trigger
    db.execute("INSERT INTO segments (file_id, ordinal, kind, line, text, norm) "
               "SELECT id, 1, 'line', 2, '链表与树', '链表与树' FROM files WHERE package_id = ?", [pid])
    assert [s.text for s, _ in store.search_segments(db, pid, "链表与树")] == ["链表与树"]
    db.execute("INSERT INTO segments_fts (segments_fts) VALUES ('integrity-check')")


def test_a_bulk_write_past_the_fts_buffer_is_indexed_whole(tmp_path):
    """The bulk index uses a larger FTS5 term buffer (``FTS_HASH_BYTES``): a package whose
    terms pass it is indexed whole (integrity check, first, middle and last rows found)."""
    import random

    rnd = random.Random(3)
    chars = "数据结构算法链表栈队列哈希树图排序查找网络协议进程线程内存磁盘"
    texts = ["".join(rnd.choice(chars) for _ in range(30)) + f" row{i:05d}" for i in range(20000)]
    segs = [Segment(file="t.srt", ordinal=i, locator=Locator(cue=i + 1, start_ms=i, end_ms=i + 1),
                    text=t) for i, t in enumerate(texts)]
    rec = FileRecord(path="t.srt", size=1, sha256="e" * 64, role="transcript", format="srt",
                     units=len(segs), segments=segs)
    db = open_db(tmp_path / "s.db")
    pid = store.save_package(db, "/x/big", Package(source="/x/big", kind="dir", files=[rec],
                                                   digest="sha256:" + "f" * 64), {"srt": "1"})
    db.execute("INSERT INTO segments_fts (segments_fts) VALUES ('integrity-check')")
    assert db.execute("SELECT v FROM segments_fts_config WHERE k = 'hashsize'").fetchone() == (
        store.FTS_HASH_BYTES,)
    for i in (0, 9999, 19999):
        assert [s.ordinal for s, _ in store.search_segments(db, pid, f"row{i:05d}")] == [i]


def _stored_rows(db, package_id):
    return db.execute(
        "SELECT s.ordinal, s.kind, s.page, s.slide, s.notes, s.cue, s.start_ms, s.end_ms, "
        "s.paragraph, s.heading, s.line, s.text, s.norm, s.origin, typeof(s.cue), "
        "typeof(s.page) FROM segments s JOIN files f ON f.id = s.file_id "
        "WHERE f.package_id = ? ORDER BY s.ordinal", [package_id]).fetchall()


def _awkward_package(texts: list[str]) -> Package:
    """Segments of every locator shape the one-statement JSON write must carry over exactly."""
    locators = [Locator(cue=1, start_ms=0, end_ms=1500), Locator(page=3),
                Locator(slide=2, notes=True), Locator(paragraph=4, heading="第一章 \"引言\""),
                Locator(line=7)]
    segs = [Segment(file="a.md", ordinal=i, locator=locators[i % len(locators)], text=t)
            for i, t in enumerate(texts)]
    rec = FileRecord(path="a.md", size=1, sha256="9" * 64, role="notes", format="md",
                     units=len(segs), segments=segs)
    return Package(source="/x/odd", kind="dir", files=[rec], digest="sha256:" + "8" * 64)


AWKWARD = ["引号 \"双\" 与 '单'", "反斜杠 \\ 与 \\u0000 六个字", "制表\t换行\n回车\r",
           "emoji 😀 与 𠀀 (astral)", "ＦＵＬＬ　ｗｉｄｔｈ", "   ", "json: [1, {\"a\": null}]"]


def _row_by_row(db, files):
    """The oracle: every segment row by ``executemany``, and the index by its trigger."""
    for file_id, segments in files:
        db.conn.executemany(store._insert_values(1), list(store._segment_rows(file_id, segments)))


def test_segments_written_many_rows_a_statement_are_the_rows_executemany_writes(
        tmp_path, monkeypatch):
    fast, slow = open_db(tmp_path / "fast.db"), open_db(tmp_path / "slow.db")
    statements = []
    fast.conn.set_trace_callback(
        lambda sql: sql.startswith("INSERT INTO segments (") and statements.append(sql))
    fast_id = store.save_package(fast, "/x/odd", _awkward_package(AWKWARD), {"md": "1"})
    assert len(statements) == 3  # seven rows: statements of 4, 2 and 1
    monkeypatch.setattr(store, "_insert_segments", _row_by_row)
    slow_id = store.save_package(slow, "/x/odd", _awkward_package(AWKWARD), {"md": "1"})
    assert _stored_rows(fast, fast_id) == _stored_rows(slow, slow_id)
    assert [r[11] for r in _stored_rows(fast, fast_id)] == AWKWARD
    assert {r[14] for r in _stored_rows(fast, fast_id)} == {"integer", "null"}
    for db in (fast, slow):
        db.execute("INSERT INTO segments_fts (segments_fts) VALUES ('integrity-check')")
    assert [s.text for s, _ in store.search_segments(fast, fast_id, "FULL")] == ["ＦＵＬＬ　ｗｉｄｔｈ"]


@pytest.mark.parametrize("limit, per", [(None, 3), (31, 2)])
def test_a_file_longer_than_a_statement_is_written_whole_in_order(tmp_path, monkeypatch,
                                                                  limit, per):
    """Statements of at most ROWS_PER_INSERT rows, and never more bound values than
    SQLite's limit allows (here 31: two rows of 15)."""
    monkeypatch.setattr(store, "ROWS_PER_INSERT", 3)
    db = open_db(tmp_path / "s.db")
    if limit is not None:
        db.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, limit)
    sizes = []
    real = store._insert_values
    monkeypatch.setattr(store, "_insert_values", lambda rows: sizes.append(rows) or real(rows))
    pid = store.save_package(db, "/x/odd", _awkward_package(AWKWARD), {"md": "1"})
    assert sizes == [per] * (len(AWKWARD) // per) + ([len(AWKWARD) % per] if len(AWKWARD) % per else [])
    assert [r[11] for r in _stored_rows(db, pid)] == AWKWARD
    assert [r[0] for r in _stored_rows(db, pid)] == list(range(len(AWKWARD)))


@pytest.mark.parametrize("rows, per, sizes", [
    (0, 250, []), (250, 250, [250]), (251, 250, [250, 1]), (7, 4, [4, 2, 1]),
    (1000 + 249, 250, [250] * 4 + [128, 64, 32, 16, 8, 1])])
def test_a_files_rows_take_few_sizes_of_statement(rows, per, sizes):
    assert store._statement_sizes(rows, per) == sizes


def test_a_text_with_a_nul_is_written_whole(tmp_path):
    texts = ["前\x00后", "第二段"]
    db = open_db(tmp_path / "s.db")
    pid = store.save_package(db, "/x/odd", _awkward_package(texts), {"md": "1"})
    assert [r[11] for r in _stored_rows(db, pid)] == texts


def test_a_failed_segment_write_is_raised_and_leaves_nothing(tmp_path, monkeypatch):
    real = store._segment_rows
    monkeypatch.setattr(store, "_segment_rows",  # a file id that is not there
                        lambda file_id, segments: real(file_id + 10000, segments))
    db = open_db(tmp_path / "s.db")
    with pytest.raises(Exception, match="FOREIGN KEY"):
        store.save_package(db, "/x/odd", _awkward_package(AWKWARD), {"md": "1"})
    assert db.execute("SELECT count(*) FROM segments").fetchone() == (0,)
