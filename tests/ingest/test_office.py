"""PPTX and DOCX: slides, notes, tables, groups; paragraphs with heading paths; text boxes once."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from reviewer.ingest.package import read_file

# --------------------------------------------------------------------- PPTX


def test_pptx_slides_tables_groups_and_notes(make_pptx):
    data = make_pptx([
        {"title": "开源软件开发", "body": ["周明辉", "北京大学"], "notes": "开场白：介绍课程目标"},
        {"title": "考核", "table": [["项目", "比例"], ["实验", "40%"]]},
        {"group": ["组内文字一", "组内文字二"]},
        {},  # an empty slide: counted, no segment
    ])
    record = read_file(data, "slides/intro.pptx")
    assert record.status == "ok" and record.format == "pptx" and record.role == "slides"
    assert record.units == 4
    locs = [s.locator.to_dict() for s in record.segments]
    assert locs == [{"slide": 1}, {"slide": 1, "notes": True}, {"slide": 2}, {"slide": 3}]
    texts = [s.text for s in record.segments]
    assert texts[0] == "开源软件开发\n周明辉\n北京大学"
    assert texts[1] == "开场白：介绍课程目标"
    assert texts[2] == "考核\n项目\n比例\n实验\n40%"
    assert texts[3] == "组内文字一\n组内文字二"
    assert [s.ordinal for s in record.segments] == [0, 1, 2, 3]
    assert record.meta["title"] == "Deck" and record.meta["author"] == "Lecturer"
    assert "created" in record.meta and "modified" in record.meta


def test_corrupt_pptx_is_an_error():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "not a presentation")
    record = read_file(buf.getvalue(), "x.pptx")
    assert record.status == "error"
    assert record.error.startswith("corrupt .pptx file: ")
    assert record.issues[0].rule == "office-corrupt"


def test_pptx_that_is_not_a_zip():
    record = read_file(b"just some text", "x.pptx")
    assert record.status == "error"
    assert record.error == "not a valid .pptx file (not a zip archive)"


# --------------------------------------------------------------------- DOCX

_TEXTBOX = """
<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
     xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
     xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
     xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
     xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
     xmlns:v="urn:schemas-microsoft-com:vml">
  <mc:AlternateContent>
    <mc:Choice Requires="wps">
      <w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>
        <w:p><w:r><w:t>Starting: August 2</w:t></w:r><w:r><w:t>3rd</w:t></w:r></w:p>
        <w:p><w:r><w:t>Instructor: Dr. Wang</w:t></w:r></w:p>
      </w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>
    </mc:Choice>
    <mc:Fallback>
      <w:pict><v:shape><v:textbox><w:txbxContent>
        <w:p><w:r><w:t>Starting: August 23rd</w:t></w:r></w:p>
        <w:p><w:r><w:t>Instructor: Dr. Wang</w:t></w:r></w:p>
      </w:txbxContent></v:textbox></v:shape></w:pict>
    </mc:Fallback>
  </mc:AlternateContent>
</w:r>
"""


def _fill(doc):
    doc.add_paragraph("课程简介")
    doc.add_heading("第一章 开源概论", level=1)
    doc.add_paragraph("开源软件的定义。")
    doc.add_paragraph("")  # empty: not a segment, not counted
    doc.add_heading("1.1 历史", level=2)
    doc.add_paragraph("自由软件运动。")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "周次"
    table.cell(0, 1).text = "内容"
    table.cell(1, 0).text = "1"
    table.cell(1, 1).text = "Git 入门"
    doc.add_heading("第二章 许可证", level=1)
    p = doc.add_paragraph("flyer:")
    p._p.append(etree.fromstring(_TEXTBOX))


def test_docx_paragraphs_headings_tables_and_text_boxes(make_docx):
    record = read_file(make_docx(_fill), "syllabus/教学大纲.docx")
    assert record.status == "ok" and record.format == "docx" and record.role == "syllabus"
    got = [(s.locator.paragraph, s.locator.heading, s.text) for s in record.segments]
    assert got == [
        (1, None, "课程简介"),
        (2, None, "第一章 开源概论"),
        (3, "第一章 开源概论", "开源软件的定义。"),
        (4, "第一章 开源概论", "1.1 历史"),
        (5, "第一章 开源概论 > 1.1 历史", "自由软件运动。"),
        (6, "第一章 开源概论 > 1.1 历史", "周次"),
        (7, "第一章 开源概论 > 1.1 历史", "内容"),
        (8, "第一章 开源概论 > 1.1 历史", "1"),
        (9, "第一章 开源概论 > 1.1 历史", "Git 入门"),
        (10, "第一章 开源概论 > 1.1 历史", "第二章 许可证"),
        (11, "第二章 许可证", "flyer:"),
        # text box read once (the VML fallback copy is skipped); runs joined
        (12, "第二章 许可证", "Starting: August 23rd"),
        (13, "第二章 许可证", "Instructor: Dr. Wang"),
    ]
    assert record.units == 13
    assert record.segments[2].locator.to_dict() == {"paragraph": 3, "heading": "第一章 开源概论"}
    assert record.meta["title"] == "教学大纲" and record.meta["author"] == "责任教师"


def _read_with_outline_level(make_docx, text: str, level: str):
    """Read a .docx whose paragraph ``text`` carries ``w:outlineLvl=level``, then "正文"."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    def fill(doc):
        p = doc.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="{level}"/>'))
        doc.add_paragraph("正文")

    return read_file(make_docx(fill), "notes/a.docx")


def test_docx_outline_level_makes_a_heading(make_docx):
    record = _read_with_outline_level(make_docx, "第三章 自定义标题", "0")
    assert record.segments[1].locator.heading == "第三章 自定义标题"


def test_docx_malformed_outline_level_is_body_text_not_an_unreadable_file(make_docx):
    record = _read_with_outline_level(make_docx, "第三章 格式错误的大纲级别", "one")
    assert record.status == "ok", record.error
    assert [s.text for s in record.segments] == ["第三章 格式错误的大纲级别", "正文"]
    assert record.segments[1].locator.heading is None


def test_office_lock_file():
    data = b"\x0bJames Hudson" + b"\x00" * 150
    record = read_file(data, "hardcases/~$yer_mls.docx")
    assert record.status == "error"
    assert record.error == "Office lock file, not a document"
    assert record.issues[0].rule == "office-lock-file"


def test_corrupt_docx():
    record = read_file(b"PK\x03\x04garbage-garbage", "x.docx")
    assert record.status == "error"
    assert record.error.startswith("corrupt .docx file: ")


def test_unreadable_legacy_formats_are_refused_with_advice():
    for name in ("old.pages", "old.key", "old.numbers"):
        record = read_file(b"\xd0\xcf\x11\xe0 legacy", name)
        assert record.status == "error"
        assert record.error.startswith("unsupported legacy format")
        assert "convert to .docx/.pptx/.pdf" in record.error
        assert record.issues[0].rule == "unsupported-format"


def test_password_protected_office_file():
    record = read_file(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "secret.docx")
    assert record.status == "error"
    assert record.error.startswith("password-protected Office file or legacy binary format")


def test_docx_headers_and_footers_after_the_body(make_docx):
    def fill(doc):
        doc.add_paragraph("正文第一段")
        section = doc.sections[0]
        section.header.paragraphs[0].text = "北京大学 开源软件开发"
        section.footer.paragraphs[0].text = "联系电话 010-12345678"
        doc.add_section()  # its header is linked to the first: read once

    record = read_file(make_docx(fill), "a.docx")
    got = [(s.locator.paragraph, s.locator.heading, s.text) for s in record.segments]
    assert got == [(1, None, "正文第一段"), (2, "页眉", "北京大学 开源软件开发"),
                   (3, "页脚", "联系电话 010-12345678")]


def test_docx_footnotes_read():
    """Footnotes live in their own part; the separator notes are skipped."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    doc = docx.Document()
    doc.add_paragraph("见脚注")
    xml = ('<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           '<w:footnote w:id="1"><w:p><w:r><w:t>引自教育部文件</w:t></w:r></w:p></w:footnote>'
           '</w:footnotes>').encode()
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                xml, doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)
    buf = io.BytesIO()
    doc.save(buf)
    record = read_file(buf.getvalue(), "n.docx")
    assert [(s.locator.heading, s.text) for s in record.segments] == [(None, "见脚注"), ("脚注", "引自教育部文件")]


def test_pptx_smartart_text(make_pptx):
    """SmartArt keeps its text in a diagram-data part that python-pptx does not read."""
    from pptx import Presentation
    from pptx.opc.constants import CONTENT_TYPE as CT
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.opc.packuri import PackURI
    from pptx.opc.package import Part

    prs = Presentation(io.BytesIO(make_pptx([{"title": "课程结构"}])))
    slide = prs.slides[0]
    data = ('<dgm:dataModel xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" '
            'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><dgm:ptLst>'
            '<dgm:pt modelId="1"><dgm:t><a:p><a:r><a:t>第一模块：</a:t></a:r><a:r><a:t>线性表</a:t></a:r></a:p></dgm:t></dgm:pt>'
            '<dgm:pt modelId="2"><dgm:t><a:p><a:r><a:t>第二模块：树</a:t></a:r></a:p></dgm:t></dgm:pt>'
            '</dgm:ptLst></dgm:dataModel>').encode()
    part = Part(PackURI("/ppt/diagrams/data1.xml"), CT.DML_DIAGRAM_DATA, slide.part.package, data)
    rid = slide.part.relate_to(part, RT.DIAGRAM_DATA)
    frame = etree.fromstring(
        '<p:graphicFrame xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram">'
        '<p:nvGraphicFramePr><p:cNvPr id="99" name="Diagram 1"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr>'
        '<p:xfrm><a:off x="0" y="0"/><a:ext cx="100" cy="100"/></p:xfrm>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/diagram">'
        f'<dgm:relIds r:dm="{rid}" r:lo="" r:qs="" r:cs=""/></a:graphicData></a:graphic></p:graphicFrame>')
    slide.shapes._spTree.append(frame)
    buf = io.BytesIO()
    prs.save(buf)
    record = read_file(buf.getvalue(), "s.pptx")
    assert record.status == "ok", record.error
    assert record.segments[0].text == "课程结构\n第一模块：线性表\n第二模块：树"


def test_office_file_expanding_past_the_limit_is_refused_before_parsing(make_docx, monkeypatch):
    # A few MB of deflated XML can declare gigabytes, which python-docx would
    # hold in memory; the declared sizes are checked first.
    from reviewer.ingest.formats import office

    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(make_docx(lambda doc: doc.add_paragraph("正文")))) as src, \
            zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + b" " * (3 * 2**20))
            dst.writestr(info.filename, data)
    bomb = buf.getvalue()
    assert len(bomb) < 2**20
    assert read_file(bomb, "a.docx").status == "ok"  # under the real limit: read
    monkeypatch.setattr(office, "MAX_EXPANDED_BYTES", 2 * 2**20)
    record = read_file(bomb, "a.docx")
    assert record.status == "error" and record.issues[0].rule == "zip-bomb"
    assert "expands to" in record.error
