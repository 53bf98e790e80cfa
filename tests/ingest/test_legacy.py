"""Legacy Office files (.doc, .ppt) through LibreOffice; what happens without it or when it fails.

The files are ``tests/data/legacy/`` (made by tools/make_legacy_fixtures.py).
Tests that convert need LibreOffice (CI installs it) and are skipped with the
reason where it is missing; the others run everywhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import reviewer.ingest.formats.legacy as legacy
from reviewer.ingest.formats.base import ExtractError
from reviewer.ingest.formats.detect import detect_format, infer_role
from reviewer.ingest.package import load_package, read_file

DATA = Path(__file__).resolve().parents[1] / "data" / "legacy"
DOC = (DATA / "讲义.doc").read_bytes()
PPT = (DATA / "第03讲.ppt").read_bytes()
XLS = (DATA / "教学进度表.xls").read_bytes()
BROKEN = (DATA / "broken.doc").read_bytes()
needs_libreoffice = pytest.mark.skipif(legacy.soffice() is None, reason="LibreOffice (soffice) is not installed")


def test_formats_and_roles():
    assert [detect_format(n) for n in ("a.doc", "a.WPS", "a.rtf", "a.ppt", "a.pps", "a.dps", "a.xls", "a.et")] == \
        ["doc", "doc", "doc", "ppt", "ppt", "ppt", "xls", "xls"]
    assert infer_role("lectures/第03讲.ppt", "ppt") == "slides"
    assert infer_role("notes/讲义.doc", "doc") == "notes"


@needs_libreoffice
def test_word_97_document_read_by_paragraph():
    record = read_file(DOC, "notes/讲义.doc")
    assert record.status == "ok" and record.format == "doc"
    assert record.meta["converted"] == {"from": ".doc", "to": "docx", "by": "libreoffice"}
    texts = {s.locator.paragraph: s.text for s in record.segments}
    assert texts[1] == "第一章 课程说明"
    assert "daikao_88" in texts[3]


@needs_libreoffice
def test_powerpoint_97_deck_read_by_slide_with_notes():
    record = read_file(PPT, "slides/第03讲.ppt")
    assert record.status == "ok" and record.units == 2
    slides = [(s.locator.slide, s.locator.notes) for s in record.segments]
    assert slides == [(1, False), (1, True), (2, False), (2, True)]
    assert "110105199903072413" in record.segments[2].text


@needs_libreoffice
def test_excel_97_workbook_read_by_sheet_and_row():
    record = read_file(XLS, "schedule/教学进度表.xls")
    if record.status == "error" and "could not open" in (record.error or ""):
        pytest.skip("LibreOffice Calc (libreoffice-calc-nogui) is not installed")
    assert record.status == "ok" and record.meta["converted"]["to"] == "xlsx"
    rows = [(s.locator.heading, s.locator.line, s.text) for s in record.segments]
    assert rows[1] == ("教学进度", 2, "1 | 绪论 | 助教 电话 13826457193")


@needs_libreoffice
def test_file_libreoffice_cannot_open_is_an_error_and_the_rest_goes_on(tmp_path):
    (tmp_path / "broken.doc").write_bytes(BROKEN)
    (tmp_path / "notes.md").write_text("# 说明\n正文\n", encoding="utf-8")
    package = load_package(tmp_path)
    broken = package.file("broken.doc")
    assert broken.status == "error" and broken.issues[0].rule == "legacy-convert-failed"
    assert "LibreOffice" in broken.error and "LibreOffice" in broken.issues[0].message["zh"]
    assert package.file("notes.md").status == "ok"


@needs_libreoffice
def test_conversion_time_limit():
    with pytest.raises(ExtractError, match="longer than") as caught:
        legacy.convert(DOC, "a.doc", "docx", legacy.soffice(), timeout=0.01)
    assert caught.value.rule == "legacy-convert-failed"


def test_without_libreoffice_the_error_says_how_to_install(monkeypatch):
    monkeypatch.setattr(legacy, "soffice", lambda: None)
    for data, name in ((DOC, "notes/讲义.doc"), (PPT, "slides/第03讲.ppt"), (XLS, "教学进度表.xls")):
        record = read_file(data, name)
        assert record.status == "error"
        [issue] = record.issues
        assert issue.rule == "legacy-needs-libreoffice" and issue.severity == "error"
        assert "apt install libreoffice-writer-nogui" in issue.message["en"]
        assert "请安装 LibreOffice" in issue.message["zh"]


def test_an_executable_that_is_not_libreoffice(tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'segmentation fault' >&2\nexit 139\n")
    fake.chmod(0o755)
    with pytest.raises(ExtractError, match="could not open it as a .doc file \\(segmentation fault\\)"):
        legacy.convert(DOC, "a.doc", "docx", str(fake))


@needs_libreoffice
def test_checks_find_adverts_and_ids_in_legacy_files(tmp_path):
    from reviewer.service.scan import scan
    from reviewer.store import open_db

    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "讲义.doc").write_bytes(DOC)
    (pkg / "第03讲.ppt").write_bytes(PPT)
    result = scan(open_db(tmp_path / "s.db"), pkg)
    advert = [f for f in result.findings if f.check == "lexicon" and f.file == "讲义.doc"]
    assert advert and advert[0].locator.paragraph == 3 and advert[0].severity == "error"
    pii = [f for f in result.findings if f.check == "pii" and f.file == "第03讲.ppt"]
    assert any(f.locator.slide == 2 and "110105199903072413" in f.match for f in pii)
