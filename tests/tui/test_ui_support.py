"""The library's rows and package states (reviewer.service.ui_support), without a UI."""

from __future__ import annotations

from reviewer.service.review import answer_item, decide, load_checklists, review_status
from reviewer.service.scan import package_key
from reviewer.service.ui_support import display_path, has_scan, library_rows
from reviewer.store import open_db
from reviewer.store import packages as store
from reviewer.store import platform


def _state(db, pkg) -> str:
    return next(r["state"] for r in library_rows(db) if r["path"] == package_key(pkg))


def test_states_follow_the_review_in_review_decided_signed(seeded):
    db = open_db(seeded.db)
    try:
        assert has_scan(db, seeded.pkg)
        assert _state(db, seeded.pkg) == "in_review"
        row = library_rows(db)[0]
        assert row["display_path"] == "~/course"
        assert (row["errors"], row["warnings"], row["infos"]) == (2, 2, 1)
        decide(db, seeded.pkg, "reject", "plagiarised chapter 2")
        assert _state(db, seeded.pkg) == "decided"
        digest = review_status(db, seeded.pkg).digest
        platform.record_issued(db, {
            "id": "rec-1", "institution": "测试大学", "course_id": "test-course-001",
            "sequence": 1, "supersedes": None, "audience": None,
            "package_path": package_key(seeded.pkg), "package_digest": digest,
            "decision": "reject", "keyid": "k", "issued_at": "2026-01-01T00:00:00Z",
            "valid_until": "2027-01-01T00:00:00Z", "out_path": None, "payload_sha256": "0" * 64,
        })
        assert _state(db, seeded.pkg) == "signed"
    finally:
        db.conn.close()


def test_an_unfinished_scan_reads_as_not_scanned(tmp_path):
    from reviewer.ingest.package import EXTRACTOR_VERSIONS, load_package
    from tests.tui.conftest import make_package

    pkg = make_package(tmp_path)
    db = open_db(tmp_path / "s.db")
    try:
        package = load_package(pkg)
        package_id = store.save_package(db, package_key(pkg), package, EXTRACTOR_VERSIONS)
        store.start_scan(db, package_id, package.digest, "test", {}, "")  # never finished
        assert not has_scan(db, pkg)
        assert _state(db, pkg) == "not_scanned"
    finally:
        db.conn.close()


def test_an_answer_alone_does_not_make_a_package_decided(seeded):
    db = open_db(seeded.db)
    try:
        first = next(load_checklists().items()).id
        answer_item(db, seeded.pkg, first, "pass")
        assert _state(db, seeded.pkg) == "in_review"
    finally:
        db.conn.close()


def test_display_path_abbreviates_home_only(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert display_path(str(tmp_path / "a" / "b")) == "~/a/b"
    assert display_path(str(tmp_path) + "-other/x") == str(tmp_path) + "-other/x"
    assert display_path("/elsewhere/x") == "/elsewhere/x"


def test_current_digest_of_a_zip_with_a_corrupt_entry_is_unknown_not_a_crash(tmp_path):
    import zipfile

    from reviewer.service.ui_support import current_digest

    archive = tmp_path / "course.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("notes/a.md", "第一讲 数据结构绪论\n" * 50)
    good = current_digest(archive)
    assert good and good.startswith("sha256:")
    data = bytearray(archive.read_bytes())
    at = data.find("第一讲".encode())
    data[at] ^= 0xFF  # the entry no longer matches its CRC
    archive.write_bytes(bytes(data))
    assert current_digest(archive) is None
    assert current_digest(tmp_path / "gone.zip") is None
