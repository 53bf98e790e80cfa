"""The real course material in ../shared/corpus goes through ingestion.

Each folder is scanned as a package without a manifest: nothing crashes,
every PDF yields text, Kangxi radicals are folded in ``norm``, the hard cases
(lock file, GBK text, broken subtitles, one-line transcript) come out as the
corpus README says.  Word-list contents are never printed.
"""

from __future__ import annotations

import pytest

from reviewer.ingest.ocr import OcrOptions
from reviewer.ingest.package import load_package

pytestmark = pytest.mark.corpus
#: Pages without a text layer are read by OCR; the ~200 pictures inside pages that have
#: text are left to bench/bench_ocr.py --corpus (minutes of OCR, not a test's job).
PAGES_ONLY = OcrOptions(embedded=False, cache=None)

FOLDERS = ["zh-pku-oss-development", "en-usc-csce585-ml-systems", "subtitles/mit-6.824-2020-thor", "wordlists"]


@pytest.fixture(scope="module")
def packages(corpus_dir):
    return {name: load_package(corpus_dir / name, ocr=PAGES_ONLY) for name in FOLDERS}


@pytest.mark.parametrize("name", FOLDERS)
def test_folder_scans_without_manifest(packages, corpus_dir, name):
    package = packages[name]
    assert "manifest-missing" in {i.rule for i in package.issues}
    on_disk = sorted(p.relative_to(corpus_dir / name).as_posix()
                     for p in (corpus_dir / name).rglob("*") if p.is_file())
    assert sorted(f.path for f in package.files) == on_disk
    assert package.digest.startswith("sha256:") and len(package.digest) == 71
    for record in package.files:
        assert len(record.sha256) == 64
        if record.status == "error":
            assert record.error, record.path
            assert any(i.severity == "error" for i in record.issues), record.path
        else:
            assert record.error is None


@pytest.mark.parametrize("name", FOLDERS)
def test_every_pdf_yields_text(packages, name):
    for record in packages[name].files:
        if record.format != "pdf":
            continue
        assert record.status == "ok", (record.path, record.error)
        assert sum(len(s.text) for s in record.segments) > 500, record.path
        assert record.meta.get("created"), record.path


def test_kangxi_radicals_folded(packages):
    record = packages["zh-pku-oss-development"].file("slides/lecture0-课程简介.pdf")
    text = "".join(s.text for s in record.segments)
    norm = "".join(s.norm for s in record.segments)
    assert any(0x2F00 <= ord(c) <= 0x2FDF for c in text)
    assert not any(0x2F00 <= ord(c) <= 0x2FDF for c in norm)
    assert "⼤" in text and norm.count("大") > text.count("大")
    for seg in record.segments:
        assert len(seg.norm) == len(seg.text)


def test_pages_without_text_are_read_by_ocr(packages):
    # The Git deck's pages 8, 10 and 26 are screenshots without a text layer: OCR reads
    # them, so they are no longer "need OCR" and their text is checked like the rest.
    record = packages["zh-pku-oss-development"].file("slides/lecture201-Git教程.pdf")
    assert record.meta["pages_without_text"] == [8, 10, 26]
    assert record.meta["pages_ocr"] == [8, 10, 26]
    assert not [i for i in record.issues if i.rule in ("pdf-pages-without-text", "ocr-no-text")]
    ocr = [s for s in record.segments if s.locator.source == "ocr"]
    assert {s.locator.page for s in ocr} == {8, 10, 26}
    page26 = " ".join(s.text for s in ocr if s.locator.page == 26)
    assert "暂存区" in page26 and "版本库" in page26
    assert all(0 < s.locator.confidence <= 1 and s.locator.box[2] <= 960 for s in ocr)  # boxes in PDF points
    # in page order: OCR lines of page 8 sit between the text of pages 7 and 9
    pages = [s.locator.page for s in record.segments]
    assert pages == sorted(pages)
    assert [s.ordinal for s in record.segments] == list(range(len(record.segments)))


def test_every_pdf_page_has_text_or_a_reason(packages):
    for name in FOLDERS:
        for record in packages[name].files:
            if record.format != "pdf" or record.status != "ok":
                continue
            with_text = {s.locator.page for s in record.segments}
            reported = set()
            for i in record.issues:
                if i.rule in ("pdf-pages-without-text", "ocr-no-text", "pdf-page-unreadable"):
                    listed = i.message["en"].rsplit(": ", 1)[-1].rstrip(" …")
                    reported |= {int(n) for n in listed.split(", ")}
            missing = set(range(1, record.units + 1)) - with_text - reported
            assert not missing, (record.path, sorted(missing))


def test_lock_file_and_text_box_docx(packages):
    package = packages["en-usc-csce585-ml-systems"]
    lock = package.file("hardcases/~$yer_mls.docx")
    assert lock.status == "error" and lock.error == "Office lock file, not a document"
    flyer = package.file("syllabus/flyer_mls.docx")
    texts = [s.text for s in flyer.segments]
    assert len(texts) == len(set(texts)), "text-box paragraphs must not repeat"
    assert any("August 23rd, 2018" in t for t in texts)


def test_gbk_transcript_decodes_to_chinese(packages):
    record = packages["subtitles/mit-6.824-2020-thor"].file("hardcases/Lec4-中文.gbk.txt")
    assert record.status == "ok" and record.meta["encoding"] == "gb18030"
    assert any("翻译内容" in s.text for s in record.segments)


def test_one_line_transcript_is_chunked_on_line_1(packages):
    record = packages["subtitles/mit-6.824-2020-thor"].file("lec04_Lec4.en.txt")
    assert len(record.segments) > 20
    assert {s.locator.line for s in record.segments} == {1}
    assert all(len(s.text) <= 2000 for s in record.segments)


def test_subtitle_defects(packages):
    package = packages["subtitles/mit-6.824-2020-thor"]
    rules = {r.path: {i.rule for i in r.issues} for r in package.files if r.format == "srt"}
    assert {"subtitle-missing-index", "subtitle-mistyped-index"} <= rules["lec01_introduction.srt"]
    assert {"subtitle-missing-index", "subtitle-skipped-index"} <= rules["lec06_tolerance_raft_1.srt"]
    assert "subtitle-end-before-start" in rules["lec08_zookeeper.en.srt"]
    assert "subtitle-stray-text" in rules["lec04_primary_backup_replication.en.srt"]
    bom = package.file("lec04_primary_backup_replication.en.srt")
    assert bom.meta["encoding"] == "utf-8-sig"
    assert not bom.segments[0].text.startswith("\ufeff")
    lec01 = package.file("lec01_introduction.srt")
    assert lec01.units == len(lec01.segments) > 1500
    assert "\n" in lec01.segments[0].text  # bilingual cue keeps both lines
    assert lec01.duration_ms > 60 * 60 * 1000


def test_pptx_slides(packages):
    record = packages["zh-pku-oss-development"].file("slides/lecture102-how2participate.pptx")
    assert record.units == 13
    assert record.segments[0].text.startswith("如何参与开源项目和社区")


def test_wordlists_read_as_lines(packages):
    for record in packages["wordlists"].files:
        assert record.status == "ok" and record.format == "txt"
        assert record.units > 100 and len(record.segments) > 100
