"""Fixture builders for ingest tests: real PDF/PPTX/DOCX files made in tmp_path.

Files are generated with the same libraries a course author's tools would
produce them with (fpdf2, python-pptx, python-docx); nothing is downloaded.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def _pdf(pages: list[str | None], *, cjk: bool = False, password: str | None = None,
         title: str | None = None) -> bytes:
    """A PDF with one page per item; ``None`` draws a shape only (no text layer)."""
    from fpdf import FPDF

    pdf = FPDF()
    if cjk:
        if not CJK_FONT.exists():
            pytest.skip(f"CJK font {CJK_FONT} not installed: cannot make a Chinese PDF")
        pdf.add_font("cjk", "", str(CJK_FONT))
        pdf.set_font("cjk", size=14)
    else:
        pdf.set_font("helvetica", size=14)
    if title:
        pdf.set_title(title)
        pdf.set_author("Test Author")
    for text in pages:
        pdf.add_page()
        if text is None:
            pdf.rect(20, 20, 100, 60, style="F")
        else:
            for line in text.split("\n"):
                pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    if password:
        pdf.set_encryption(owner_password="owner-" + password, user_password=password)
    return bytes(pdf.output())


@pytest.fixture
def make_pdf() -> Callable[..., bytes]:
    return _pdf


def _pptx(slides: list[dict]) -> bytes:
    """Slides from dicts: ``title``, ``body`` (list of lines), ``table`` (rows),
    ``group`` (texts inside a group shape), ``notes``."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.core_properties.title = "Deck"
    prs.core_properties.author = "Lecturer"
    for spec in slides:
        slide = prs.slides.add_slide(prs.slide_layouts[5])  # title only
        if spec.get("title"):
            slide.shapes.title.text = spec["title"]
        if spec.get("body"):
            box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(6), Inches(2))
            box.text_frame.text = spec["body"][0]
            for line in spec["body"][1:]:
                box.text_frame.add_paragraph().text = line
        if spec.get("table"):
            rows = spec["table"]
            shape = slide.shapes.add_table(len(rows), len(rows[0]), Inches(1), Inches(4), Inches(6), Inches(1))
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    shape.table.cell(r, c).text = value
        if spec.get("group"):
            group = slide.shapes.add_group_shape()
            for i, text in enumerate(spec["group"]):
                box = group.shapes.add_textbox(Inches(1 + i), Inches(5), Inches(1), Inches(1))
                box.text_frame.text = text
        if spec.get("notes"):
            slide.notes_slide.notes_text_frame.text = spec["notes"]
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


@pytest.fixture
def make_pptx() -> Callable[..., bytes]:
    return _pptx


@pytest.fixture
def make_docx() -> Callable[..., bytes]:
    def build(fill: Callable) -> bytes:
        import docx

        doc = docx.Document()
        doc.core_properties.title = "教学大纲"
        doc.core_properties.author = "责任教师"
        fill(doc)
        buf = io.BytesIO()
        doc.save(buf)
        return buf.getvalue()

    return build


@pytest.fixture
def make_zip(tmp_path) -> Callable[..., Path]:
    """``make_zip({name: bytes | ZipInfo-tuple}, name=...)`` writes a zip and returns its path."""

    def build(members: dict[str, bytes], name: str = "pkg.zip",
              infos: list[tuple[zipfile.ZipInfo, bytes]] | None = None,
              compression: int = zipfile.ZIP_DEFLATED) -> Path:
        path = tmp_path / name
        with zipfile.ZipFile(path, "w", compression=compression) as zf:
            for member, data in members.items():
                zf.writestr(member, data)
            for info, data in infos or []:
                zf.writestr(info, data)
        return path

    return build
