"""PDF: per-page segments, metadata, and every way a PDF can fail."""

from __future__ import annotations

import re

from reviewer.ingest.formats.pdf import clean_page_text, extract_pdf_layout, read_pdf
from reviewer.ingest.ocr import OcrOptions
from reviewer.ingest.package import read_file


def test_pages_located_with_metadata(make_pdf):
    data = make_pdf(["Week 1: History of open source", "Week 2: Licences\nGPL and MIT"], title="Slides")
    record = read_file(data, "slides/lecture1.pdf")
    assert record.status == "ok" and record.format == "pdf" and record.role == "slides"
    assert record.units == 2
    assert [s.locator.to_dict() for s in record.segments] == [{"page": 1}, {"page": 2}]
    assert "History of open source" in record.segments[0].text
    assert "GPL and MIT" in record.segments[1].text
    assert "\r" not in record.segments[1].text
    assert record.meta["title"] == "Slides"
    assert record.meta["author"] == "Test Author"
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", record.meta["created"])


def test_chinese_pdf(make_pdf):
    record = read_file(make_pdf(["第一讲 开源软件概论", "课程考核方式"], cjk=True), "syllabus/大纲.pdf")
    assert record.role == "syllabus"
    assert "开源软件概论" in record.segments[0].text
    assert "课程考核方式" in record.segments[1].text


def test_encrypted_pdf_is_an_error(make_pdf):
    record = read_file(make_pdf(["secret"], password="pw"), "x.pdf")
    assert record.status == "error"
    assert record.error == "encrypted"
    assert record.issues[0].rule == "pdf-encrypted"
    assert record.issues[0].severity == "error"


def test_corrupt_pdf_is_an_error_with_reason():
    record = read_file(b"%PDF-1.4\nthis is not really a pdf\n%%EOF\n", "x.pdf")
    assert record.status == "error"
    assert record.error.startswith("corrupt PDF: ")
    assert len(record.error) > len("corrupt PDF: ")
    assert record.issues[0].rule == "pdf-corrupt"


def test_truncated_pdf_does_not_crash(make_pdf):
    data = make_pdf(["one", "two", "three"])
    record = read_file(data[: len(data) // 3], "x.pdf")
    assert record.status in ("ok", "error")
    if record.status == "error":
        assert record.error


def test_broken_xref_still_opens(make_pdf):
    data = make_pdf(["xref is wrong but text is here"])
    start = data.rindex(b"startxref")
    broken = data[:start] + b"startxref\n12\n%%EOF\n"
    record = read_file(broken, "x.pdf")
    assert record.status == "ok"
    assert "text is here" in record.segments[0].text


def test_pdf_without_text_even_after_ocr_is_an_error(make_pdf):
    # pages holding only a filled rectangle: no text layer, and OCR finds nothing
    record = read_file(make_pdf([None, None]), "scan.pdf")
    assert record.status == "error"
    assert record.error == "no text: no page has a text layer and OCR found no text in them"
    assert record.issues[0].rule == "pdf-no-text"
    assert "OCR" in record.issues[0].message["zh"]


def test_pdf_without_text_layer_and_ocr_off_says_so(make_pdf):
    record = read_file(make_pdf([None, None]), "scan.pdf", ocr=OcrOptions(enabled=False, qr=False))
    assert record.status == "error" and record.issues[0].rule == "pdf-no-text"
    assert record.error == "no text layer and the pages could not be read by OCR: text recognition (OCR) is off"


def test_pages_ocr_finds_nothing_in_are_one_info_listing_them(make_pdf):
    record = read_file(make_pdf(["text", None, "more", None]), "deck.pdf", ocr=OcrOptions(cache=None))
    assert record.status == "ok"
    assert record.units == 4
    assert [s.locator.page for s in record.segments] == [1, 3]
    [note] = record.issues
    assert note.rule == "ocr-no-text" and note.severity == "info"
    assert note.message["en"].endswith(": 2, 4") and note.locator.page == 2
    assert record.meta["pages_without_text"] == [2, 4] and record.meta["pages_ocr"] == []


def test_pages_without_text_unread_warn_once_with_the_reason(make_pdf):
    record = read_file(make_pdf(["text", None, "more", None]), "deck.pdf", ocr=OcrOptions(enabled=False, qr=False))
    assert record.status == "ok"
    [warning] = record.issues
    assert warning.rule == "pdf-pages-without-text" and warning.severity == "warning"
    assert "(OCR) is off" in warning.message["en"] and "未启用文字识别" in warning.message["zh"]
    assert warning.message["en"].endswith(": 2, 4")
    assert warning.locator.page == 2
    assert record.meta["pages_without_text"] == [2, 4]


def test_clean_page_text_joins_soft_hyphens_and_strips_controls():
    assert clean_page_text("deep learn\x02ing\r\nnext\x00 line") == "deep learning\nnext line"
    assert clean_page_text("2020\x022021") == "2020-2021"


def test_layout_fallback_with_pdfplumber(make_pdf):
    layout = extract_pdf_layout(make_pdf(["alpha beta", "gamma"]), pages=[2])
    assert list(layout) == [2]
    assert "gamma" in layout[2]["text"]
    assert layout[2]["words"][0]["text"] == "gamma"


def test_reader_directly(make_pdf):
    out = read_pdf(make_pdf(["a page"]), "p.pdf")
    assert out.segments[0].file == "p.pdf" and out.segments[0].ordinal == 0


def test_pdf_dates_default_missing_fields_by_position_and_survive_a_bad_offset():
    from reviewer.ingest.formats.base import pdf_date

    assert pdf_date("D:20230912") == "2023-09-12T00:00:00"
    assert pdf_date("D:202309") == "2023-09-01T00:00:00"
    assert pdf_date("D:20230912171657+08'00'") == "2023-09-12T17:16:57+08:00"
    # an offset of a day or more (hostile metadata) must not make the PDF unreadable
    assert pdf_date("D:20230912171657+99'00'") == "2023-09-12T17:16:57"
