"""``reviewer scan`` from the command line, end to end, on the shipped sample courses.

Every seeded problem listed in ``sample_courses/expected/`` must be found at its
place, no decoy may be flagged, the report must match its schema, and a second
scan must reuse every file.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest

from reviewer.paths import schemas_dir
from reviewer.service.scan import scan
from reviewer.store import open_db
from tests.samples import expectations

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted(p.name for p in (ROOT / "sample_courses").iterdir()
                 if p.is_dir() and (p / "course.yaml").exists())


def run_cli(*args: str, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reviewer", *args, "--db", str(db)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    db = tmp_path_factory.mktemp("e2e") / "state.db"
    out = {}
    for name in SAMPLES:
        proc = run_cli("scan", f"sample_courses/{name}", "--format", "json", db=db)
        out[name] = proc
    return out


def test_there_are_three_samples():
    assert {"zh-data-structures", "en-intro-ml", "bi-computer-networks"} <= set(SAMPLES)


@pytest.mark.parametrize("name", SAMPLES)
def test_every_seeded_problem_found_and_no_decoy_flagged(reports, name):
    proc = reports[name]
    doc = json.loads(proc.stdout)
    has_error = any(f["severity"] == "error" for f in doc["findings"])
    assert proc.returncode == (1 if has_error else 0), proc.stderr
    jsonschema.validate(doc, json.loads((schemas_dir() / "report.schema.json").read_text()))
    expected = expectations.load(ROOT / "sample_courses" / "expected" / f"{name}.yaml")
    missed, flagged = expectations.evaluate(doc["findings"], expected)
    assert missed == [], f"seeded problems not found: {missed}"
    assert flagged == [], f"decoys flagged: {flagged}"
    # matches in text are always located inside their file
    assert all(f["file"] and f["location"] for f in doc["findings"] if f["check"] in ("lexicon", "pii"))


@pytest.mark.parametrize("name", SAMPLES)
def test_every_finding_has_context_or_is_about_a_whole_file(reports, name):
    doc = json.loads(reports[name].stdout)
    for f in doc["findings"]:
        if f["location"]:
            assert f["file"], f
        if f["match"] and f["location"] and f["check"] not in ("coverage", "completeness"):
            assert f["match"] in f["context"], f


def test_rescan_reuses_every_file_and_keeps_finding_ids(tmp_path):
    pkg = tmp_path / "pkg"
    shutil.copytree(ROOT / "sample_courses" / "zh-data-structures", pkg)
    db = open_db(tmp_path / "s.db")
    first = scan(db, pkg)
    documents = sum(1 for r in first.package.files if r.segments)
    assert first.extracted >= documents and first.reused == 0
    second = scan(db, pkg)
    assert second.reused == first.extracted and second.extracted == 0
    assert [f.id for f in second.findings] == [f.id for f in first.findings]
    # change one transcript: only that file is extracted again
    srt = next(pkg.glob("transcripts/*.srt"))
    srt.write_text(srt.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    third = scan(db, pkg)
    assert third.extracted == 1 and third.reused == first.extracted - 1
    assert third.package.digest != first.package.digest


def test_files_taken_from_the_store_get_their_text_when_the_checks_run(tmp_path):
    # Other options: the findings are not taken over, so the reused files'
    # text must be read back for the checks (same findings as the first scan).
    pkg = tmp_path / "pkg"
    shutil.copytree(ROOT / "sample_courses" / "zh-data-structures", pkg)
    db = open_db(tmp_path / "s.db")
    first = scan(db, pkg)
    second = scan(db, pkg, options={"rerun": True})
    assert second.extracted == 0 and second.reused == first.extracted
    assert sorted(f.id for f in second.findings) == sorted(f.id for f in first.findings)
    assert all(r.segments for r in second.package.files if r.status == "ok" and r.units
               and r.format not in ("media", "yaml"))


def test_rescan_after_an_unfinished_scan_keeps_the_stored_text(tmp_path):
    # A scan that saved another version of a file but never finished (killed)
    # leaves the store's files ahead of the last finished scan; going back to
    # the scanned bytes (still stored for a copy of the package) must not store
    # that file again without its text.
    from reviewer.ingest.package import EXTRACTOR_VERSIONS, load_package
    from reviewer.service.scan import file_text, package_key
    from reviewer.store import packages as pstore

    pkg, copy = tmp_path / "pkg", tmp_path / "copy"
    shutil.copytree(ROOT / "sample_courses" / "zh-data-structures", pkg)
    shutil.copytree(pkg, copy)
    db = open_db(tmp_path / "s.db")
    first = scan(db, pkg)
    scan(db, copy)
    srt = next(pkg.glob("transcripts/*.srt"))
    rel = srt.relative_to(pkg).as_posix()
    text = [s.text for s in file_text(db, pkg, rel)]
    original = srt.read_bytes()
    srt.write_bytes(original + b"\n")
    pstore.save_package(db, package_key(pkg), load_package(pkg), EXTRACTOR_VERSIONS)
    srt.write_bytes(original)
    again = scan(db, pkg)
    assert [f.id for f in again.findings] == [f.id for f in first.findings]
    assert [s.text for s in file_text(db, pkg, rel)] == text and text


def test_two_ingest_issues_at_one_place_are_two_findings_also_when_taken_over(tmp_path):
    # Both missing required manifest fields are reported at line 1; with one
    # id between them the store kept only one, so a re-scan lost the other.
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "course.yaml").write_text("x-note: neither id nor title\n", encoding="utf-8")
    (pkg / "syllabus.md").write_text("# 大纲\n", encoding="utf-8")
    db = open_db(tmp_path / "s.db")
    first = scan(db, pkg)
    invalid = [f for f in first.findings if f.rule == "manifest-invalid"]
    assert len(invalid) == 2 and len({f.id for f in invalid}) == 2
    assert len({f.id for f in first.findings}) == len(first.findings)
    again = scan(db, pkg)
    assert sorted(f.id for f in again.findings) == sorted(f.id for f in first.findings)


def test_a_zipped_package_has_the_same_digest_as_the_folder(tmp_path):
    src = ROOT / "sample_courses" / "en-intro-ml"
    archive = tmp_path / "en-intro-ml.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(src.rglob("*")):
            if p.is_file():
                zf.write(p, "en-intro-ml/" + p.relative_to(src).as_posix())
    db = open_db(tmp_path / "s.db")
    a, b = scan(db, src), scan(db, archive)
    assert a.package.digest == b.package.digest
    assert sorted(f.id for f in a.findings) == sorted(f.id for f in b.findings)


def test_text_output_and_search(tmp_path):
    db = tmp_path / "s.db"
    proc = run_cli("scan", "sample_courses/zh-data-structures", "--lang", "en", db=db)
    assert proc.returncode == 1
    assert "personal data (pii)" in proc.stdout and "digest sha256:" in proc.stdout
    hit = run_cli("search", "sample_courses/zh-data-structures", "身份证", "--format", "json", db=db)
    assert hit.returncode == 0, hit.stderr
    hits = json.loads(hit.stdout)
    assert any(h["location"].get("page") == 11 and "身份证" in h["context"] for h in hits)


@pytest.mark.parametrize("args,needle", [
    (("scan", "does/not/exist"), "does/not/exist"),
    (("scan", "sample_courses/zh-data-structures", "--format", "xml"), "xml"),
    (("search", "sample_courses/en-intro-ml", "x"), "scan"),
])
def test_bad_input_exits_2_with_one_line(tmp_path, args, needle):
    proc = run_cli(*args, db=tmp_path / "s.db")
    assert proc.returncode == 2
    assert needle in proc.stderr
    assert proc.stdout == ""


def test_scan_out_writes_the_report_or_says_in_one_line_why_it_cannot(tmp_path):
    report = tmp_path / "reports" / "r.json"
    proc = run_cli("scan", "sample_courses/en-intro-ml", "--format", "json", "--out", str(report),
                   db=tmp_path / "s.db")
    assert proc.returncode in (0, 1) and proc.stdout == ""
    assert json.loads(report.read_text(encoding="utf-8"))["findings"]
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    for lang, said in (("en", "cannot write"), ("zh", "无法写入")):  # in the user's language
        proc = run_cli("--lang", lang, "scan", "sample_courses/en-intro-ml", "--format", "json",
                       "--out", str(blocker / "r.json"), db=tmp_path / "s.db")
        assert proc.returncode == 2, proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1 and said in proc.stderr
        assert str(blocker / "r.json") in proc.stderr and "Traceback" not in proc.stderr


def test_a_broken_extra_lexicon_is_reported_and_the_scan_goes_on(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: broken\nterms: [unclosed\n", encoding="utf-8")
    proc = run_cli("scan", "sample_courses/en-intro-ml", "--lexicon", str(bad), "--format", "json",
                   db=tmp_path / "s.db")
    assert proc.returncode in (0, 1)
    assert "bad.yaml:3" in proc.stderr
    assert json.loads(proc.stdout)["findings"]


@pytest.mark.corpus
def test_every_corpus_folder_scans_through_the_service(tmp_path, corpus_dir):
    db = open_db(tmp_path / "s.db")
    for folder in ("zh-pku-oss-development", "en-usc-csce585-ml-systems",
                   "subtitles/mit-6.824-2020-thor"):
        outcome = scan(db, corpus_dir / folder)
        assert outcome.package.files
        for record in outcome.package.files:
            if record.status == "error":
                assert record.error
        assert any(f.rule == "manifest-missing" for f in outcome.findings)


def test_sarif_marks_a_dismissed_finding_as_suppressed(tmp_path):
    from reviewer.service.review import dispose_finding, open_review

    db_path = tmp_path / "s.db"
    db = open_db(db_path)
    outcome = scan(db, ROOT / "sample_courses" / "zh-data-structures")
    target = next(f for f in outcome.findings if f.check in ("lexicon", "pii"))
    open_review(db, ROOT / "sample_courses" / "zh-data-structures")
    dispose_finding(db, ROOT / "sample_courses" / "zh-data-structures", target.id, "false-alarm",
                    "a quotation in a lecture on academic integrity")
    proc = run_cli("scan", "sample_courses/zh-data-structures", "--format", "sarif", db=db_path)
    results = json.loads(proc.stdout)["runs"][0]["results"]
    by_id = {r["partialFingerprints"]["reviewerFindingId"]: r for r in results}
    assert "academic integrity" in by_id[target.id]["suppressions"][0]["justification"]
    assert sum(1 for r in results if "suppressions" in r) == 1


def test_an_unchanged_rescan_takes_the_findings_over_and_a_rule_change_reruns_the_checks(
        tmp_path, monkeypatch):
    import reviewer.service.scan as scan_service

    pkg = ROOT / "sample_courses" / "bi-computer-networks"
    db = open_db(tmp_path / "s.db")
    first = scan(db, pkg)
    calls = []
    real = scan_service.iter_checks
    monkeypatch.setattr(scan_service, "iter_checks", lambda ctx, **kw: calls.append(1) or real(ctx, **kw))
    second = scan(db, pkg)
    assert calls == [] and second.scan_id != first.scan_id
    assert [f.id for f in second.findings] == [f.id for f in first.findings]
    assert second.coverage.to_dict() == first.coverage.to_dict()
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        "id: extra\ncategory: test\nseverity: info\nmessage: {zh: 测试, en: test}\n"
        "name: {zh: 测试, en: test}\nterms: [分组交换]\n", encoding="utf-8")
    third = scan(db, pkg, lexicons=[extra])
    assert third.rule_errors == []
    assert calls == [1]
    assert any(f.rule == "extra" for f in third.findings)


def test_a_large_package_gives_freed_memory_back_before_each_check(tmp_path, monkeypatch):
    """Between checks a large package's scan returns the C heap's free memory to the OS
    (issue 10: peak memory); a small one does not pay for it.  Findings are the same."""
    import reviewer.service.scan as scan_service
    from reviewer.checks.registry import all_checks

    calls = []
    monkeypatch.setattr(scan_service, "trim_heap", lambda: calls.append(1) or True)
    course = ROOT / "sample_courses" / "zh-data-structures"
    small = scan(open_db(tmp_path / "a.db"), course)
    assert calls == []
    monkeypatch.setattr(scan_service, "TRIM_SEGMENTS", 1)
    large = scan(open_db(tmp_path / "b.db"), course)
    assert len(calls) == len(all_checks()) + 1  # before each check, and after the last
    assert [f.id for f in large.findings] == [f.id for f in small.findings]


def test_without_glibc_trim_heap_does_nothing(monkeypatch):
    import ctypes

    from reviewer.service.scan import trim_heap

    def no_libc(name, *args, **kwargs):
        raise OSError(f"{name}: cannot open shared object file")

    monkeypatch.setattr(ctypes, "CDLL", no_libc)
    assert trim_heap() is False
