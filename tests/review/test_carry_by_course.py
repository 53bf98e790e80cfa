"""Carry-over by course, not by path: a package found at another path or in a renamed zip
continues the review history of the same course id or the same files."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from reviewer.cli import cli
from reviewer.service import review as R
from reviewer.service.scan import scan
from reviewer.store import open_db
from tests.review.review_helpers import FILES, MANIFEST, Course, finding

ERR = finding("lexicon", "cheating-ads")
WARN = finding("pii", "personal-data", "warning", line=2, match="13800138000")


def _reviewed(db, course: Course) -> None:
    """Version 1 at its first path: answered, disposed of, noted and decided."""
    course.version(findings=[ERR, WARN])
    R.dispose_finding(db, course.path, ERR.id, "false-alarm", "讲诈骗案例")
    for item in R.load_checklists().items():  # after the evidence: a pass over open errors asks
        R.answer_item(db, course.path, item.id, "pass")
    R.add_note(db, course.path, "第一处的意见")
    R.decide(db, course.path, "recommend")


def test_the_same_package_at_another_path_continues_the_same_review(db, course, tmp_path):
    _reviewed(db, course)
    first = R.review_status(db, course.path)
    moved = Course(db, tmp_path / "moved" / "课程包")
    moved.version(findings=[ERR, WARN])  # the same bytes, the same course id
    status = R.review_status(db, moved.path)
    assert status.review_id == first.review_id  # not a copy: the very review
    assert status.continues == {"path": course.key, "by": "course-id"}
    assert status.decision.decision == "recommend" and not status.decision_outdated
    assert status.finding(ERR.id).disposition == "false-alarm"
    assert all(i.answer == "pass" and not i.needs_recheck for i in status.items)
    assert status.blockers == []
    # an action through the new path is one of the same history
    R.answer_item(db, moved.path, "P1", "fail", comment="第二处复核")
    again = R.review_status(db, course.path)
    assert again.item("P1").answer == "fail" and again.decision_outdated
    assert again.continues is None  # the path where it started continues nobody
    log = [(e.action, e.target) for e in R.audit_log(db, course.path)]
    assert ("continue", moved.key) in log and ("answer", "P1") in log
    assert log == [(e.action, e.target) for e in R.audit_log(db, moved.path)]


def test_a_new_version_at_another_path_is_carried_over_like_a_new_version(db, course, tmp_path):
    _reviewed(db, course)
    first = R.review_status(db, course.path)
    new = finding("lexicon", "cheating-ads", line=7, match="加微信包过")
    elsewhere = Course(db, tmp_path / "2026春")
    elsewhere.version(files=dict(FILES, **{"slides.pdf": ("slides", "slides v2")}),
                      findings=[ERR, new])
    status = R.review_status(db, elsewhere.path)
    assert status.review_id != first.review_id and status.carried_from == first.review_id
    assert status.continues == {"path": course.key, "by": "course-id"}
    assert status.decision is None  # another version needs its own decision
    assert status.finding(ERR.id).disposition == "false-alarm" and status.finding(ERR.id).carried
    assert status.finding(new.id).new and status.finding(new.id).disposition is None
    assert {"P3", "P4", "P6", "A1", "Q5"} <= {i.id for i in status.items if i.needs_recheck}
    assert [n["text"] for n in status.notes] == ["第一处的意见"]
    # both paths live on side by side, each with the review of its own version
    R.answer_item(db, elsewhere.path, "Q11", "fail", comment="新版本缺答疑安排")
    back = R.review_status(db, course.path)
    assert back.review_id == first.review_id and back.item("Q11").answer == "pass"
    assert back.decision.decision == "recommend"
    assert R.review_status(db, elsewhere.path).item("Q11").answer == "fail"


def test_two_paths_with_one_course_id_and_a_third_version_carries_the_latest(db, course, tmp_path):
    _reviewed(db, course)
    b = Course(db, tmp_path / "b")
    b.version(files=dict(FILES, **{"slides.pdf": ("slides", "slides b")}), findings=[ERR])
    R.answer_item(db, b.path, "A6", "fail", comment="引用不全")
    R.review_status(db, course.path)  # the first path looked at again: still its own version
    R.review_status(db, b.path)       # … and b last
    c = Course(db, tmp_path / "c")
    c.version(files=dict(FILES, **{"slides.pdf": ("slides", "slides c")}), findings=[ERR])
    status = R.review_status(db, c.path)
    assert status.carried_from == R.review_status(db, b.path).review_id
    assert status.item("A6").answer == "fail"
    assert status.continues["path"] == course.key  # all three share the history started there


def test_same_files_without_a_course_id_continue_by_content(db, tmp_path):
    bare = {k: v for k, v in MANIFEST.items() if k != "id"}
    first = Course(db, tmp_path / "course.zip")
    first.version(findings=[ERR], manifest=bare)
    R.dispose_finding(db, first.path, ERR.id, "confirmed")
    renamed = Course(db, tmp_path / "course-final(1).zip")
    renamed.version(findings=[ERR], manifest=bare)
    status = R.review_status(db, renamed.path)
    assert status.continues == {"path": first.key, "by": "content"}
    assert status.finding(ERR.id).disposition == "confirmed"
    # other files and no course id: a review of its own
    other = Course(db, tmp_path / "other.zip")
    other.version(files=dict(FILES, **{"syllabus.md": ("syllabus", "另一门课")}), findings=[ERR],
                  manifest=bare)
    status = R.review_status(db, other.path)
    assert status.continues is None and status.finding(ERR.id).disposition is None


def test_only_the_manifests_own_id_counts_not_the_folder_name(db, tmp_path):
    one = Course(db, tmp_path / "a" / "course")
    one.version(findings=[ERR], manifest=dict(MANIFEST, id="jd-101"))
    R.answer_item(db, one.path, "P1", "pass")
    two = Course(db, tmp_path / "b" / "course")  # the same folder name, another course
    two.version(files=dict(FILES, **{"syllabus.md": ("syllabus", "另一门课")}),
                findings=[ERR], manifest=dict(MANIFEST, id="jd-202"))
    status = R.review_status(db, two.path)
    assert status.continues is None and status.item("P1").answer is None


def test_a_path_with_a_history_of_its_own_is_never_merged_into_another(db, tmp_path):
    x, y = Course(db, tmp_path / "x"), Course(db, tmp_path / "y")
    x.version(findings=[ERR])
    R.answer_item(db, x.path, "P1", "pass")
    y.version(findings=[ERR])
    assert R.review_status(db, y.path).continues == {"path": x.key, "by": "course-id"}
    # x started the history: scanned again (another version), it links to nothing
    x.version(findings=[ERR, WARN])
    assert R.review_status(db, x.path).continues is None
    # z reviewed before any link could be made (as in a database from before) keeps its own
    z = Course(db, tmp_path / "z")
    z.version(findings=[ERR])
    from reviewer.store import reviews as rstore

    z_id = db.execute("SELECT id FROM packages WHERE path = ?", [z.key]).fetchone()[0]
    rstore.create_review(db, z_id, "sha256:own", {}, "sha256:x", "someone", None)
    status = R.review_status(db, z.path)
    assert status.continues is None and status.item("P1").answer is None


def test_no_link_to_a_package_never_reviewed(db, course, tmp_path):
    course.version(findings=[ERR])  # scanned, never reviewed
    copy = Course(db, tmp_path / "copy")
    copy.version(findings=[ERR])
    R.answer_item(db, copy.path, "P1", "pass")
    status = R.review_status(db, copy.path)
    assert status.continues is None  # nothing to continue: the copy starts the history
    assert R.review_status(db, course.path).continues == {"path": copy.key, "by": "course-id"}
    assert R.review_status(db, course.path).item("P1").answer == "pass"


# ---------------------------------------------------------------- through scan and the CLI

def _write_package(folder: Path, course_id: str | None) -> Path:
    folder.mkdir(parents=True)
    head = f"id: {course_id}\n" if course_id else ""
    (folder / "course.yaml").write_text(head + "title: 测试\nresponsible_teacher: 李四\n", "utf-8")
    (folder / "syllabus.md").write_text("# 教学大纲\n第一章 绪论\n", "utf-8")
    return folder


def _zip(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as zf:
        for path in sorted(folder.rglob("*")):
            zf.write(path, path.relative_to(folder).as_posix())
    return target


@pytest.fixture
def no_rules(tmp_path) -> list[Path]:
    folder = tmp_path / "no-rules"
    folder.mkdir()
    return [folder]


def test_a_renamed_zip_continues_through_scan_and_the_cli_says_so(tmp_path, no_rules):
    dbfile = tmp_path / "cli.db"
    db = open_db(dbfile)
    original = _zip(_write_package(tmp_path / "src", None), tmp_path / "课程.zip")
    scan(db, original, only_lexicons=no_rules)
    R.answer_item(db, original, "P1", "pass")
    renamed = tmp_path / "课程-终稿.zip"
    original.rename(renamed)
    outcome = scan(db, renamed, only_lexicons=no_rules)
    assert outcome.continued is not None and outcome.continued.linked_now
    assert (outcome.continued.path, outcome.continued.by) == (str(original.resolve()), "content")
    assert not scan(db, renamed, only_lexicons=no_rules).continued.linked_now  # said once
    assert R.review_status(db, renamed).item("P1").answer == "pass"
    db.conn.close()

    result = CliRunner().invoke(cli, ["--db", str(dbfile), "review", "status", str(renamed)],
                                obj={}, catch_exceptions=False)
    assert result.exit_code == 0
    assert f"继续 {original.resolve()} 处开始的审查（文件内容相同）" in result.stdout
    result = CliRunner().invoke(cli, ["--db", str(dbfile), "--lang", "en", "review", "status",
                                      str(renamed), "--format", "json"], obj={})
    doc = json.loads(result.stdout)
    assert doc["continues"] == {"path": str(original.resolve()), "by": "content"}
    import jsonschema

    from reviewer.paths import schemas_dir

    jsonschema.validate(doc, json.loads((schemas_dir() / "review-status.schema.json").read_text()))


def test_scan_from_the_cli_tells_where_the_review_started(tmp_path, no_rules):
    dbfile = tmp_path / "cli.db"
    first = _write_package(tmp_path / "a" / "ds", "jd-ds-2025")
    db = open_db(dbfile)
    scan(db, first, only_lexicons=no_rules)
    R.answer_item(db, first, "P1", "pass")
    db.conn.close()
    second = _write_package(tmp_path / "b" / "ds", "jd-ds-2025")
    (second / "notes.md").write_text("新增讲义\n", "utf-8")
    args = ["--db", str(dbfile), "scan", str(second), "--only-lexicon", str(no_rules[0])]
    result = CliRunner().invoke(cli, ["--lang", "en", *args], obj={})
    assert f"Continuing the review started at {first.resolve()} (same course id)" in result.stderr
    assert "Continuing" not in result.stdout
    again = CliRunner().invoke(cli, ["--lang", "en", *args], obj={})
    assert "Continuing" not in again.stderr  # only when the link is made


def test_a_database_from_before_gains_the_columns_and_its_packages_are_found_by_content(tmp_path):
    path = tmp_path / "old.db"
    db = open_db(path)
    bare = {k: v for k, v in MANIFEST.items() if k != "id"}
    old = Course(db, tmp_path / "old.zip")
    old.version(findings=[ERR], manifest=bare)
    R.answer_item(db, old.path, "P2", "pass")
    # back to the schema of a database written before these migrations
    db.execute("DROP INDEX packages_content_key")
    db.execute("ALTER TABLE packages DROP COLUMN content_key")
    db.execute("ALTER TABLE scans DROP COLUMN facts")
    db.execute("DROP TABLE review_homes")
    db.execute("DELETE FROM _migrations WHERE name IN "
               "('0003-scan-facts', '0004-package-content', '0101-review-homes')")
    db.conn.close()

    db = open_db(path)  # migrates
    assert R.review_status(db, old.path).item("P2").answer == "pass"
    assert db.execute("SELECT content_key FROM packages").fetchone()[0].startswith("sha256:")
    moved = Course(db, tmp_path / "new.zip")
    moved.version(findings=[ERR], manifest=bare)
    status = R.review_status(db, moved.path)
    assert status.continues == {"path": old.key, "by": "content"}
    assert status.item("P2").answer == "pass"
    db.conn.close()


def test_the_tui_summary_says_where_the_review_started(db, course, tmp_path):
    from reviewer.tui.session import PackageSession
    from reviewer.tui.widgets.summary_view import summary_text

    _reviewed(db, course)
    moved = Course(db, tmp_path / "moved")
    moved.version(findings=[ERR, WARN])
    text = summary_text(PackageSession(db, moved.path), "en").plain
    assert text.splitlines()[0] == f"Continuing the review started at {course.key} (same course id)"
    here = summary_text(PackageSession(db, course.path), "zh").plain
    assert "继续" not in here
