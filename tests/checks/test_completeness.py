"""Check ``completeness``: listed files, roles, teacher, transcripts, empty slides."""

from __future__ import annotations

import pytest

from reviewer.checks.completeness import check_completeness, empty_units
from reviewer.checks.model import CheckContext
from reviewer.ingest.model import FileRecord, IngestIssue, Locator, Package, Segment


def _rec(path: str, role: str, fmt: str, segments=(), units: int = 0, status: str = "ok",
         issues=()) -> FileRecord:
    return FileRecord(path=path, size=10, sha256=path, role=role, format=fmt, status=status,
                      units=units, segments=list(segments), issues=list(issues))


def _cues(path: str, spans: list[tuple[float, float]]) -> list[Segment]:
    return [Segment(path, i, Locator(cue=i + 1, start_ms=int(a * 1000), end_ms=int(b * 1000)),
                    f"第{i + 1}句")
            for i, (a, b) in enumerate(spans)]


def _full_package(manifest: dict | None = None, extra: list[FileRecord] | None = None) -> Package:
    files = [
        _rec("course.yaml", "manifest", "yaml"),
        _rec("syllabus.md", "syllabus", "md", [Segment("syllabus.md", 0, Locator(line=1), "# 大纲")]),
        _rec("t/w1.srt", "transcript", "srt", _cues("t/w1.srt", [(0, 3), (3.5, 6)])),
        _rec("slides/w1.pptx", "slides", "pptx",
             [Segment("slides/w1.pptx", 0, Locator(slide=1), "绪论")], units=1),
    ] + (extra or [])
    if manifest is None:
        manifest = {"id": "c", "responsible_teacher": "张老师",
                    "files": [{"path": "syllabus.md", "role": "syllabus"},
                              {"path": "t/w1.srt", "role": "transcript"},
                              {"path": "slides/w1.pptx", "role": "slides"}]}
    return Package(source="/p", kind="dir", files=files, digest="sha256:0", manifest=manifest)


def _run(pkg: Package, **options) -> list:
    return check_completeness(CheckContext(package=pkg, options=options)).findings


def _rules(findings) -> list[tuple[str, str]]:
    return sorted((f.rule, f.severity) for f in findings)


def test_a_complete_package_has_no_findings():
    assert _run(_full_package()) == []


def test_listed_but_absent_files_are_errors():
    manifest = {"responsible_teacher": "张老师", "integrity_pledge": "pledge.pdf",
                "files": [{"path": "./syllabus.md", "role": "syllabus"},
                          {"path": "t/W2.srt", "role": "transcript"},
                          {"path": "t/w1.SRT", "role": "transcript"}, "notes/n1.md"]}
    found = [f for f in _run(_full_package(manifest)) if f.rule == "file-missing"]
    assert sorted(f.file for f in found) == ["notes/n1.md", "pledge.pdf", "t/W2.srt", "t/w1.SRT"]
    assert all(f.severity == "error" and f.check == "completeness" for f in found)
    case_hint = next(f for f in found if f.file == "t/w1.SRT")
    assert "letter case" in case_hint.message["en"] and "大小写" in case_hint.message["zh"]
    assert next(f for f in found if f.file == "pledge.pdf").extra["listed_in"] == "integrity_pledge"


@pytest.mark.parametrize("teacher, flagged", [
    (None, True), ("", True), ("   ", True), ([], True), ({"title": "教授"}, True),
    ("张老师", False), ({"name": "张三"}, False), (["", "李四"], False),
])
def test_responsible_teacher(teacher, flagged):
    manifest = {"files": []}
    if teacher is not None:
        manifest["responsible_teacher"] = teacher
    found = [f for f in _run(_full_package(manifest)) if f.rule == "no-responsible-teacher"]
    assert bool(found) is flagged
    if found:
        assert found[0].severity == "error" and found[0].file == "course.yaml"
        assert "第三条" in found[0].message["zh"]


def test_no_manifest_is_left_to_ingest():
    pkg = _full_package()
    pkg.manifest = None
    assert _run(pkg) == []


def test_missing_roles():
    pkg = Package(source="/p", kind="dir", digest="sha256:0", manifest={"responsible_teacher": "x"},
                  files=[_rec("v/lecture1.mp4", "other", "media")])
    assert _rules(_run(pkg)) == [("no-slides", "warning"), ("no-syllabus", "error"),
                                 ("no-transcripts", "warning")]
    no_tr = next(f for f in _run(pkg) if f.rule == "no-transcripts")
    assert "1 media" in no_tr.message["en"]


def test_long_gaps_between_cues_are_reported_at_the_cue_after_them():
    cues = _cues("t/w2.srt", [(0, 4), (5, 9), (400, 404), (405, 409), (1000, 1004)])
    pkg = _full_package(extra=[_rec("t/w2.srt", "transcript", "srt", cues)])
    gaps = [f for f in _run(pkg) if f.rule == "transcript-gap"]
    assert [(f.file, f.location["cue"], f.severity) for f in gaps] == [
        ("t/w2.srt", 3, "warning"), ("t/w2.srt", 5, "warning")]
    assert gaps[0].extra["from"] == "00:00:09.000" and gaps[0].extra["to"] == "00:06:40.000"
    assert not [f for f in _run(pkg, max_cue_gap_minutes=15) if f.rule == "transcript-gap"]
    assert len([f for f in _run(pkg, max_cue_gap_minutes="nonsense")
                if f.rule == "transcript-gap"]) == 2


def test_gap_option_not_a_finite_number_does_not_crash():
    cues = _cues("t/w2.srt", [(0, 4), (400, 404)])
    pkg = _full_package(extra=[_rec("t/w2.srt", "transcript", "srt", cues)])
    assert len([f for f in _run(pkg, max_cue_gap_minutes="nan") if f.rule == "transcript-gap"]) == 1
    assert not [f for f in _run(pkg, max_cue_gap_minutes=float("inf"))
                if f.rule == "transcript-gap"]


def test_overlapping_and_unordered_cues_are_not_gaps():
    cues = _cues("t/w3.srt", [(0, 500), (100, 200), (450, 460), (10, 20)])
    pkg = _full_package(extra=[_rec("t/w3.srt", "transcript", "srt", cues)])
    assert not [f for f in _run(pkg) if f.rule == "transcript-gap"]


def test_gap_findings_are_capped_per_file():
    spans = [(i * 400.0, i * 400.0 + 2) for i in range(30)]
    pkg = _full_package(extra=[_rec("t/w4.srt", "transcript", "srt", _cues("t/w4.srt", spans))])
    gaps = [f for f in _run(pkg) if f.rule == "transcript-gap"]
    assert len(gaps) == 21 and gaps[-1].extra["gaps"] == 29


def test_empty_transcripts():
    pkg = _full_package(extra=[
        _rec("t/empty.srt", "transcript", "srt"),
        _rec("t/empty.txt", "transcript", "txt"),
        _rec("t/plain.txt", "transcript", "txt", [Segment("t/plain.txt", 0, Locator(line=1), "讲稿")]),
        _rec("t/broken.srt", "transcript", "srt", status="error"),
    ])
    found = [(f.file, f.rule) for f in _run(pkg) if f.rule.startswith("transcript")]
    assert sorted(found) == [("t/empty.srt", "transcript-empty"), ("t/empty.txt", "transcript-empty")]


def test_empty_slides_are_aggregated_per_file_and_notes_do_not_count():
    segs = [Segment("s/a.pptx", 0, Locator(slide=1), "标题"),
            Segment("s/a.pptx", 1, Locator(slide=2, notes=True), "只有备注"),
            Segment("s/a.pptx", 2, Locator(slide=4), "正文")]
    rec = _rec("s/a.pptx", "slides", "pptx", segs, units=5)
    assert empty_units(rec) == [2, 3, 5]
    found = [f for f in _run(_full_package(extra=[rec])) if f.rule == "empty-slides"]
    assert [(f.file, f.severity, f.extra["units"]) for f in found] == [("s/a.pptx", "info", [2, 3, 5])]


def test_pdf_pages_already_reported_by_ingest_are_not_repeated():
    segs = [Segment("s/b.pdf", 0, Locator(page=1), "第一页")]
    reported = _rec("s/b.pdf", "slides", "pdf", segs, units=3, issues=[
        IngestIssue("pdf-pages-without-text", "warning", {"zh": "x", "en": "x"}, "s/b.pdf")])
    unreported = _rec("s/c.pdf", "slides", "pdf", [Segment("s/c.pdf", 0, Locator(page=2), "x")],
                      units=2)
    found = [f.file for f in _run(_full_package(extra=[reported, unreported]))
             if f.rule == "empty-slides"]
    assert found == ["s/c.pdf"]


def test_the_check_is_registered():
    from reviewer.checks.registry import CHECK_MODULES, all_checks

    assert "reviewer.checks.completeness" in CHECK_MODULES and "completeness" in all_checks()
