"""Word 97, PowerPoint 97 and Excel 97 files for the legacy-format tests: ``tests/data/legacy/``.

Made from a .docx and a .pptx written here, converted by LibreOffice
(``soffice --headless --convert-to doc|ppt``); the results are committed, so
the tests that only need the bytes (LibreOffice missing, a file it can't open)
run without it.  Run again only to change them::

    python tools/make_legacy_fixtures.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "legacy"

PARAGRAPHS = [
    ("h1", "第一章 课程说明"),
    ("p", "本课程讲授数据结构的基本概念与算法分析方法。"),
    ("p", "期末代考、代写作业请加微信 daikao_88，价格优惠，保证通过。"),
    ("h1", "第二章 线性表"),
    ("p", "顺序表与链表的插入、删除操作及其时间复杂度。"),
]
SLIDES = [
    ("第三讲 栈和队列", ["栈：后进先出", "队列：先进先出"], "本讲介绍栈和队列。"),
    ("3.2 应用", ["表达式求值", "学生 张三 身份证 110105199903072413"], "括号匹配也用栈。"),
]

ROWS = [["周次", "内容", "联系人"], [1, "绪论", "助教 电话 13826457193"], [2, "线性表", ""]]


def build(out: Path = OUT) -> list[Path]:
    import docx
    from pptx import Presentation

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        document = docx.Document()
        for kind, text in PARAGRAPHS:
            if kind == "h1":
                document.add_heading(text, level=1)
            else:
                document.add_paragraph(text)
        document.save(folder / "讲义.docx")
        prs = Presentation()
        for title, bullets, notes in SLIDES:
            slide = prs.slides.add_slide(prs.slide_layouts[1])
            slide.shapes.title.text = title
            body = slide.placeholders[1].text_frame
            body.text = bullets[0]
            for line in bullets[1:]:
                body.add_paragraph().text = line
            slide.notes_slide.notes_text_frame.text = notes
        prs.save(folder / "第03讲.pptx")
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "教学进度"
        for row in ROWS:
            sheet.append(row)
        book.save(folder / "教学进度表.xlsx")
        for source, target in (("讲义.docx", "doc"), ("第03讲.pptx", "ppt"), ("教学进度表.xlsx", "xls")):
            subprocess.run(["soffice", "--headless", "--convert-to", target, "--outdir", str(out),
                            str(folder / source)], check=True, capture_output=True, timeout=180)
    (out / "broken.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048)
    return sorted(out.iterdir())


def main() -> int:
    for path in build():
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
