"""Text in pictures: OCR and QR codes in image files, slides, Word documents and PDF pages.

The pictures are ``tests/data/ocr/*.png`` (made by tools/make_ocr_fixtures.py);
the documents holding them are built here.  Tests that check what the real
engine reads use it (its models ship in the rapidocr-onnxruntime wheel); tests
of limits, caching, cancelling and confidence put a counting stand-in in its place.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest

import reviewer.ingest.ocr as ocr
from reviewer.ingest.ocr import OcrOptions
from reviewer.ingest.package import iter_read_file, load_package, read_file

DATA = Path(__file__).resolve().parents[1] / "data" / "ocr"
ADVERT = (DATA / "screenshot-advert.png").read_bytes()
NOTICE = (DATA / "photo-notice.png").read_bytes()
ENGLISH = (DATA / "advert-en.png").read_bytes()
QR = (DATA / "wechat-group-qr.png").read_bytes()
NO_TEXT = (DATA / "photo-no-text.jpg").read_bytes()
NO_CACHE = OcrOptions(cache=None)


@pytest.fixture(autouse=True)
def _fresh_memory_cache():
    ocr._MEMORY.clear()
    yield
    ocr._MEMORY.clear()


class CountingEngine:
    """Stands in for RapidOCR: one line per picture, with the confidence asked for."""

    def __init__(self, text="身份证 110105199903072413", confidence=0.99):
        self.calls = 0
        self.text, self.confidence = text, confidence

    def __call__(self, picture, use_cls=False):
        self.calls += 1
        w, h = picture.size
        return [[[[2, 2], [w - 2, 2], [w - 2, 20], [2, 20]], self.text, self.confidence]], None


@pytest.fixture
def stand_in(monkeypatch):
    engine = CountingEngine()
    monkeypatch.setattr(ocr, "_ENGINE", engine)
    return engine


# ------------------------------------------------------------------ documents with pictures

def pptx_with(pictures: list[bytes], title="第一讲 课程介绍") -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    for i, data in enumerate(pictures):
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        slide.shapes.title.text = f"{title} ({i + 1})"
        slide.shapes.add_picture(io.BytesIO(data), Inches(1), Inches(2), width=Inches(6))
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def docx_with(picture: bytes) -> bytes:
    import docx

    doc = docx.Document()
    doc.add_paragraph("第一段：课程说明。")
    doc.add_paragraph("第二段：请看下面的通知照片。")
    doc.add_picture(io.BytesIO(picture))
    doc.add_paragraph("第四段：以上。")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def image_pdf(pictures: list[bytes], text_first: str | None = None) -> bytes:
    """A PDF whose pages are pictures only (a scan); ``text_first`` adds a text page before them."""
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="pt", format=(420, 595))
    if text_first:
        pdf.add_page()
        pdf.set_font("helvetica", size=14)
        pdf.cell(text=text_first)
    for data in pictures:
        pdf.add_page()
        pdf.image(io.BytesIO(data), x=20, y=20, w=550)
    return bytes(pdf.output())


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares ``width``×``height`` but holds almost nothing (a decompression bomb's header)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def ocr_segments(record):
    return [s for s in record.segments if s.locator.source == "ocr"]


# ------------------------------------------------------------------ the real engine

def test_image_file_lines_with_box_and_confidence():
    record = read_file(ADVERT, "notes/notice.png", ocr=NO_CACHE)
    assert record.status == "ok" and record.format == "image"
    assert record.meta["width"] == 900 and record.meta["height"] == 200
    lines = ocr_segments(record)
    assert [s.locator.line for s in lines] == [1, 2]
    assert "代刷网课" in lines[0].text and "110105199903072413" in lines[1].text
    for seg in lines:
        x0, y0, x1, y1 = seg.locator.box
        assert 0 <= x0 < x1 <= 900 and 0 <= y0 < y1 <= 200
        assert 0.8 < seg.locator.confidence <= 1
    assert lines[0].locator.label("zh") == "OCR 第 1 行"
    assert lines[1].locator.label("en") == "OCR line 2"
    assert lines[1].locator.to_dict()["source"] == "ocr"


def test_photographed_notice_and_english_advert():
    notice = " ".join(s.text for s in ocr_segments(read_file(NOTICE, "a.png", ocr=NO_CACHE)))
    assert "期末考试" in notice and "第十八周" in notice
    english = " ".join(s.text for s in ocr_segments(read_file(ENGLISH, "b.png", ocr=NO_CACHE)))
    assert "Take my online class" in english and "WhatsApp" in english


def test_qr_code_decoded_as_its_own_segment():
    record = read_file(QR, "poster.png", ocr=NO_CACHE)
    [code] = [s for s in record.segments if s.locator.source == "qr"]
    assert code.text == "https://weixin.qq.com/g/AbCdEf123"
    assert code.locator.label("zh") == "二维码" and code.locator.label("en") == "QR code"
    assert code.locator.box is not None


def test_picture_on_a_slide_is_located_at_its_slide():
    record = read_file(pptx_with([NOTICE, ADVERT]), "slides/lec1.pptx", ocr=NO_CACHE)
    assert record.status == "ok"
    lines = ocr_segments(record)
    assert {s.locator.slide for s in lines} == {1, 2}
    advert = [s for s in lines if "代刷" in s.text]
    assert advert and all(s.locator.slide == 2 and s.locator.image.startswith("image") for s in advert)
    assert advert[0].locator.label("zh").startswith("第 2 张幻灯片 · image")
    # the slide's own text stays first, then the text of its pictures; ordinals renumbered
    slide2 = [s for s in record.segments if s.locator.slide == 2]
    assert slide2[0].locator.source is None and "第一讲" in slide2[0].text
    assert [s.ordinal for s in record.segments] == list(range(len(record.segments)))


def test_picture_in_a_word_document_is_located_at_its_paragraph():
    record = read_file(docx_with(NOTICE), "notes/说明.docx", ocr=NO_CACHE)
    lines = ocr_segments(record)
    assert lines and all(s.locator.paragraph == 2 for s in lines)  # after the paragraph before it
    assert any("期末考试" in s.text for s in lines)


def test_scanned_pdf_pages_read_and_boxes_in_points():
    record = read_file(image_pdf([ADVERT, NOTICE], text_first="Lecture 1"), "slides/scan.pdf", ocr=NO_CACHE)
    assert record.status == "ok" and record.units == 3
    assert record.meta["pages_without_text"] == [2, 3] and record.meta["pages_ocr"] == [2, 3]
    assert not [i for i in record.issues if i.rule in ("pdf-pages-without-text", "ocr-no-text")]
    lines = ocr_segments(record)
    assert {s.locator.page for s in lines} == {2, 3}
    assert any("110105199903072413" in s.text for s in lines if s.locator.page == 2)
    assert all(s.locator.box[2] <= 595 for s in lines)  # the page is 595 pt wide


def test_picture_without_text_is_fine_and_says_so():
    record = read_file(NO_TEXT, "photo.jpg", ocr=NO_CACHE)
    assert record.status == "ok" and record.segments == [] and record.issues == []
    assert record.meta["ocr"]["empty"] == 1


# ------------------------------------------------------------------ hostile pictures

def test_corrupt_image_file_is_an_error_and_the_rest_goes_on(tmp_path):
    (tmp_path / "broken.png").write_bytes(ADVERT[:300])
    (tmp_path / "fake.jpg").write_bytes(b"this is not a jpeg at all")
    (tmp_path / "notes.md").write_text("# 课程说明\n正文。\n", encoding="utf-8")
    package = load_package(tmp_path, ocr=NO_CACHE)
    for name in ("broken.png", "fake.jpg"):
        record = package.file(name)
        assert record.status == "error" and record.issues[0].rule == "image-corrupt", name
        assert "图片" in record.issues[0].message["zh"]
    assert package.file("notes.md").status == "ok"


def test_decompression_bomb_refused_before_decoding(stand_in):
    bomb = png_header_only(20_000, 20_000)
    record = read_file(bomb, "poster.png", ocr=NO_CACHE)
    assert record.status == "error" and record.issues[0].rule == "image-too-large"
    assert "400 megapixels" in record.error and "解压炸弹" in record.issues[0].message["zh"]
    assert stand_in.calls == 0
    # under Pillow's own cap but over ours: refused from the header, with its size
    record = read_file(png_header_only(8_000, 8_000), "poster.png", ocr=NO_CACHE)
    assert record.issues[0].rule == "image-too-large" and "8000×8000" in record.error
    assert stand_in.calls == 0


def _swap_media(pptx: bytes, name: str, data: bytes) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(pptx)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, data if item.filename == name else src.read(item))
    return out.getvalue()


def test_bomb_inside_a_slide_is_a_warning_and_the_slide_text_stays(stand_in):
    deck = _swap_media(pptx_with([ADVERT]), "ppt/media/image1.png", png_header_only(20_000, 20_000))
    record = read_file(deck, "deck.pptx", ocr=NO_CACHE)
    assert record.status == "ok"
    assert any("第一讲" in s.text for s in record.segments)
    [warning] = [i for i in record.issues if i.rule == "image-too-large"]
    assert warning.severity == "warning" and warning.locator.slide == 1
    assert "1 picture(s) not read" in warning.message["en"]
    assert stand_in.calls == 0


def test_page_limit_skips_the_rest_with_a_reason(stand_in):
    record = read_file(image_pdf([ADVERT, NOTICE, ENGLISH, QR, NO_TEXT]), "big-scan.pdf", ocr=OcrOptions(cache=None, max_pages=2))
    assert record.status == "ok"
    assert {s.locator.page for s in ocr_segments(record)} == {1, 2}
    assert stand_in.calls == 2
    [warning] = [i for i in record.issues if i.rule == "pdf-pages-without-text"]
    assert warning.message["en"].endswith(": 3, 4, 5") and "limit of 2" in warning.message["en"]


def test_ocr_progress_and_cancel_between_pictures(stand_in):
    gen = iter_read_file(image_pdf([ADVERT, NOTICE, ENGLISH, QR, NO_TEXT]), "scan.pdf", ocr=NO_CACHE)
    assert next(gen) == (1, 5)
    assert next(gen) == (2, 5)
    gen.close()  # what a cancelled scan does
    assert stand_in.calls == 2


def test_package_progress_reports_ocr_steps(tmp_path, stand_in):
    (tmp_path / "scan.pdf").write_bytes(image_pdf([ADVERT] * 3))
    from reviewer.ingest.package import iter_package

    gen = iter_package(tmp_path, ocr=NO_CACHE)
    events = []
    try:
        while True:
            events.append(next(gen))
    except StopIteration:
        pass
    steps = [(e.stage, e.part, e.parts) for e in events if e.stage == "ocr"]
    assert steps == [("ocr", 1, 3), ("ocr", 2, 3), ("ocr", 3, 3)]
    assert [e for e in events if e.stage == "ocr"][0].label == "scan.pdf · OCR 1/3"


# ------------------------------------------------------------------ cache, options, availability

def test_same_picture_read_once_and_disk_cache_reused(tmp_path, stand_in):
    options = OcrOptions(cache=str(tmp_path / "ocr"))
    record = read_file(pptx_with([ADVERT, ADVERT, ADVERT]), "deck.pptx", ocr=options)
    assert {s.locator.slide for s in ocr_segments(record)} == {1, 2, 3}
    assert stand_in.calls == 1  # one logo on every slide: read once
    ocr._MEMORY.clear()  # a new process
    read_file(ADVERT, "same.png", ocr=options)
    assert stand_in.calls == 1
    assert list((tmp_path / "ocr").rglob("*.json"))


def test_unusable_disk_cache_only_costs_time(tmp_path, stand_in):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    record = read_file(ADVERT, "a.png", ocr=OcrOptions(cache=str(blocker)))
    assert ocr_segments(record) and stand_in.calls == 1


def test_embedded_off_reads_only_pages_without_text_and_image_files(stand_in):
    options = OcrOptions(cache=None, embedded=False)
    assert ocr_segments(read_file(pptx_with([ADVERT]), "d.pptx", ocr=options)) == []
    assert ocr_segments(read_file(image_pdf([ADVERT]), "s.pdf", ocr=options))
    assert ocr_segments(read_file(ADVERT, "i.png", ocr=options))


def test_engine_not_installed_says_how_to_install(monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: (False, False))
    record = read_file(image_pdf([ADVERT], text_first="Lecture"), "deck.pdf", ocr=NO_CACHE)
    [warning] = [i for i in record.issues if i.rule == "pdf-pages-without-text"]
    assert "pip install rapidocr-onnxruntime" in warning.message["en"]
    assert "pip install rapidocr-onnxruntime" in warning.message["zh"]
    image = read_file(ADVERT, "a.png", ocr=NO_CACHE)
    assert [i.rule for i in image.issues] == ["ocr-unavailable"]


def test_engine_that_fails_to_load_is_a_reason_not_a_crash(monkeypatch):
    monkeypatch.setattr(ocr, "_ENGINE", None)
    monkeypatch.setattr(ocr, "_ENGINE_ERROR", "RuntimeError: onnxruntime cannot load")
    record = read_file(ADVERT, "a.png", ocr=OcrOptions(cache=None, qr=False))
    assert [i.rule for i in record.issues] == ["ocr-unavailable"]
    assert "onnxruntime cannot load" in record.issues[0].message["en"]


# ------------------------------------------------------------------ checks on picture text

def _scan(tmp_path, files: dict[str, bytes]):
    from reviewer.service.scan import scan
    from reviewer.store import open_db

    pkg = tmp_path / "pkg"
    for name, data in files.items():
        (pkg / name).parent.mkdir(parents=True, exist_ok=True)
        (pkg / name).write_bytes(data)
    db = open_db(tmp_path / "state.db")
    return db, pkg, scan(db, pkg)


def test_checks_find_adverts_and_ids_in_pictures_and_say_so(tmp_path):
    db, pkg, result = _scan(tmp_path, {"slides/lec1.pptx": pptx_with([ADVERT]), "poster.png": QR})
    by_rule = {(f.check, f.rule): f for f in result.findings}
    pii = next(f for f in result.findings if f.check == "pii" and "110105199903072413" in (f.match or ""))
    assert pii.severity == "error" and pii.locator.source == "ocr" and pii.locator.slide == 1
    advert = next(f for f in result.findings if f.check == "lexicon" and "代刷" in (f.match or ""))
    assert advert.locator.source == "ocr" and advert.locator.image.startswith("image")
    qr = next(f for f in result.findings if f.locator is not None and f.locator.source == "qr")
    assert qr.file == "poster.png" and "weixin.qq.com/g/" in qr.match
    assert by_rule  # the JSON report says where the text came from
    from reviewer.checks.report import report_dict

    report = report_dict(result.package, result.findings, result.coverage, version="test")
    located = [f["location"] for f in report["findings"] if f["location"].get("source") == "ocr"]
    assert located and all("box" in loc and "confidence" in loc for loc in located)


def test_low_confidence_text_lowers_severity_one_level(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "_ENGINE", CountingEngine(confidence=0.55))
    db, pkg, result = _scan(tmp_path, {"scan.png": ADVERT})
    [pii] = [f for f in result.findings if f.check == "pii"]
    assert pii.severity == "warning"
    assert pii.extra["severity_before"] == "error" and pii.extra["ocr_confidence"] == 0.55


def test_picture_text_survives_the_store_on_rescan(tmp_path, stand_in):
    db, pkg, first = _scan(tmp_path, {"scan.png": ADVERT})
    from reviewer.service.scan import scan

    again = scan(db, pkg, options={"ocr_min_confidence": 0.7})  # new options: the checks run again
    assert stand_in.calls == 1  # the unchanged file came from the store, not from OCR
    [seg] = [s for s in again.package.file("scan.png").segments]
    assert seg.locator.source == "ocr" and seg.locator.confidence == 0.99 and seg.locator.box is not None
    assert [f.id for f in again.findings] == [f.id for f in first.findings]
