#!/usr/bin/env python3
"""Generate the sample course packages in ``sample_courses/`` (room: tools, not the product).

Three realistic packages written for this project, each with a manifest, a
syllabus, transcripts, slides (PDF and PPTX) and notes, seeded with problems the
content checks must find and with decoys they must leave alone:

* ``zh-data-structures``   数据结构 (Chinese; syllabus .docx, SRT transcripts)
* ``en-intro-ml``          Introduction to Machine Learning (English; syllabus .md, VTT + SRT)
* ``bi-computer-networks`` 计算机网络 (bilingual; syllabus .pdf, zh+en SRT cues)

The seeded problems and decoys are written to ``sample_courses/expected/<pkg>.yaml``
(outside the packages, because a package's digest covers every file in it).
Their locations (cue, page, slide, line, paragraph) are computed here from the
generated files, so the expectations cannot drift from the content.

Output is deterministic: fixed metadata dates in PDF/PPTX/DOCX, and the Office
zip containers are rewritten with fixed entry timestamps.  Run::

    .venv/bin/python tools/make_samples.py            # writes sample_courses/
    .venv/bin/python tools/make_samples.py --out DIR  # writes elsewhere (tests compare bytes)
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import shutil
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import yaml

ROOT = Path(__file__).resolve().parent.parent
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
LATIN_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
ZIP_EPOCH = (2025, 8, 20, 9, 0, 0)

Cue = str | tuple[str, str]  # a Chinese/English line, or a (zh, en) bilingual pair


# ---------------------------------------------------------------------------
# identity numbers (for seeded personal data and decoys)
# ---------------------------------------------------------------------------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    """GB 11643 check character for the first 17 digits of a resident ID number."""
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def valid_id(first17: str) -> str:
    return first17 + id_check_digit(first17)


def invalid_id(first17: str) -> str:
    """18 digits whose last digit is NOT the GB 11643 check character (an order number)."""
    good = id_check_digit(first17)
    for d in "0123456789":
        if d != good:
            return first17 + d
    raise AssertionError("unreachable")


def isbn13(first12: str) -> str:
    """A valid ISBN-13 (hyphen-free) from its first 12 digits."""
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(first12))
    return first12 + str((10 - total % 10) % 10)


def hyphenate_isbn(isbn: str, parts: Sequence[int]) -> str:
    out, i = [], 0
    for n in parts:
        out.append(isbn[i:i + n])
        i += n
    return "-".join(out)


# ---------------------------------------------------------------------------
# subtitles
# ---------------------------------------------------------------------------

def _cue_text(cue: Cue) -> str:
    return "\n".join(cue) if isinstance(cue, tuple) else cue


def cue_timings(cues: Sequence[Cue], start_ms: int = 4_000) -> list[tuple[int, int]]:
    """Realistic timing: ~4.2 Chinese characters or ~15 Latin characters per second."""
    out, t = [], start_ms
    for i, cue in enumerate(cues):
        text = cue[0] if isinstance(cue, tuple) else cue
        cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
        other = len(text) - cjk
        dur = int(cjk * 240 + other * 65)
        dur = max(1_600, min(dur, 7_500))
        dur = dur // 10 * 10
        out.append((t, t + dur))
        t += dur + 200 + (i * 37) % 400  # a short, varying pause between cues
    return out


def _stamp(ms: int, sep: str) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{milli:03d}"


def render_srt(cues: Sequence[Cue]) -> str:
    blocks = []
    for n, (cue, (a, b)) in enumerate(zip(cues, cue_timings(cues)), start=1):
        blocks.append(f"{n}\n{_stamp(a, ',')} --> {_stamp(b, ',')}\n{_cue_text(cue)}\n")
    return "\n".join(blocks)


def render_vtt(cues: Sequence[Cue], title: str) -> str:
    blocks = [f"WEBVTT - {title}\n", "NOTE Generated for the reviewer sample courses.\n"]
    for n, (cue, (a, b)) in enumerate(zip(cues, cue_timings(cues)), start=1):
        blocks.append(f"{n}\n{_stamp(a, '.')} --> {_stamp(b, '.')}\n{_cue_text(cue)}\n")
    return "\n".join(blocks)


# ---------------------------------------------------------------------------
# PDF (fpdf2)
# ---------------------------------------------------------------------------

@dataclass
class Page:
    """One slide page: a heading and bullet lines."""

    heading: str
    bullets: list[str] = field(default_factory=list)


def _new_pdf(orientation: str, fmt: Any, title: str, author: str, created: dt.datetime,
             font: Path):
    from fpdf import FPDF

    pdf = FPDF(orientation=orientation, unit="mm", format=fmt)
    pdf.set_creation_date(created)
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_creator("tools/make_samples.py")
    pdf.set_producer("fpdf2")
    pdf.add_font("body", "", str(font))
    pdf.set_auto_page_break(True, margin=12)
    return pdf


def write_slides_pdf(path: Path, pages: Sequence[Page], *, title: str, author: str,
                     created: dt.datetime, font: Path = CJK_FONT) -> None:
    """A 16:9 slide deck as PDF with a real text layer (one slide per page)."""
    pdf = _new_pdf("L", (190.5, 338.7), title, author, created, font)
    for page in pages:
        pdf.add_page()
        pdf.set_font("body", size=26)
        pdf.set_xy(18, 16)
        pdf.multi_cell(300, 13, page.heading)
        pdf.set_font("body", size=17)
        pdf.set_y(pdf.get_y() + 6)
        for line in page.bullets:
            pdf.set_x(24)
            text = line[2:] if line.startswith("  ") else "• " + line
            if line.startswith("  "):
                pdf.set_x(36)
                text = "– " + text
            pdf.multi_cell(290, 10, text)
            pdf.set_y(pdf.get_y() + 1.5)
    path.write_bytes(bytes(pdf.output()))


def write_document_pdf(path: Path, blocks: Sequence[tuple[str, str]], *, title: str,
                       author: str, created: dt.datetime, font: Path = CJK_FONT) -> None:
    """An A4 document: blocks of ("h1" | "h2" | "p", text)."""
    pdf = _new_pdf("P", "A4", title, author, created, font)
    pdf.add_page()
    pdf.set_margins(22, 20, 22)
    sizes = {"h1": (18, 11, 5), "h2": (13.5, 8, 3), "p": (10.5, 6.2, 1.5)}
    for kind, text in blocks:
        size, height, after = sizes[kind]
        if kind == "h2":
            pdf.set_y(pdf.get_y() + 3)
        pdf.set_font("body", size=size)
        pdf.set_x(22)
        pdf.multi_cell(0, height, text, align="C" if kind == "h1" else "L")
        pdf.set_y(pdf.get_y() + after)
    path.write_bytes(bytes(pdf.output()))


# ---------------------------------------------------------------------------
# Office files (python-pptx, python-docx) with stable bytes
# ---------------------------------------------------------------------------

def normalize_zip(path: Path) -> None:
    """Rewrite an OOXML container with fixed entry timestamps and attributes."""
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            dst.writestr(info, data)
    path.write_bytes(buf.getvalue())


def _core(props, *, title: str, author: str, created: dt.datetime, modified: dt.datetime) -> None:
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.created = created.replace(tzinfo=None)
    props.modified = modified.replace(tzinfo=None)
    props.revision = 3
    props.comments = ""


@dataclass
class Slide:
    """One PPTX slide: title, bullet lines (two leading spaces = level 2), speaker notes."""

    title: str
    bullets: list[str] = field(default_factory=list)
    notes: str = ""


def write_pptx(path: Path, slides: Sequence[Slide], *, title: str, author: str,
               created: dt.datetime, modified: dt.datetime) -> None:
    from pptx import Presentation
    from pptx.util import Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = 12_192_000, 6_858_000  # 16:9
    for i, spec in enumerate(slides):
        layout = prs.slide_layouts[0 if i == 0 else 1]
        slide = prs.slides.add_slide(layout)
        slide.shapes.title.text = spec.title
        body = slide.placeholders[1]
        tf = body.text_frame
        for j, line in enumerate(spec.bullets):
            para = tf.paragraphs[0] if j == 0 else tf.add_paragraph()
            level = 1 if line.startswith("  ") else 0
            para.text = line.strip()
            para.level = level
            if i > 0:
                for run in para.runs:
                    run.font.size = Pt(20 if level == 0 else 17)
        if spec.notes:
            slide.notes_slide.notes_text_frame.text = spec.notes
    _core(prs.core_properties, title=title, author=author, created=created, modified=modified)
    prs.save(str(path))
    normalize_zip(path)


def write_docx(path: Path, blocks: Sequence[tuple[str, str]], *, title: str, author: str,
               created: dt.datetime, modified: dt.datetime) -> None:
    """Blocks of ("title" | "h1" | "h2" | "p" | "li", text); no tables (paragraph numbers stay simple)."""
    import docx

    document = docx.Document()
    for kind, text in blocks:
        if kind == "title":
            document.add_heading(text, level=0)
        elif kind == "h1":
            document.add_heading(text, level=1)
        elif kind == "h2":
            document.add_heading(text, level=2)
        elif kind == "li":
            document.add_paragraph(text, style="List Bullet")
        else:
            document.add_paragraph(text)
    _core(document.core_properties, title=title, author=author, created=created, modified=modified)
    document.save(str(path))
    normalize_zip(path)


def render_picture(lines: Sequence[str], *, font: Path = CJK_FONT, px: int = 28,
                   size: tuple[int, int] = (900, 200), qr: str | None = None) -> bytes:
    """A PNG with text and no text layer (a screenshot, a photographed notice), optionally
    a QR code at its right: what OCR and the QR decoder must read."""
    from PIL import Image, ImageDraw, ImageFont

    im = Image.new("L", size, 255)
    draw = ImageDraw.Draw(im)
    face = ImageFont.truetype(str(font), px)
    for i, line in enumerate(lines):
        draw.text((30, 30 + i * 2 * px), line, fill=0, font=face)
    if qr is not None:
        import numpy as np
        import zxingcpp

        code = zxingcpp.create_barcode(qr, zxingcpp.BarcodeFormat.QRCode)
        picture = Image.fromarray(np.asarray(zxingcpp.write_barcode_to_image(code, scale=4))).convert("L")
        im.paste(picture, (size[0] - picture.width - 30, (size[1] - picture.height) // 2))
    buf = io.BytesIO()
    im.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def write_picture_pptx(path: Path, slides: Sequence[tuple[str, bytes]], *, title: str, author: str,
                       created: dt.datetime, modified: dt.datetime) -> None:
    """Slides whose content is a pasted picture under a title (the text is only in the picture)."""
    from pptx import Presentation
    from pptx.util import Emu

    prs = Presentation()
    prs.slide_width, prs.slide_height = 12_192_000, 6_858_000
    for heading, picture in slides:
        slide = prs.slides.add_slide(prs.slide_layouts[5])  # title only
        slide.shapes.title.text = heading
        slide.shapes.add_picture(io.BytesIO(picture), Emu(1_200_000), Emu(2_000_000), width=Emu(9_600_000))
    _core(prs.core_properties, title=title, author=author, created=created, modified=modified)
    prs.save(str(path))
    normalize_zip(path)


def video_header(duration_ms: int) -> bytes:
    """An MP4 container holding only its movie header (``ftyp`` + ``moov/mvhd``): what a
    duration reader sees of a lecture video, in 150 bytes instead of megabytes of frames."""
    import struct

    def box(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", 8 + len(body)) + kind + body

    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    mvhd = box(b"mvhd", b"\0\0\0\0" + struct.pack(">IIII", 0, 0, 1000, duration_ms)
               + struct.pack(">IH", 0x10000, 0x100) + b"\0" * 10 + matrix + b"\0" * 24 + struct.pack(">I", 2))
    return box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2mp41") + box(b"moov", mvhd) + box(b"mdat", b"")


def write_scanned_pdf(path: Path, pictures: Sequence[bytes], *, title: str, author: str,
                      created: dt.datetime) -> None:
    """A PDF of scanned pages: one picture per page and no text layer."""
    pdf = _new_pdf("P", "A4", title, author, created, LATIN_FONT)
    for picture in pictures:
        pdf.add_page()
        pdf.image(io.BytesIO(picture), x=15, y=20, w=180)
    path.write_bytes(bytes(pdf.output()))


# ---------------------------------------------------------------------------
# locating seeded text in the generated files (independently of reviewer.ingest)
# ---------------------------------------------------------------------------

def units_of(path: Path) -> list[tuple[dict[str, Any], str]]:
    """(location, text) for each unit of a generated file, in the report's locator form."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(path))
        try:
            out = []
            for i in range(len(doc)):
                page = doc[i]
                tp = page.get_textpage()
                out.append(({"page": i + 1}, tp.get_text_range()))
                tp.close()
                page.close()
            return out
        finally:
            doc.close()
    if suffix == ".pptx":
        from pptx import Presentation

        out = []
        for i, slide in enumerate(Presentation(str(path)).slides, start=1):
            texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
            out.append(({"slide": i}, "\n".join(texts)))
            if slide.has_notes_slide:
                out.append(({"slide": i, "notes": True},
                            slide.notes_slide.notes_text_frame.text))
        return out
    if suffix == ".docx":
        import docx

        paras = [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]
        return [({"paragraph": i}, t) for i, t in enumerate(paras, start=1)]
    if suffix == ".png":
        return []  # a picture has no text layer (OCR reads it: tests/samples check that)
    if suffix in (".srt", ".vtt"):
        return [({"cue": i}, t) for i, t in enumerate(parse_cues(path.read_text("utf-8")), 1)]
    lines = path.read_text("utf-8").splitlines()
    return [({"line": i}, t) for i, t in enumerate(lines, start=1) if t.strip()]


def parse_cues(text: str) -> list[str]:
    """Cue texts of a well-formed SRT/VTT file (the ones this script writes)."""
    cues = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [ln for ln in block.split("\n") if ln.strip()]
        for k, ln in enumerate(lines):
            if "-->" in ln:
                cues.append("\n".join(lines[k + 1:]))
                break
    return cues


def locate(pkg: Path, rel: str, needle: str) -> dict[str, Any]:
    """The single unit of ``pkg/rel`` whose text contains ``needle`` (must be unique)."""
    hits = [loc for loc, text in units_of(pkg / rel) if needle in text]
    if len(hits) != 1:
        raise SystemExit(f"{pkg.name}/{rel}: {needle!r} found in {len(hits)} units, need exactly 1")
    return hits[0]


# ---------------------------------------------------------------------------
# packages
# ---------------------------------------------------------------------------

@dataclass
class Seed:
    """A problem the checks must find."""

    check: str
    file: str
    match: str
    why: str
    category: str | None = None
    rule: str | None = None
    anywhere: bool = False  # no location (e.g. a topic taken from course.yaml, file metadata)
    location: dict[str, Any] | None = None  # given, for text in a picture (locate() reads text layers)


@dataclass
class Decoy:
    """Innocent text that looks like a problem: no finding may cover it."""

    file: str
    text: str
    why: str
    checks: list[str] = field(default_factory=lambda: ["lexicon", "pii", "outdated"])
    tolerate: list[str] = field(default_factory=list)  # severities that don't count (e.g. an info note)


@dataclass
class Course:
    name: str
    manifest: dict[str, Any]
    writers: list[Any]  # callables (pkg_dir) -> None
    seeds: list[Seed]
    decoys: list[Decoy]


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def build_course(course: Course, out: Path) -> None:
    pkg = out / course.name
    if pkg.exists():
        shutil.rmtree(pkg)
    pkg.mkdir(parents=True)
    for f in course.manifest["files"]:
        (pkg / f["path"]).parent.mkdir(parents=True, exist_ok=True)
    for writer in course.writers:
        writer(pkg)
    write_text(pkg / "course.yaml", "# 课程包清单 / course package manifest\n"
               + yaml.safe_dump(course.manifest, allow_unicode=True, sort_keys=False, width=100))
    listed = {f["path"] for f in course.manifest["files"]}
    on_disk = {p.relative_to(pkg).as_posix() for p in pkg.rglob("*") if p.is_file()}
    if on_disk - {"course.yaml"} != listed:
        raise SystemExit(f"{course.name}: manifest files {sorted(listed)} != disk {sorted(on_disk)}")
    write_expectations(course, pkg, out / "expected" / f"{course.name}.yaml")


def write_expectations(course: Course, pkg: Path, target: Path) -> None:
    findings = []
    for s in course.seeds:
        entry: dict[str, Any] = {"check": s.check}
        if s.category:
            entry["category"] = s.category
        if s.rule:
            entry["rule"] = s.rule
        entry["file"] = s.file
        if s.location is not None:
            entry["location"] = s.location
        elif not s.anywhere:
            entry["location"] = locate(pkg, s.file, s.match)
        entry["match"] = s.match
        entry["why"] = s.why
        findings.append(entry)
    decoys = []
    for d in course.decoys:
        entry = {"file": d.file, "location": locate(pkg, d.file, d.text), "text": d.text,
                 "checks": d.checks}
        if d.tolerate:
            entry["tolerate_severity"] = d.tolerate
        entry["why"] = d.why
        decoys.append(entry)
    doc = {"package": course.name, "findings": findings, "decoys": decoys}
    header = ("# Seeded problems the checks must find, and decoys they must not flag.\n"
              "# Generated by tools/make_samples.py from the content it writes: do not edit by hand.\n")
    write_text(target, header + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100))


def main(argv: Iterable[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "sample_courses",
                    help="where to write the packages (default: sample_courses/)")
    args = ap.parse_args(list(argv) if argv is not None else None)
    for font in (CJK_FONT, LATIN_FONT):
        if not font.exists():
            print(f"missing font {font}: install fonts-wqy-microhei / fonts-dejavu-core", file=sys.stderr)
            return 2
    args.out.mkdir(parents=True, exist_ok=True)
    for course in courses():
        build_course(course, args.out)
        print(f"wrote {args.out / course.name}", file=sys.stderr)
    return 0


# ===========================================================================
# Course 1: 数据结构 (Chinese)
# ===========================================================================

DS = "zh-data-structures"
DS_T1 = "transcripts/第01讲-绪论与算法分析.srt"
DS_T2 = "transcripts/第02讲-线性表.srt"
DS_T3 = "transcripts/第03讲-栈和队列.srt"
DS_T4 = "transcripts/第04讲-树和二叉树.srt"
DS_SYL = "syllabus/数据结构教学大纲.docx"
DS_PDF = "slides/第05-06讲-图与查找.pdf"
DS_PPTX = "slides/第07讲-排序.pptx"
DS_NOTES = "notes/课程笔记.md"
DS_PLEDGE = "诚信承诺书.md"
DS_REVIEW = "slides/第08讲-期末复习.pptx"  # its second slide is a pasted chat screenshot (text only in the picture)
DS_SHOT_AD = "期末冲刺：代刷网课 包过 加微信 wk8899"
DS_SHOT_ID = valid_id("32010219980512301")  # 南京玄武, born 1998-05-12: a fake person

DS_AD = "需要代刷网课的同学加微信 shuake_2025，代看视频代做作业，期末稳过"
DS_ADV = "全网最低价"
DS_STUDENT_ID = valid_id("11010519990307241")  # 北京朝阳, born 1999-03-07: a fake person
DS_PHONE = "13826457193"
DS_ORDER = invalid_id("31011520170321887")  # an order number that fails the check digit
DS_ISBN = hyphenate_isbn(isbn13("978730214751"), (3, 1, 3, 5, 1))
DS_EMAIL = "zhaolin_ta@jdlg-edu.cn"
DS_QQ = "2837465091"

DS_CUES_1: list[Cue] = [
    "同学们好，欢迎来到数据结构这门课。",
    "今天是第一讲，我们先说清楚这门课要解决什么问题。",
    "程序等于数据结构加上算法，这是沃思提出的一句名言。",
    "数据的基本单位是数据元素，一个数据元素可以由若干个数据项组成。",
    "数据结构研究的是数据元素之间的关系，以及在这些关系上定义的操作。",
    "我们把数据元素之间的关系分成逻辑结构和存储结构两个层面。",
    "逻辑结构有四类：集合、线性结构、树形结构和图状结构。",
    "存储结构主要有顺序存储和链式存储，另外还有索引存储和散列存储。",
    "同一种逻辑结构，可以用不同的存储结构来实现。",
    "比如线性表，既可以用数组顺序存放，也可以用链表链式存放。",
    "抽象数据类型 ADT 把数据和操作封装在一起，只暴露接口，隐藏实现。",
    "接下来讲算法。算法是解决特定问题的有限操作步骤。",
    "一个算法必须具备五个特性：有穷性、确定性、可行性、输入和输出。",
    "评价一个算法的好坏，我们主要看时间复杂度和空间复杂度。",
    "时间复杂度描述的是，当问题规模 n 增大时，运行时间的增长趋势。",
    "我们用大O记号来表示，只保留增长最快的那一项，并且忽略常数系数。",
    "比如一个双重循环，每层都执行 n 次，它的时间复杂度就是 O(n²)。",
    "而二分查找每次把范围缩小一半，时间复杂度是 O(log n)。",
    "常见的复杂度从小到大排列：O(1)、O(log n)、O(n)、O(n log n)、O(n²)、O(2ⁿ)。",
    "大家要有一个直观感觉：n 等于一百万的时候，O(n²) 的算法基本上跑不完。",
    "空间复杂度指的是算法运行时额外需要的存储空间。",
    "原地算法的额外空间是 O(1)，比如后面要讲的堆排序。",
    "我们还要区分最好情况、最坏情况和平均情况。",
    "例如在数组里顺序查找一个元素，最好情况一次就找到，最坏情况要比较 n 次。",
    "一般我们关注最坏情况，因为它给出了运行时间的上界。",
    "本学期的实验统一用 C 语言完成，也可以用 C++。",
    "【字幕组提示】" + DS_AD + "。",
    "每次实验要提交源代码和实验报告，报告里要写清楚复杂度分析。",
    "下课之前布置一下作业：分析教材第一章习题中每个程序段的时间复杂度。",
    "下一讲我们开始讲线性表。",
]

DS_CUES_2: list[Cue] = [
    "上一讲我们讲了数据结构和算法的基本概念，今天进入第二章线性表。",
    "线性表是由 n 个相同类型的数据元素组成的有限序列。",
    "除了第一个元素，每个元素都有唯一的直接前驱；除了最后一个，都有唯一的直接后继。",
    "线性表的顺序存储叫顺序表，用一段地址连续的存储单元依次存放元素。",
    "顺序表最大的优点是随机存取：知道下标，就能在 O(1) 时间内访问元素。",
    "第 i 个元素的地址，等于基地址加上 i 减一再乘以每个元素占用的字节数。",
    "但是在顺序表中间插入一个元素，需要把后面的元素整体往后移动。",
    "平均要移动一半的元素，所以插入和删除的时间复杂度都是 O(n)。",
    "出于替代考虑，如果插入删除特别频繁，我们就不用顺序表，改用链表。",
    "单链表的每个结点包含两部分：数据域和指针域。",
    "指针域存放下一个结点的地址，最后一个结点的指针为空。",
    "为了操作方便，我们通常在第一个结点前面加一个头结点。",
    "有了头结点，在第一个位置插入和在其他位置插入的代码就统一了。",
    "在单链表中插入结点 s，只需要两步：先让 s 指向 p 的后继，再让 p 指向 s。",
    "注意这两步的顺序不能颠倒，否则后面的链就断了。",
    "删除结点也类似，先用 q 记住要删的结点，再修改指针，最后释放 q。",
    "链表插入删除本身是 O(1)，但找到插入位置需要从头遍历，是 O(n)。",
    "链表不支持随机存取，访问第 i 个元素必须从头结点开始一个一个数。",
    "循环链表把最后一个结点的指针指回头结点，从任何一个结点出发都能遍历整个表。",
    "双向链表的每个结点有两个指针，分别指向前驱和后继。",
    "双向链表删除一个结点时，要同时修改前驱的 next 和后继的 prior。",
    "那么顺序表和链表到底怎么选？",
    "如果表长变化不大、主要是查询，用顺序表；如果经常插入删除，用链表。",
    "还有一种静态链表，用数组来模拟指针，适合没有指针的语言。",
    "课后请大家实现一个单链表，支持按位置插入、删除和就地逆置。",
    "链表逆置是面试中的高频题，要求只用 O(1) 的额外空间。",
    "思路是用三个指针，一边遍历一边把每个结点的 next 指向它的前一个结点。",
    "下一讲我们学习两种特殊的线性表：栈和队列。",
]

DS_CUES_3: list[Cue] = [
    "今天讲栈和队列，它们都是操作受限的线性表。",
    "栈只允许在一端进行插入和删除，这一端叫栈顶。",
    "栈的特点是后进先出，英文叫 LIFO。",
    "入栈叫 push，出栈叫 pop，读取栈顶元素叫 top。",
    "顺序栈用数组实现，用一个整数 top 指示栈顶位置。",
    "栈满的时候再入栈会发生上溢，栈空的时候出栈会发生下溢。",
    "栈在计算机里的应用非常多，函数调用就是靠系统栈实现的。",
    "每次调用函数，返回地址和局部变量都压入栈中，返回时再弹出。",
    "所以递归层数太深，会导致栈溢出。",
    "栈的一个经典应用是括号匹配。",
    "扫描表达式，遇到左括号就入栈，遇到右括号就和栈顶比较。",
    "另一个经典应用是表达式求值，先把中缀表达式转换成后缀表达式。",
    "后缀表达式也叫逆波兰式，计算时不需要考虑括号和优先级。",
    "下面讲队列。队列只允许在一端插入，在另一端删除。",
    "插入的一端叫队尾，删除的一端叫队头，特点是先进先出，FIFO。",
    "用数组实现队列会遇到假溢出：前面还有空位，但队尾已经到了数组末尾。",
    "解决办法是循环队列，把数组看成首尾相接的环。",
    "循环队列中，队尾指针加一以后要对数组长度取模。",
    "怎么区分队空和队满？常用的办法是牺牲一个存储单元。",
    "队空的条件是 front 等于 rear，队满的条件是 rear 加一取模以后等于 front。",
    "链队列用单链表实现，带头指针和尾指针，不存在队满的问题。",
    "队列的应用也很广，比如操作系统的进程调度、打印任务排队。",
    "图的广度优先遍历也要用到队列，这个我们讲图的时候再展开。",
    "顺便说一句，推荐大家报我们合作的考研数据结构辅导班，" + DS_ADV + "，名额有限。",
    "双端队列允许在两端都进行插入和删除。",
    "课后作业：用栈实现一个简单计算器，支持加减乘除和括号。",
    "下一讲我们进入非线性结构，讲树和二叉树。",
]

DS_CUES_4: list[Cue] = [
    "前面讲的都是线性结构，今天开始讲第一种非线性结构：树。",
    "树是 n 个结点的有限集合，非空树有且仅有一个根结点。",
    "除根结点外，其余结点分成若干个互不相交的子树。",
    "结点拥有的子树个数叫做结点的度，度为零的结点叫叶子结点。",
    "树的深度是树中结点的最大层数。",
    "二叉树是每个结点最多有两棵子树的树，而且子树有左右之分。",
    "二叉树有几个重要性质。第一，第 i 层最多有 2 的 i-1 次方个结点。",
    "第二，深度为 k 的二叉树最多有 2 的 k 次方减一个结点。",
    "第三，叶子结点数等于度为二的结点数加一，也就是 n0 等于 n2 加一。",
    "满二叉树每一层的结点都是满的；完全二叉树只有最后一层可以不满，而且靠左排列。",
    "完全二叉树适合用数组顺序存储，结点 i 的左孩子是 2i，右孩子是 2i+1。",
    "一般的二叉树用二叉链表存储，每个结点有左指针和右指针。",
    "二叉树的遍历有三种：先序、中序和后序。",
    "先序遍历是根、左、右；中序是左、根、右；后序是左、右、根。",
    "三种遍历用递归写，都只有几行代码。",
    "还有层序遍历，按层从上到下、从左到右访问，要借助队列来实现。",
    "已知先序和中序序列，可以唯一确定一棵二叉树。",
    "线索二叉树利用空指针域存放前驱和后继的线索，加快遍历。",
    "树和森林都可以转换成二叉树，方法是左孩子右兄弟表示法。",
    "下面讲哈夫曼树，也叫最优二叉树，它的带权路径长度最小。",
    "构造哈夫曼树：每次从集合里选出权值最小的两棵树合并。",
    "哈夫曼编码是一种前缀编码，出现频率高的字符编码短。",
    "这就是很多数据压缩方法的基本思想。",
    "二叉排序树，也叫二叉搜索树：左子树的值都小于根，右子树的值都大于根。",
    "对二叉排序树做中序遍历，得到的就是有序序列。",
    "为了防止二叉排序树退化成链表，我们需要平衡二叉树，也就是 AVL 树。",
    "AVL 树中任何结点左右子树的高度差不超过一，失衡时通过旋转来调整。",
    "下一讲我们讲图。",
]

DS_PAGES = [
    Page("第五、六讲  图与查找", ["数据结构 · 2025秋", "主讲：王建国  李晓燕", "江东理工大学 计算机学院"]),
    Page("5.1 图的基本概念", [
        "图 G = (V, E)：顶点集合 V 与边集合 E",
        "有向图与无向图；完全图；稀疏图与稠密图",
        "顶点的度：入度与出度",
        "路径、回路、简单路径",
        "连通图与连通分量；强连通图"]),
    Page("5.2 图的存储结构", [
        "邻接矩阵：n×n 数组，空间 O(n²)，判断两点是否相邻 O(1)",
        "邻接表：每个顶点一条边链表，空间 O(n+e)，适合稀疏图",
        "十字链表（有向图）与邻接多重表（无向图）"]),
    Page("5.3 图的遍历", [
        "深度优先搜索 DFS：递归或借助栈，类似树的先序遍历",
        "广度优先搜索 BFS：借助队列，按层访问",
        "邻接表存储时两种遍历都是 O(n+e)",
        "应用：判断连通性、求连通分量、找简单路径"]),
    Page("5.4 最小生成树", [
        "Prim 算法：从一个顶点出发逐步加入最近的顶点，O(n²)，适合稠密图",
        "Kruskal 算法：按权值从小到大选边，用并查集判断回路，O(e log e)",
        "最小生成树不一定唯一，但权值之和唯一"]),
    Page("5.5 最短路径", [
        "Dijkstra 算法：单源最短路径，不能处理负权边，O(n²)",
        "Floyd 算法：所有顶点对之间的最短路径，O(n³)",
        "  动态规划思想：依次允许经过顶点 0, 1, …, n-1"]),
    Page("5.6 拓扑排序与关键路径", [
        "AOV 网：顶点表示活动；拓扑排序检测有向图中是否有环",
        "AOE 网：边表示活动；关键路径决定工程的最短工期",
        "关键活动：最早开始时间等于最迟开始时间的活动"]),
    Page("6.1 查找的基本概念", [
        "查找表、关键字、静态查找与动态查找",
        "平均查找长度 ASL：衡量查找算法效率的主要指标",
        "顺序查找：ASL = (n+1)/2，适用于任何线性表",
        "折半查找：要求有序顺序表，O(log n)，判定树"]),
    Page("6.2 树表查找", [
        "二叉排序树的查找、插入与删除",
        "平衡二叉树：LL、RR、LR、RL 四种旋转",
        "B 树：多路平衡查找树，适合磁盘上的索引",
        "B+ 树：叶子结点链接成有序链表，数据库索引的常用结构"]),
    Page("6.3 散列表（哈希表）", [
        "散列函数 H(key)：直接定址法、除留余数法、数字分析法",
        "冲突处理：开放定址法（线性探测、二次探测）、链地址法",
        "装填因子 α = 表中记录数 / 表长，α 越大越容易冲突",
        "查找效率取决于散列函数、冲突处理方法和装填因子"]),
    Page("6.4 散列表示例：按身份证号建立学生信息索引", [
        "取身份证号的后四位做关键字，H(key) = key mod 13",
        "示例记录：姓名 张伟明，身份证号 " + DS_STUDENT_ID + "，手机 " + DS_PHONE,
        "发生冲突时采用线性探测：H_i = (H(key) + i) mod 13",
        "请计算该记录的散列地址，并画出插入 10 条记录后的散列表"]),
    Page("小结与作业", [
        "图：存储、遍历、最小生成树、最短路径、拓扑排序",
        "查找：顺序、折半、树表、散列",
        "作业：教材习题 6.3、6.7、7.12；实验三 Dijkstra 算法的实现"]),
]

DS_SLIDES = [
    Slide("第七讲  排序", ["数据结构 · 2025秋", "主讲：李晓燕"],
          "本讲用两次课完成。第一次课讲插入、交换和选择三类排序，第二次课讲归并排序、基数排序和综合比较。"),
    Slide("7.1 排序的基本概念", [
        "排序：把记录序列按关键字递增或递减重新排列",
        "稳定性：关键字相同的记录排序后相对次序不变",
        "评价指标：比较次数、移动次数、辅助空间"],
        "先用成绩表举例说明稳定性：按总分排序后，总分相同的同学是否还保持学号顺序。"),
    Slide("7.2 插入排序", [
        "直接插入排序：把第 i 个记录插入前面已排好序的子序列",
        "  最好 O(n)，最坏和平均 O(n²)，稳定",
        "折半插入排序：用折半查找确定插入位置，移动次数不变",
        "希尔排序：按增量分组做插入排序，增量逐步缩小到 1，不稳定"],
        "直接插入排序在序列基本有序时很快，这也是希尔排序的出发点。"),
    Slide("7.3 交换排序", [
        "冒泡排序：相邻元素两两比较，每趟把最大者沉到最后，O(n²)，稳定",
        "快速排序：选枢轴，一趟划分把序列分成两部分，再分别递归",
        "  平均 O(n log n)，最坏 O(n²)（序列已有序时），不稳定",
        "  枢轴选择：三数取中可以避免最坏情况"],
        "快速排序的划分过程请大家在黑板上手工模拟一遍，注意 low 和 high 两个指针交替移动。"),
    Slide("7.4 选择排序", [
        "简单选择排序：每趟选出最小者放到前面，O(n²)，不稳定",
        "堆排序：大根堆的堆顶是最大值，建堆 O(n)，每次调整 O(log n)",
        "  总时间 O(n log n)，辅助空间 O(1)，不稳定"],
        "堆就是一棵用数组存储的完全二叉树，这里要回顾第四讲完全二叉树的编号规则。"),
    Slide("7.5 归并排序与基数排序", [
        "二路归并排序：把两个有序表合并成一个有序表，递归进行",
        "  时间 O(n log n)，辅助空间 O(n)，稳定",
        "基数排序：按关键字各位分配和收集，不做关键字比较",
        "  时间 O(d(n+r))，适合关键字位数较少的整数"],
        "归并排序是稳定的 O(n log n) 排序，Java 等语言对对象排序就采用它的改进版本。"),
    Slide("7.6 各种排序方法的比较", [
        "平均 O(n log n)：快速排序、堆排序、归并排序",
        "稳定：直接插入、冒泡、归并、基数",
        "n 较小时：直接插入或简单选择",
        "基本有序时：直接插入或冒泡"],
        "最后留十分钟做课堂练习：给出一组关键字，写出快速排序第一趟划分后的结果。"),
]


def ds_syllabus_blocks() -> list[tuple[str, str]]:
    return [
        ("title", "《数据结构》课程教学大纲"),
        ("h1", "一、课程基本信息"),
        ("p", "课程名称：数据结构（Data Structures）"),
        ("p", "课程性质：专业基础必修课；学分：4；总学时：64（讲授 48，实验 16）"),
        ("p", "先修课程：C 语言程序设计、离散数学"),
        ("p", "课程责任教师：王建国；主讲教师：王建国、李晓燕"),
        ("h1", "二、课程目标"),
        ("p", "通过本课程的学习，学生应理解常用数据结构的逻辑结构、存储结构及其基本操作，"
              "掌握算法复杂度的分析方法，能够针对实际问题选择合适的数据结构并设计高效的算法。"),
        ("h1", "三、教学内容与学时分配"),
        ("h2", "第一章 绪论（4 学时）"),
        ("p", "数据结构的基本概念；逻辑结构与存储结构；抽象数据类型；算法的特性；时间复杂度与空间复杂度。"),
        ("h2", "第二章 线性表（8 学时）"),
        ("p", "线性表的定义；顺序表的插入与删除；单链表、循环链表与双向链表；顺序表与链表的比较。"),
        ("h2", "第三章 栈和队列（6 学时）"),
        ("p", "栈的定义与顺序栈；括号匹配与表达式求值；队列与循环队列；链队列。"),
        ("h2", "第四章 树和二叉树（10 学时）"),
        ("p", "二叉树的性质与存储；先序、中序、后序和层序遍历；线索二叉树；哈夫曼树与哈夫曼编码。"),
        ("h2", "第五章 图（8 学时）"),
        ("p", "图的邻接矩阵与邻接表；深度优先搜索与广度优先搜索；最小生成树；最短路径；拓扑排序与关键路径。"),
        ("h2", "第六章 查找（6 学时）"),
        ("p", "顺序查找与折半查找；二叉排序树与平衡二叉树；B 树；散列表与冲突处理。"),
        ("h2", "第七章 内部排序（6 学时）"),
        ("p", "插入排序与希尔排序；冒泡排序与快速排序；简单选择排序与堆排序；归并排序；基数排序。"),
        ("h2", "第八章 外部排序（4 学时）"),
        ("p", "外存信息的存取特点；多路平衡归并与败者树；置换-选择排序；最优归并树。"),
        ("h1", "四、实验安排"),
        ("p", "实验一 单链表的基本操作（4 学时）；实验二 栈与表达式求值（4 学时）；"
              "实验三 Dijkstra 算法的实现（4 学时）；实验四 排序算法性能比较（4 学时）。"),
        ("h1", "五、考核方式"),
        ("p", "平时作业 20%，实验 30%，期末闭卷考试 50%。期末考试由学校统一组织。"),
        ("h1", "六、教材与参考书"),
        ("p", "[1] 严蔚敏, 吴伟民. 数据结构（C语言版）[M]. 北京: 清华大学出版社, 2007. ISBN " + DS_ISBN + "."),
        ("p", "[2] 王道论坛. 数据结构考研复习指导[M]. 北京: 电子工业出版社, 2024."),
        ("p", "学生课程论文的参考文献著录格式遵循 GB/T 7714-2005《文后参考文献著录规则》。"),
    ]


DS_NOTES_MD = f"""# 数据结构 课程笔记（2025秋）

## 课程信息

- 主讲：王建国、李晓燕
- 答疑：每周三下午 14:00–16:00，计算机楼 305
- 助教赵林，答疑邮箱 {DS_EMAIL}，课程答疑 QQ {DS_QQ}，有问题请先发邮件说明。

## 教材领取

- 教材：严蔚敏《数据结构（C语言版）》，ISBN {DS_ISBN}
- 教材团购订单号 {DS_ORDER}，请凭订单号到教材科领取。

## 实验环境

- 实验室统一环境：Windows XP + Visual C++ 6.0，请按实验指导书配置。
- 也可以在自己电脑上用 gcc 编译，提交前务必在实验室环境下测试通过。

## 第一讲 绪论 要点

1. 数据结构 = 逻辑结构 + 存储结构 + 运算。
2. 时间复杂度只看增长趋势：O(1) < O(log n) < O(n) < O(n log n) < O(n²)。
3. 最坏情况给出运行时间的上界。

## 第二讲 线性表 要点

1. 顺序表随机存取 O(1)，插入删除平均移动一半元素。
2. 链表插入删除 O(1)，但不能随机存取。
3. 头结点让首元结点的操作和其他结点一致。

## 第三讲 栈和队列 要点

1. 栈：后进先出；应用于函数调用、括号匹配、表达式求值。
2. 循环队列：牺牲一个单元区分队空与队满。

## 第四讲 树和二叉树 要点

1. n0 = n2 + 1。
2. 先序 + 中序可以唯一确定一棵二叉树。
3. 哈夫曼树带权路径长度最小。
"""

PLEDGE_PROMISE = "不参与任何形式的刷课、替课、替考活动"
PLEDGE_ZH = """# 课程学习诚信承诺书

本人承诺在本课程学习期间：

1. 本人亲自观看课程视频、完成作业和测验，不委托他人代为学习，不出借个人账号；
2. {PLEDGE_PROMISE}，不传播考试答案；
3. 期末考试接受人脸识别与双机位监考，遵守学校考试纪律。

如有违反，本人愿按学校相关规定接受处理。

承诺人（签名）：__________    日期：__________
""".replace("{PLEDGE_PROMISE}", PLEDGE_PROMISE)


def ds_course() -> Course:
    created = dt.datetime(2025, 8, 25, 9, 30, tzinfo=dt.timezone.utc)
    modified = dt.datetime(2025, 8, 29, 16, 10, tzinfo=dt.timezone.utc)
    files = [
        {"path": DS_SYL, "role": "syllabus", "title": "数据结构教学大纲"},
        {"path": DS_T1, "role": "transcript", "title": "第01讲 绪论与算法分析"},
        {"path": DS_T2, "role": "transcript", "title": "第02讲 线性表"},
        {"path": DS_T3, "role": "transcript", "title": "第03讲 栈和队列"},
        {"path": DS_T4, "role": "transcript", "title": "第04讲 树和二叉树"},
        {"path": DS_PDF, "role": "slides", "title": "第05-06讲 图与查找"},
        {"path": DS_PPTX, "role": "slides", "title": "第07讲 排序"},
        {"path": DS_REVIEW, "role": "slides", "title": "第08讲 期末复习"},
        {"path": DS_NOTES, "role": "notes", "title": "课程笔记"},
        {"path": DS_PLEDGE, "role": "other", "title": "课程学习诚信承诺书"},
    ]
    manifest = {
        "id": "jdlg-cs2101-ds-2025a",
        "title": {"zh": "数据结构", "en": "Data Structures"},
        "institution": "江东理工大学",
        "lecturers": ["王建国", "李晓燕"],
        "responsible_teacher": "王建国",
        "platform": "中国大学MOOC",
        "term": "2025秋",
        "date": "2025-09-01",
        "credit_hours": 4,
        "hours": 64,
        "language": "zh",
        "exam": {"supervision": ["face-recognition", "dual-camera"], "by_university": True},
        "integrity_pledge": DS_PLEDGE,
        "platform_security_level": 3,
        "files": files,
    }

    def write(pkg: Path) -> None:
        write_text(pkg / DS_T1, render_srt(DS_CUES_1))
        write_text(pkg / DS_T2, render_srt(DS_CUES_2))
        write_text(pkg / DS_T3, render_srt(DS_CUES_3))
        write_text(pkg / DS_T4, render_srt(DS_CUES_4))
        write_docx(pkg / DS_SYL, ds_syllabus_blocks(), title="数据结构教学大纲", author="王建国",
                   created=created, modified=modified)
        write_slides_pdf(pkg / DS_PDF, DS_PAGES, title="第05-06讲 图与查找", author="王建国",
                         created=created)
        write_pptx(pkg / DS_PPTX, DS_SLIDES, title="第07讲 排序", author="李晓燕",
                   created=created, modified=modified)
        shot = render_picture([DS_SHOT_AD, f"学号 2023015 身份证 {DS_SHOT_ID}"])
        write_picture_pptx(pkg / DS_REVIEW, [("第八讲  期末复习", render_picture(["复习范围：第一讲至第七讲"])),
                                             ("8.1 课程群通知截图", shot)],
                           title="第08讲 期末复习", author="李晓燕", created=created, modified=modified)
        write_text(pkg / DS_NOTES, DS_NOTES_MD)
        write_text(pkg / DS_PLEDGE, PLEDGE_ZH)

    seeds = [
        Seed("lexicon", DS_REVIEW, "代刷网课", category="cheating-ads",
             location={"slide": 2, "line": 1, "source": "ocr"},
             why="幻灯片上贴的群聊截图里的刷课广告，只有文字识别（OCR）看得见 / a 刷课 advert in a screenshot pasted on a slide: only OCR sees it"),
        Seed("pii", DS_REVIEW, DS_SHOT_ID, category="personal-data",
             location={"slide": 2, "line": 2, "source": "ocr"},
             why="同一截图里学生的身份证号 / a student's resident ID number in the same screenshot"),
        Seed("lexicon", DS_T1, "代刷网课", category="cheating-ads",
             why="刷课广告混在字幕里（字幕组插入），带微信联系方式 / a course-cheating advert with a WeChat lure inside a subtitle cue"),
        Seed("lexicon", DS_T3, DS_ADV, category="advertising",
             why="讲课中推销合作辅导班，使用广告法禁止的绝对化用语 / promotion using an absolute claim the Advertising Law forbids"),
        Seed("pii", DS_PDF, DS_STUDENT_ID, category="personal-data",
             why="散列表示例用了真实格式、校验位正确的身份证号 / a resident ID number with a valid GB 11643 check digit on a slide"),
        Seed("pii", DS_PDF, DS_PHONE, category="personal-data",
             why="同一张幻灯片上的手机号 / a mobile number on the same slide"),
        Seed("pii", DS_NOTES, DS_EMAIL, category="personal-data",
             why="助教的个人邮箱 / the teaching assistant's e-mail address"),
        Seed("pii", DS_NOTES, DS_QQ, category="personal-data",
             why="QQ 号紧挨联系用语 / a QQ number next to a contact word"),
        Seed("outdated", DS_NOTES, "Windows XP",
             why="实验环境停止支持的操作系统（2014-04-08）/ lab environment on an OS past end of life"),
        Seed("outdated", DS_SYL, "GB/T 7714-2005",
             why="已被 GB/T 7714-2015 代替的国家标准 / a superseded national standard"),
        Seed("coverage", DS_SYL, "外部排序",
             why="大纲第八章外部排序在讲稿和课件里都没有讲 / a syllabus chapter nothing in transcripts or slides teaches"),
        Seed("coverage", "course.yaml", "64", anywhere=True,
             why="讲稿只是各讲的片段（几分钟），撑不起声明的 64 学时 / the transcripts are excerpts: minutes cannot back 64 declared class hours"),
    ]
    decoys = [
        Decoy(DS_T2, "替代考虑", "“替代考虑”跨词边界包含“代考” / 代考 straddles a word boundary"),
        Decoy(DS_NOTES, DS_ORDER, "18 位订单号，校验位不对 / an 18-digit order number failing the check digit"),
        Decoy(DS_SYL, DS_ISBN, "教材 ISBN / a book's ISBN"),
        Decoy(DS_NOTES, DS_ISBN, "教材 ISBN / a book's ISBN"),
        Decoy(DS_PLEDGE, PLEDGE_PROMISE, "诚信承诺书禁止刷课替考，不是广告；每个课程包都要有承诺书 / "
              "the integrity pledge forbids cheating: naming the offence is not an advert (an info note is tolerated)",
              ["lexicon"], tolerate=["info"]),
    ]
    return Course(DS, manifest, [write], seeds, decoys)


# ===========================================================================
# Course 2: Introduction to Machine Learning (English)
# ===========================================================================

ML = "en-intro-ml"
ML_SYL = "syllabus/syllabus.md"
ML_T1 = "transcripts/week01-linear-regression.vtt"
ML_T2 = "transcripts/week02-logistic-regression.srt"
ML_T3 = "transcripts/week03-regularization.vtt"
ML_PDF = "slides/week04-05-trees-and-neural-networks.pdf"
ML_PPTX = "slides/week06-unsupervised-learning.pptx"
ML_NOTES = "notes/lab-setup.md"
ML_PLEDGE = "integrity-pledge.md"
ML_SCAN = "slides/week07-scanned-handout.pdf"  # a scanned page: no text layer
ML_VIDEO = "videos/week08-review.mp4"  # a lecture video with no subtitles (its header only: 27:30)
ML_SCAN_LINES = ["Week 7 handout: reinforcement learning preview",
                 "Take my online class for me? 100% pass guaranteed, WhatsApp us"]

ML_CURRENCY = "As of 2016, the latest ImageNet winners"

ML_CUES_1: list[Cue] = [
    "Good morning, everyone, and welcome to Introduction to Machine Learning.",
    "Before we start, a quick word about how this course is organised.",
    "Each week has two lectures, one problem set and one lab session.",
    "So what is machine learning? The term was coined by Arthur Samuel in 1959.",
    "Tom Mitchell later gave a more precise definition.",
    "A program learns from experience E with respect to a task T and a performance measure P,",
    "if its performance on T, as measured by P, improves with experience E.",
    "In supervised learning we are given inputs x together with the right answers y.",
    "When y is a real number, we call the problem regression.",
    "When y takes one of a few discrete values, we call it classification.",
    "Today we start with the simplest regression model: linear regression.",
    "Our hypothesis is a linear function: h of x equals theta transpose x.",
    "We add a constant feature x zero equal to one, so theta zero is the intercept.",
    "To choose theta, we define a cost function J of theta.",
    "J is one half of the mean of the squared errors over the training set.",
    "Squared error is convenient: it is smooth and it punishes large mistakes heavily.",
    "Now, how do we minimise J? The first method is gradient descent.",
    "Start from some initial theta and repeatedly step in the direction of the negative gradient.",
    "The size of each step is controlled by the learning rate alpha.",
    "If alpha is too small, convergence is slow. If it is too large, J can diverge.",
    "A good habit is to plot J against the number of iterations and check that it decreases.",
    "For linear regression, J is convex, so gradient descent finds the global minimum.",
    "Batch gradient descent uses the whole training set for every step.",
    "Stochastic gradient descent uses one example at a time, which is much cheaper per step.",
    "Feature scaling matters: put all features on a similar range, for example by standardising them.",
    "The second method is the normal equation, which solves for theta in closed form.",
    "Theta equals X transpose X, inverted, times X transpose y.",
    "The normal equation needs no learning rate, but inverting the matrix costs about n cubed.",
    "With tens of thousands of features, gradient descent is usually the better choice.",
    "For Friday's lab, you will implement both methods on the housing data set.",
    "That's all for today. See you on Thursday.",
]

ML_CUES_2: list[Cue] = [
    "Last week we predicted real numbers. Today we predict classes.",
    "Take spam filtering: an e-mail is either spam or not spam, one or zero.",
    "We could try linear regression and threshold the output at one half.",
    "But a single outlier can move the line and ruin the threshold.",
    "Logistic regression fixes this by squashing the output into the interval from zero to one.",
    "The hypothesis is the sigmoid function applied to theta transpose x.",
    "We read the output as the estimated probability that y equals one.",
    "We predict class one when theta transpose x is at least zero.",
    "The set where theta transpose x equals zero is the decision boundary.",
    "With polynomial features, the decision boundary can be a circle or a more complex curve.",
    "For the cost, squared error would make J non-convex with the sigmoid.",
    "Instead we use the log loss, also called cross-entropy.",
    "If y is one and we predict a probability near zero, the cost goes to infinity.",
    "This cost comes from maximum likelihood estimation, and it is convex.",
    "The gradient has exactly the same form as in linear regression.",
    "Only the hypothesis inside it has changed.",
    "What if there are more than two classes?",
    "One-versus-rest trains one binary classifier for each class.",
    "At prediction time we pick the class whose classifier is most confident.",
    "Alternatively, softmax regression models all classes at once.",
    "Now, how do we evaluate a classifier?",
    "Accuracy is misleading when the classes are imbalanced.",
    "If only one percent of transactions are fraud, always answering no gives ninety-nine percent accuracy.",
    "So we look at precision, recall, and the F1 score.",
    "Precision asks: of the examples we flagged, how many were positive?",
    "Recall asks: of the positive examples, how many did we flag?",
    "The problem set asks you to plot a precision-recall curve for the spam data.",
]

ML_CUES_3: list[Cue] = [
    "Today's topic is overfitting, and what we can do about it.",
    "A model with too few parameters underfits: high bias.",
    "A model with too many parameters can fit the noise: high variance.",
    "A tenth-degree polynomial passes through every training point and generalises terribly.",
    "The first remedy is regularisation: penalise large weights.",
    "Ridge regression adds lambda times the sum of the squared weights to the cost.",
    "The lasso uses the absolute values instead, which drives some weights exactly to zero.",
    "So the lasso also performs feature selection.",
    "Lambda controls the trade-off: too large and we underfit, too small and we overfit.",
    "How do we choose lambda? Not on the training set, and never on the test set.",
    "We hold out a validation set, or better, we use cross-validation.",
    "In k-fold cross-validation, we split the data into k folds.",
    "We train on k minus one folds and validate on the remaining one, k times over.",
    "The average validation error estimates how well the model generalises.",
    "Five or ten folds are common choices.",
    "Learning curves plot training and validation error against the training set size.",
    "If both errors are high and close together, more data will not help: the model has high bias.",
    "If there is a large gap between them, more data or stronger regularisation usually helps.",
    "Neural networks have their own regularisers: weight decay, early stopping, and dropout.",
    ML_CURRENCY + " rely heavily on dropout and data augmentation.",
    "Model selection is about the whole pipeline: features, model family, and hyperparameters.",
    "Keep the test set locked away until the very end.",
    "Report the test error once, for the model you finally chose.",
    "Next week we turn to decision trees and ensembles.",
]

ML_PAGES = [
    Page("Weeks 4-5: Decision Trees and Neural Networks", [
        "Introduction to Machine Learning, Fall 2025", "Dr. Chen Yu and Dr. Laura Martin"]),
    Page("Decision trees", [
        "Split the feature space with axis-aligned tests, one question per node",
        "Leaves predict a class (classification) or a value (regression)",
        "Easy to interpret; handle numeric and categorical features"]),
    Page("Choosing a split: impurity", [
        "Entropy: H = - sum of p_k log p_k",
        "Information gain = parent entropy - weighted child entropy",
        "Gini impurity: 1 - sum of p_k squared (used by CART)",
        "Grow greedily; stop at a maximum depth or a minimum leaf size"]),
    Page("Overfitting in trees", [
        "A fully grown tree memorises the training set",
        "Pre-pruning: limit depth, minimum samples per split",
        "Post-pruning: cost-complexity pruning on a validation set"]),
    Page("Ensembles: bagging and random forests", [
        "Bagging: train trees on bootstrap samples, average their votes",
        "Random forests: also pick a random subset of features at each split",
        "Out-of-bag error estimates generalisation for free"]),
    Page("Ensembles: boosting", [
        "AdaBoost: reweight the examples the previous learners got wrong",
        "Gradient boosting: each new tree fits the residuals of the ensemble",
        "Strong results on tabular data; tune the learning rate and the number of trees"]),
    Page("Neural networks: the neuron", [
        "A unit computes a weighted sum of its inputs plus a bias",
        "followed by a non-linear activation: sigmoid, tanh, ReLU",
        "The perceptron (Rosenblatt, 1958) used a step function"]),
    Page("Feed-forward networks", [
        "Layers of units: input layer, hidden layers, output layer",
        "Forward propagation computes the activations layer by layer",
        "Softmax output layer with cross-entropy loss for classification"]),
    Page("Backpropagation", [
        "Chain rule: propagate the error from the output layer backwards",
        "Each layer's gradient reuses the gradient of the layer above",
        "Train with mini-batch stochastic gradient descent",
        "Check gradients numerically when implementing it yourself"]),
    Page("Training tips", [
        "Initialise weights randomly (e.g. He initialisation for ReLU)",
        "Normalise the inputs; watch the training and validation loss",
        "Regularise with weight decay, dropout and early stopping"]),
]

ML_SLIDES = [
    Slide("Week 6: Unsupervised Learning", ["k-means clustering", "Principal component analysis"],
          "This week has no labels at all. Start by asking the class what structure they would look for in customer data."),
    Slide("Clustering", [
        "Group unlabelled examples so that similar examples share a cluster",
        "Uses: customer segmentation, grouping documents, image compression"],
        "Show the scatter plot first and let students guess the clusters before running anything."),
    Slide("The k-means algorithm", [
        "Pick k initial centroids",
        "Assignment step: assign each point to its nearest centroid",
        "Update step: move each centroid to the mean of its points",
        "Repeat until the assignments stop changing"],
        "Walk through two iterations on the whiteboard. Emphasise that each step can only decrease the distortion."),
    Slide("Choosing k and initialisation", [
        "The distortion always decreases as k grows: look for an elbow",
        "k-means converges to a local optimum: use several random restarts",
        "k-means++ spreads the initial centroids out"],
        "Mention that the best k often depends on what the clusters are for, not just on the elbow plot."),
    Slide("Principal component analysis", [
        "Find the directions of maximum variance in the data",
        "Project onto the first k principal components to reduce dimension",
        "Computed from the eigenvectors of the covariance matrix (or the SVD)"],
        "Remind everyone to standardise the features before running PCA."),
    Slide("Using PCA well", [
        "Choose k to keep, say, 95% of the variance",
        "Speeds up learning and helps visualise high-dimensional data",
        "Do not use PCA to fight overfitting: use regularisation instead"],
        "The lab asks them to compress face images with PCA and reconstruct them."),
]

ML_SYLLABUS_MD = """# Introduction to Machine Learning (CS 3301) — Syllabus

Jiangdong University of Technology · School of Computer Science · Fall 2025

- Credits: 3 · Class hours: 48 (32 lecture + 16 lab)
- Lecturers: Dr. Chen Yu (responsible teacher), Dr. Laura Martin
- Prerequisites: linear algebra, probability and statistics, programming in Python

## Course description

This course introduces the main ideas and algorithms of machine learning: supervised learning for
regression and classification, model selection, tree ensembles, neural networks and unsupervised
learning. Students implement the core algorithms themselves before using library versions.

## Schedule

### Week 1: Introduction and linear regression

Supervised learning; the cost function; gradient descent; the normal equation.

### Week 2: Logistic regression and classification

The sigmoid hypothesis; log loss; multi-class classification; precision and recall.

### Week 3: Regularization and model selection

Bias and variance; ridge regression and the lasso; k-fold cross-validation; learning curves.

### Week 4: Decision trees and ensemble methods

Impurity and information gain; pruning; bagging, random forests and boosting.

### Week 5: Neural networks and backpropagation

Feed-forward networks; activation functions; backpropagation; training tips.

### Week 6: Unsupervised learning: k-means clustering and PCA

Clustering with k-means; choosing k; principal component analysis.

### Week 7: Reinforcement learning and Markov decision processes

Agents, rewards and policies; value iteration and policy iteration; Q-learning.

## Assessment

- Problem sets: 30%
- Labs: 20%
- Class participation: 10%
- Final exam (organised by the university, proctored): 40%

## Textbooks

- Hastie, Tibshirani and Friedman, *The Elements of Statistical Learning*, 2nd edition.
- Bishop, *Pattern Recognition and Machine Learning*.

## Academic integrity

Every student signs the integrity pledge. Letting someone else watch lectures, do coursework or sit
the exam on your behalf is misconduct and is reported to the university.
"""

ML_NOTES_MD = """# Lab setup

## Lab machines

The lab image ships Python 2.7 with NumPy and scikit-learn preinstalled.
Run the starter code with `python lab1.py` from the lab folder.

## Your own computer

1. Install a recent Python and create a virtual environment.
2. Install numpy, matplotlib and scikit-learn.
3. Check the installation with the notebook in `lab0/`.

## Submitting

Upload your notebook and a one-page report to the course platform before Sunday 23:59.
Late work loses 10% per day.
"""

PLEDGE_EN = """# Integrity pledge

I will watch the lectures and do the coursework myself. I will not lend my account,
pay anyone to complete the course for me, or sit an exam for someone else.
I understand that the final exam is proctored with face recognition and a second camera.

Signed: __________    Date: __________
"""


def ml_course() -> Course:
    created = dt.datetime(2025, 8, 18, 10, 0, tzinfo=dt.timezone.utc)
    modified = dt.datetime(2025, 8, 30, 11, 45, tzinfo=dt.timezone.utc)
    files = [
        {"path": ML_SYL, "role": "syllabus", "title": "Syllabus"},
        {"path": ML_T1, "role": "transcript", "title": "Week 1: linear regression"},
        {"path": ML_T2, "role": "transcript", "title": "Week 2: logistic regression"},
        {"path": ML_T3, "role": "transcript", "title": "Week 3: regularization"},
        {"path": ML_PDF, "role": "slides", "title": "Weeks 4-5: trees and neural networks"},
        {"path": ML_PPTX, "role": "slides", "title": "Week 6: unsupervised learning"},
        {"path": ML_SCAN, "role": "slides", "title": "Week 7 handout (scanned)"},
        {"path": ML_VIDEO, "role": "other", "title": "Week 8 review (video)"},
        {"path": ML_NOTES, "role": "notes", "title": "Lab setup"},
        {"path": ML_PLEDGE, "role": "other", "title": "Integrity pledge"},
    ]
    manifest = {
        "id": "jdlg-cs3301-ml-2025a",
        "title": {"zh": "机器学习导论", "en": "Introduction to Machine Learning"},
        "institution": "江东理工大学",
        "lecturers": ["陈宇", "Laura Martin"],
        "responsible_teacher": "陈宇",
        "platform": "学堂在线",
        "term": "2025秋",
        "date": "2025-09-01",
        "credit_hours": 3,
        "hours": 48,
        "language": "en",
        "exam": {"supervision": ["face-recognition", "dual-camera"], "by_university": True},
        "integrity_pledge": ML_PLEDGE,
        "platform_security_level": 3,
        "files": files,
    }

    def write(pkg: Path) -> None:
        write_text(pkg / ML_SYL, ML_SYLLABUS_MD)
        write_text(pkg / ML_T1, render_vtt(ML_CUES_1, "Week 1: linear regression"))
        write_text(pkg / ML_T2, render_srt(ML_CUES_2))
        write_text(pkg / ML_T3, render_vtt(ML_CUES_3, "Week 3: regularization"))
        write_slides_pdf(pkg / ML_PDF, ML_PAGES, title="Weeks 4-5: trees and neural networks",
                         author="Chen Yu", created=created, font=LATIN_FONT)
        write_pptx(pkg / ML_PPTX, ML_SLIDES, title="Week 6: unsupervised learning",
                   author="Laura Martin", created=created, modified=modified)
        write_scanned_pdf(pkg / ML_SCAN, [render_picture(ML_SCAN_LINES, font=LATIN_FONT, px=26,
                                                         size=(1200, 220))],
                          title="Week 7 handout", author="Chen Yu", created=created)
        (pkg / ML_VIDEO).parent.mkdir(parents=True, exist_ok=True)
        (pkg / ML_VIDEO).write_bytes(video_header(27 * 60_000 + 30_000))
        write_text(pkg / ML_NOTES, ML_NOTES_MD)
        write_text(pkg / ML_PLEDGE, PLEDGE_EN)

    seeds = [
        Seed("completeness", ML_VIDEO, "week08-review.mp4", rule="video-no-subtitles", anywhere=True,
             why="a lecture video with no subtitles or transcript: what it teaches can't be reviewed / 没有字幕的讲课视频"),
        Seed("lexicon", ML_SCAN, "Take my online class", category="cheating-ads",
             location={"page": 1, "line": 2, "source": "ocr"},
             why="an English 'take my class' advert on a scanned page without a text layer: only OCR reads it / 扫描页上的英文代课广告"),
        Seed("outdated", ML_NOTES, "Python 2",
             why="lab image on Python 2, end of life since 2020-01-01 / 实验环境仍是已停止维护的 Python 2"),
        Seed("outdated", ML_T3, "2016",
             why="a currency claim ('as of', 'latest') with a year nine years before the 2025 term / 过时的“最新”说法"),
        Seed("coverage", ML_SYL, "Reinforcement learning",
             why="Week 7 of the syllabus is taught nowhere in transcripts or slides / 大纲第 7 周没有讲"),
        Seed("coverage", "course.yaml", "48", anywhere=True,
             why="讲稿只是各讲的片段（几分钟），撑不起声明的 48 学时 / the transcripts are excerpts: minutes cannot back 48 declared class hours"),
    ]
    decoys = [
        Decoy(ML_T1, "1959", "a plain historical year, no currency claim / 历史年份", ["outdated"]),
        Decoy(ML_PDF, "1958", "a plain historical year on a slide / 历史年份", ["outdated"]),
        Decoy(ML_SYL, "Class participation", "'class' contains a short vulgar English term / Scunthorpe 词", ["lexicon"]),
        Decoy(ML_SYL, "## Assessment", "'assessment' contains a short vulgar English term / Scunthorpe 词", ["lexicon"]),
        Decoy(ML_T2, "imbalanced", "ordinary English word / 普通英文词", ["lexicon"]),
    ]
    return Course(ML, manifest, [write], seeds, decoys)


# ===========================================================================
# Course 3: 计算机网络 Computer Networks (bilingual)
# ===========================================================================

CN = "bi-computer-networks"
CN_SYL = "syllabus/计算机网络教学大纲.pdf"
CN_T1 = "transcripts/lec01-概述-Introduction.srt"
CN_T4 = "transcripts/lec04-网络层-Network-layer.srt"
CN_T7 = "transcripts/lec07-网络安全-Security.srt"
CN_PDF = "slides/lec02-03-物理层与数据链路层.pdf"
CN_PPTX = "slides/lec05-06-传输层与应用层.pptx"
CN_NOTES = "notes/实验指导书.docx"
CN_PLEDGE = "诚信承诺书.md"
CN_QR = "notes/答疑群二维码.png"  # a poster: text and a QR code to a WeChat group
CN_QR_LINK = "https://weixin.qq.com/g/AQYAAJmk8Fq2"

CN_CURRENCY = "截至2015年最新数据"
CN_AD = "找人代 刷 網 課、代 考的同學，私信加 V：wk-daishua88"
CN_LAW = "《合同法》"

CN_CUES_1: list[Cue] = [
    ("大家好，这学期我们一起学习计算机网络。", "Hello everyone. This term we study computer networks together."),
    ("先看一个问题：你在浏览器里输入一个网址，按下回车，到底发生了什么？",
     "Start with a question: what really happens when you type an address into a browser and press Enter?"),
    ("这门课结束的时候，你应该能把这个过程从头到尾讲清楚。",
     "By the end of this course you should be able to explain that process from start to finish."),
    ("计算机网络就是把分散的计算机用通信链路和交换设备连接起来。",
     "A computer network connects scattered computers through communication links and switching devices."),
    ("互联网是网络的网络，由成千上万个自治的网络互联而成。",
     "The Internet is a network of networks, made of many thousands of autonomous networks."),
    ("先讲一点历史。1969年，ARPANET 的第一批四个节点连通了。",
     "A little history first. In 1969 the first four nodes of ARPANET were connected."),
    ("1983年，ARPANET 全面改用 TCP/IP 协议，这一年常被看作互联网的诞生之年。",
     "In 1983 ARPANET switched entirely to TCP/IP, and that year is often seen as the birth of the Internet."),
    ("1994年，中国通过一条 64K 的国际专线全功能接入了互联网。",
     "In 1994 China gained full Internet access through a single 64K international line."),
    (CN_CURRENCY + "，我国网民规模达到6.88亿，互联网普及率为50.3%。",
     "According to the latest data as of 2015, China had 688 million Internet users, a penetration rate of 50.3%."),
    ("网络的边缘是主机，也叫端系统，比如你的手机和笔记本。",
     "At the edge of the network are hosts, also called end systems, such as your phone and laptop."),
    ("网络的核心是路由器组成的网状结构，负责转发数据。",
     "The core of the network is a mesh of routers that forward data."),
    ("核心部分有两种交换方式：电路交换和分组交换。",
     "The core can switch in two ways: circuit switching and packet switching."),
    ("电话网是电路交换，通话前先建立连接，独占一条线路。",
     "The telephone network uses circuit switching: a connection is set up first and a line is reserved."),
    ("互联网用分组交换，数据被切成一个个分组，各自存储转发。",
     "The Internet uses packet switching: data is cut into packets that are stored and forwarded separately."),
    ("衡量网络性能的指标有速率、带宽、吞吐量和时延。",
     "Network performance is measured by rate, bandwidth, throughput and delay."),
    ("总时延等于发送时延、传播时延、处理时延和排队时延之和。",
     "Total delay is the sum of transmission delay, propagation delay, processing delay and queuing delay."),
    ("为了管理复杂性，网络采用分层的体系结构。",
     "To manage complexity, networks use a layered architecture."),
    ("OSI 参考模型有七层，而实际使用的 TCP/IP 模型是四层。",
     "The OSI reference model has seven layers, while the TCP/IP model used in practice has four."),
    ("我们教学上采用五层模型：物理层、数据链路层、网络层、传输层和应用层。",
     "For teaching we use five layers: physical, data link, network, transport and application."),
    ("每一层使用下一层提供的服务，并向上一层提供服务。",
     "Each layer uses the services of the layer below and offers services to the layer above."),
    ("同一层的两个实体之间按照协议通信，协议包括语法、语义和时序。",
     "Peer entities in the same layer communicate by a protocol, which has syntax, semantics and timing."),
    ("下一讲我们从最底层的物理层讲起。",
     "Next time we begin at the bottom, with the physical layer."),
]

CN_CUES_4: list[Cue] = [
    ("今天讲网络层，它负责把分组从源主机送到目的主机。",
     "Today: the network layer, which carries packets from the source host to the destination host."),
    ("网络层有两个核心功能：转发和路由选择。",
     "The network layer has two core functions: forwarding and routing."),
    ("转发是路由器把分组从输入端口移到合适的输出端口。",
     "Forwarding means a router moves a packet from an input port to the right output port."),
    ("路由选择是决定分组从源到目的走哪条路径。",
     "Routing decides which path packets take from source to destination."),
    ("IPv4 地址是 32 位，通常写成点分十进制，比如 192.168.1.10。",
     "An IPv4 address has 32 bits, usually written in dotted decimal, such as 192.168.1.10."),
    ("早期的分类编址把地址分成 A、B、C 类，浪费很严重。",
     "Early classful addressing split addresses into classes A, B and C, which wasted many addresses."),
    ("现在使用无分类域间路由 CIDR，用网络前缀长度表示网络，比如 /24。",
     "Today we use CIDR, classless inter-domain routing, where a prefix length such as /24 identifies the network."),
    ("子网掩码和 IP 地址按位相与，就得到网络地址。",
     "A bitwise AND of the subnet mask and the IP address gives the network address."),
    ("路由器查转发表时，采用最长前缀匹配。",
     "When a router looks up its forwarding table it uses longest prefix match."),
    ("IP 数据报首部有版本、首部长度、生存时间 TTL、协议、源地址和目的地址等字段。",
     "The IP datagram header has fields such as version, header length, time to live, protocol, and source and destination addresses."),
    ("TTL 每经过一个路由器就减一，减到零就丢弃，防止分组在网络中无限循环。",
     "TTL drops by one at each router and the packet is discarded at zero, so packets cannot loop forever."),
    ("数据报太大时要分片，到目的主机再重组。",
     "Datagrams that are too large are fragmented and reassembled at the destination host."),
    ("ARP 协议把 IP 地址解析成 MAC 地址。",
     "ARP resolves an IP address into a MAC address."),
    ("ICMP 用来报告差错和进行探测，ping 和 traceroute 都基于它。",
     "ICMP reports errors and supports probing; ping and traceroute are built on it."),
    ("IPv4 地址已经分配完了，缓解办法之一是网络地址转换 NAT。",
     "IPv4 addresses have run out; one mitigation is network address translation, NAT."),
    ("根本办法是 IPv6，地址长度 128 位。",
     "The real solution is IPv6, with 128-bit addresses."),
    ("路由算法分为两类：距离向量算法和链路状态算法。",
     "Routing algorithms come in two kinds: distance vector and link state."),
    ("RIP 是距离向量协议，以跳数为度量，最多 15 跳。",
     "RIP is a distance-vector protocol that counts hops, up to a maximum of 15."),
    ("OSPF 是链路状态协议，每个路由器用 Dijkstra 算法计算最短路径。",
     "OSPF is a link-state protocol: each router computes shortest paths with Dijkstra's algorithm."),
    ("自治系统之间用 BGP 交换可达性信息，它更看重策略而不是最短路径。",
     "Between autonomous systems, BGP exchanges reachability and cares more about policy than about shortest paths."),
    ("课后请用 traceroute 观察你访问学校主页经过了哪些路由器。",
     "After class, use traceroute to see which routers lie between you and the university homepage."),
]

CN_CUES_7: list[Cue] = [
    ("今天讲网络安全。先看网络面临哪些威胁。",
     "Today: network security. First, what threats does a network face?"),
    ("被动攻击是截获，攻击者只是窃听通信内容。",
     "A passive attack is interception: the attacker only eavesdrops."),
    ("主动攻击包括篡改、伪造和拒绝服务。",
     "Active attacks include modification, fabrication and denial of service."),
    ("安全通信需要保证机密性、完整性、身份鉴别和不可否认性。",
     "Secure communication needs confidentiality, integrity, authentication and non-repudiation."),
    ("对称密钥密码加密和解密用同一个密钥，比如 AES，我国的商用密码标准是 SM4。",
     "Symmetric ciphers use one key to encrypt and decrypt, for example AES; China's commercial standard is SM4."),
    ("公钥密码用公钥加密、私钥解密，比如 RSA 和 SM2，解决了密钥分发的问题。",
     "Public-key ciphers encrypt with a public key and decrypt with a private key, such as RSA and SM2, solving key distribution."),
    ("数字签名用私钥签名、公钥验证，保证报文来源和完整性。",
     "A digital signature is made with the private key and checked with the public key, proving origin and integrity."),
    ("顺便提一下电子合同：依照" + CN_LAW + "，数据电文是书面形式的一种，电子签名可以有法律效力。",
     "On electronic contracts: under the Contract Law, data messages are a written form and electronic signatures can be legally valid."),
    ("证书由认证中心 CA 签发，把公钥和持有者的身份绑定在一起。",
     "A certificate, issued by a certificate authority, binds a public key to its holder's identity."),
    ("HTTPS 就是 HTTP 加上 TLS，浏览器地址栏的锁形图标就表示这一点。",
     "HTTPS is HTTP over TLS; the padlock in the browser's address bar shows it."),
    ("下面讲防火墙。防火墙位于内部网络和外部网络之间，按规则放行或阻断流量。",
     "Next, firewalls. A firewall sits between the internal and external networks and allows or blocks traffic by rules."),
    ("最基本的一种是包过滤防火墙，它检查每个分组的首部。",
     "The most basic kind is the packet-filtering firewall, which inspects each packet's header."),
    ("包过滤规则根据源地址、目的地址、协议和端口号来决定放行还是丢弃。",
     "Packet-filtering rules decide by source address, destination address, protocol and port whether to pass or drop."),
    ("状态检测防火墙还会跟踪连接状态，只放行属于已建立连接的返回分组。",
     "A stateful firewall also tracks connections and only admits return packets of established connections."),
    ("应用网关工作在应用层，可以检查报文内容。",
     "An application gateway works at the application layer and can inspect message contents."),
    ("入侵检测系统 IDS 监视流量，发现可疑模式就报警。",
     "An intrusion detection system watches traffic and raises an alarm when it sees suspicious patterns."),
    ("【弹幕】" + CN_AD, "[danmaku overlay, not part of the lecture]"),
    ("拒绝服务攻击用大量请求耗尽服务器资源，分布式的叫 DDoS。",
     "A denial-of-service attack exhausts a server with requests; the distributed form is called DDoS."),
    ("《网络安全法》要求网络运营者落实网络安全等级保护制度。",
     "The Cybersecurity Law requires network operators to implement the multi-level protection scheme."),
    ("课后作业：为实验室网络写一组包过滤规则，只允许内网访问外部的 Web 服务。",
     "Homework: write packet-filtering rules for the lab network that only allow internal hosts to reach external web services."),
]

CN_PAGES = [
    Page("第二、三讲  物理层与数据链路层\nLectures 2-3: Physical and Data Link Layers", [
        "计算机网络 Computer Networks · 2025秋", "主讲 Lecturer：刘海涛 Liu Haitao"]),
    Page("2.1 物理层的基本概念  Physical layer basics", [
        "物理层解决如何在传输媒体上传输比特流 / how to move raw bits over a medium",
        "四个特性：机械、电气、功能、过程 / mechanical, electrical, functional, procedural",
        "传输媒体：双绞线、同轴电缆、光纤、无线电 / twisted pair, coax, fibre, radio"]),
    Page("2.2 信道极限容量  Channel capacity", [
        "奈氏准则：无噪声信道的最高码元速率 2W / Nyquist: at most 2W symbols per second",
        "香农公式：C = W log2(1 + S/N) / Shannon: capacity of a noisy channel",
        "编码与调制：曼彻斯特编码、调幅、调频、调相 / Manchester coding, AM, FM, PM"]),
    Page("2.3 信道复用  Multiplexing", [
        "频分复用 FDM、时分复用 TDM、波分复用 WDM、码分复用 CDM",
        "Share one physical channel among many users"]),
    Page("3.1 数据链路层的三个基本问题  Three basic problems", [
        "封装成帧 / framing",
        "透明传输：字节填充与比特填充 / transparency: byte and bit stuffing",
        "差错检测：循环冗余检验 CRC / error detection with CRC"]),
    Page("3.2 点对点协议 PPP  The PPP protocol", [
        "用户接入 ISP 时常用的数据链路层协议 / the link protocol between a user and an ISP",
        "只检错不纠错，不使用序号和确认 / detects errors but does not correct them"]),
    Page("3.3 以太网与 CSMA/CD  Ethernet and CSMA/CD", [
        "MAC 地址：48 位硬件地址 / 48-bit hardware address",
        "载波监听多点接入 / 碰撞检测：先听后发，边发边听 / listen before and while sending",
        "争用期 51.2 μs，最短帧长 64 字节 / contention period and minimum frame size",
        "二进制指数退避 / binary exponential backoff"]),
    Page("3.4 交换机与虚拟局域网  Switches and VLANs", [
        "以太网交换机自学习建立交换表 / a switch learns its forwarding table",
        "生成树协议 STP 避免环路 / spanning tree protocol prevents loops",
        "VLAN 在一个交换网络中划分广播域 / VLANs split one switched network into broadcast domains"]),
]

CN_SLIDES = [
    Slide("第五、六讲  传输层与应用层\nLectures 5-6: Transport and Application Layers",
          ["计算机网络 · 2025秋", "主讲：刘海涛"],
          "两次课。第五讲传输层，第六讲应用层。Two sessions: transport first, then the application layer."),
    Slide("5.1 传输层概述  Transport layer", [
        "为应用进程之间提供端到端的逻辑通信 / process-to-process logical communication",
        "端口号区分同一主机上的不同进程 / port numbers identify processes",
        "UDP：无连接、尽最大努力交付 / connectionless, best effort",
        "TCP：面向连接、可靠交付 / connection-oriented, reliable"],
        "先用寄信和打电话的比喻区分 UDP 和 TCP。Use letters versus phone calls to contrast UDP and TCP."),
    Slide("5.2 TCP 可靠传输  Reliable delivery in TCP", [
        "序号与确认号；累积确认 / sequence and acknowledgement numbers",
        "超时重传；快速重传（三个重复确认）/ timeout and fast retransmit",
        "滑动窗口实现流量控制 / sliding window for flow control"],
        "在黑板上画出发送窗口随确认向前滑动的过程。Draw the send window sliding forward as ACKs arrive."),
    Slide("5.3 TCP 连接管理与拥塞控制  Connections and congestion control", [
        "三次握手建立连接，四次挥手释放连接 / three-way handshake, four-way teardown",
        "慢开始、拥塞避免、快重传、快恢复 / slow start, congestion avoidance, fast recovery",
        "拥塞窗口 cwnd 与慢开始门限 ssthresh"],
        "提问：为什么建立连接需要三次握手而不是两次？Ask: why three handshakes and not two?"),
    Slide("6.1 域名系统 DNS  The Domain Name System", [
        "把域名解析为 IP 地址 / resolves names to IP addresses",
        "层次结构：根域名服务器、顶级域名服务器、权限域名服务器",
        "递归查询与迭代查询；本地缓存 / recursive and iterative queries, caching"],
        "现场用 nslookup 或 dig 查询学校域名。Run nslookup or dig on the university's domain live."),
    Slide("6.2 万维网与 HTTP  The Web and HTTP", [
        "URL、HTML、HTTP 请求与响应报文 / request and response messages",
        "HTTP 是无状态的，用 Cookie 保存会话 / stateless; cookies keep sessions",
        "持续连接与流水线；HTTP/2 多路复用 / persistent connections, HTTP/2 multiplexing"],
        "回到第一讲的问题：输入网址按下回车以后，DNS、TCP、HTTP 依次登场。Return to the question from lecture 1."),
    Slide("6.3 电子邮件与文件传输  E-mail and file transfer", [
        "SMTP 发送邮件，POP3 / IMAP 读取邮件 / sending and reading mail",
        "FTP 使用控制连接和数据连接 / control and data connections"],
        "本节内容较少，留时间答疑。A short section: leave time for questions."),
]


def cn_syllabus_blocks() -> list[tuple[str, str]]:
    return [
        ("h1", "《计算机网络》课程教学大纲\nComputer Networks — Syllabus"),
        ("p", "江东理工大学 计算机学院 · 2025秋 · 学分 3 · 学时 48（讲授 40，实验 8）"),
        ("p", "课程责任教师 Responsible teacher：刘海涛 Liu Haitao；主讲 Lecturers：刘海涛、周敏"),
        ("h2", "一、课程目标  Course objectives"),
        ("p", "理解计算机网络的分层体系结构和各层主要协议的工作原理，能够分析简单的网络问题，"
              "具备网络安全意识。Understand the layered architecture and the main protocols of each "
              "layer, analyse simple network problems, and be aware of network security."),
        ("h2", "二、教学内容  Course content"),
        ("p", "第1章 计算机网络概述 Introduction：互联网的组成、分组交换、性能指标、分层体系结构。"),
        ("p", "第2章 物理层 Physical layer：传输媒体、信道容量、编码与调制、信道复用。"),
        ("p", "第3章 数据链路层 Data link layer：封装成帧、差错检测、PPP、以太网与 CSMA/CD、交换机。"),
        ("p", "第4章 网络层 Network layer：IP 编址与 CIDR、ARP、ICMP、路由算法与 RIP/OSPF/BGP、NAT 与 IPv6。"),
        ("p", "第5章 传输层 Transport layer：UDP、TCP 可靠传输、流量控制、拥塞控制、连接管理。"),
        ("p", "第6章 应用层 Application layer：DNS、HTTP、电子邮件、文件传输。"),
        ("p", "第7章 网络安全 Network security：密码学基础、数字签名与证书、TLS、防火墙、入侵检测。"),
        ("p", "第8章 无线与移动网络 Wireless and mobile networks：无线局域网 802.11、CSMA/CA、蜂窝网络、移动 IP。"),
        ("h2", "三、实验  Labs"),
        ("p", "实验一 Wireshark 抓包分析以太网帧与 IP 数据报；实验二 子网划分与静态路由配置；"
              "实验三 TCP 连接与拥塞窗口观察；实验四 包过滤防火墙规则配置。"),
        ("h2", "四、考核方式  Assessment"),
        ("p", "平时成绩 20%，实验 30%，期末考试 50%（学校统一组织，人脸识别与双机位监考）。"
              "Coursework 20%, labs 30%, final exam 50% (organised by the university, proctored)."),
        ("h2", "五、教材  Textbooks"),
        ("p", "[1] 谢希仁. 计算机网络（第8版）[M]. 北京: 电子工业出版社, 2021."),
        ("p", "[2] Kurose J F, Ross K W. Computer Networking: A Top-Down Approach, 8th ed. Pearson, 2021."),
    ]


def cn_notes_blocks() -> list[tuple[str, str]]:
    return [
        ("title", "计算机网络实验指导书  Lab guide"),
        ("h1", "实验环境  Lab environment"),
        ("p", "每组一台交换机和两台路由器，主机安装 Wireshark。Each group has one switch, two routers and hosts with Wireshark."),
        ("p", "设备推荐：实验用路由器可自行购买某品牌入门款，国内第一品牌，全网最低价，课程群里有购买链接。"),
        ("h1", "实验一 Wireshark 抓包  Capturing with Wireshark"),
        ("li", "启动 Wireshark，选择有线网卡开始抓包。Start a capture on the wired interface."),
        ("li", "访问学校主页，过滤 http 和 dns 报文。Visit the university homepage and filter for http and dns."),
        ("li", "记录以太网帧首部的源 MAC 地址和目的 MAC 地址。Record the source and destination MAC addresses."),
        ("h1", "实验二 子网划分与静态路由  Subnetting and static routes"),
        ("li", "把 192.168.10.0/24 划分成四个子网，写出每个子网的地址范围。Split the /24 into four subnets."),
        ("li", "在两台路由器上配置静态路由，用 ping 验证连通性。Configure static routes and verify with ping."),
        ("h1", "实验四 包过滤防火墙  Packet-filtering firewall"),
        ("li", "用 iptables 编写包过滤规则：默认拒绝，只放行 TCP 80 和 443 端口。Default deny; allow TCP 80 and 443."),
        ("li", "用 nmap 从外部扫描，验证规则生效。Scan from outside with nmap to check the rules."),
        ("h1", "实验报告  Reports"),
        ("p", "报告包括实验目的、步骤、截图和结果分析，实验结束后一周内提交。Submit within one week."),
    ]


def cn_course() -> Course:
    created = dt.datetime(2025, 8, 22, 8, 0, tzinfo=dt.timezone.utc)
    modified = dt.datetime(2025, 8, 31, 17, 20, tzinfo=dt.timezone.utc)
    old = dt.datetime(2012, 9, 3, 10, 15, tzinfo=dt.timezone.utc)  # slides reused since 2012
    files = [
        {"path": CN_SYL, "role": "syllabus", "title": "计算机网络教学大纲 Syllabus"},
        {"path": CN_T1, "role": "transcript", "title": "第1讲 概述 Introduction"},
        {"path": CN_T4, "role": "transcript", "title": "第4讲 网络层 Network layer"},
        {"path": CN_T7, "role": "transcript", "title": "第7讲 网络安全 Security"},
        {"path": CN_PDF, "role": "slides", "title": "第2-3讲 物理层与数据链路层"},
        {"path": CN_PPTX, "role": "slides", "title": "第5-6讲 传输层与应用层"},
        {"path": CN_NOTES, "role": "notes", "title": "实验指导书 Lab guide"},
        {"path": CN_QR, "role": "other", "title": "答疑群二维码 Q&A group QR code"},
        {"path": CN_PLEDGE, "role": "other", "title": "课程学习诚信承诺书"},
    ]
    topics = [
        {"title": "计算机网络概述 Introduction", "keywords": ["分组交换", "packet switching", "分层", "时延"]},
        {"title": "物理层 Physical layer", "keywords": ["物理层", "信道复用", "香农", "传输媒体"]},
        {"title": "数据链路层 Data link layer", "keywords": ["数据链路层", "CSMA/CD", "以太网", "CRC"]},
        {"title": "网络层 Network layer", "keywords": ["IP 地址", "CIDR", "路由", "OSPF"]},
        {"title": "传输层 Transport layer", "keywords": ["TCP", "UDP", "拥塞控制", "滑动窗口"]},
        {"title": "应用层 Application layer", "keywords": ["DNS", "HTTP", "电子邮件"]},
        {"title": "网络安全 Network security", "keywords": ["防火墙", "数字签名", "公钥", "TLS"]},
        {"title": "无线与移动网络 Wireless and mobile networks",
         "keywords": ["802.11", "CSMA/CA", "蜂窝", "移动 IP"]},
    ]
    manifest = {
        "id": "jdlg-cs2205-cn-2025a",
        "title": {"zh": "计算机网络", "en": "Computer Networks"},
        "institution": "江东理工大学",
        "lecturers": ["刘海涛", "周敏"],
        "responsible_teacher": "刘海涛",
        "platform": "智慧树",
        "term": "2025秋",
        "date": "2025-09-01",
        "credit_hours": 3,
        "hours": 48,
        "language": "bilingual",
        "topics": topics,
        "exam": {"supervision": ["face-recognition", "dual-camera"], "by_university": True},
        "integrity_pledge": CN_PLEDGE,
        "platform_security_level": 3,
        "files": files,
    }

    def write(pkg: Path) -> None:
        write_text(pkg / CN_T1, render_srt(CN_CUES_1))
        write_text(pkg / CN_T4, render_srt(CN_CUES_4))
        write_text(pkg / CN_T7, render_srt(CN_CUES_7))
        write_document_pdf(pkg / CN_SYL, cn_syllabus_blocks(), title="计算机网络教学大纲",
                           author="刘海涛", created=created)
        write_slides_pdf(pkg / CN_PDF, CN_PAGES, title="第2-3讲 物理层与数据链路层",
                         author="刘海涛", created=created)
        write_pptx(pkg / CN_PPTX, CN_SLIDES, title="第5-6讲 传输层与应用层", author="刘海涛",
                   created=old, modified=old)
        write_docx(pkg / CN_NOTES, cn_notes_blocks(), title="计算机网络实验指导书", author="周敏",
                   created=created, modified=modified)
        write_text(pkg / CN_PLEDGE, PLEDGE_ZH)
        (pkg / CN_QR).write_bytes(render_picture(["扫码加入课程答疑群", "Scan to join the Q&A group"],
                                                 size=(900, 260), qr=CN_QR_LINK))

    seeds = [
        Seed("lexicon", CN_QR, "weixin.qq.com/g/", rule="qr-links",
             location={"line": 1, "source": "qr"},
             why="海报上的二维码指向微信群：引流常用手法 / a QR code on a poster that leads to a WeChat group, the usual lure"),
        Seed("lexicon", CN_T7, "代 刷 網 課", category="cheating-ads",
             why="规避写法的刷课广告：字间加空格、繁体字、私信加 V / an evasive advert: spaces, traditional characters, a contact lure"),
        Seed("outdated", CN_T1, "2015",
             why="2025 年的课程里“截至2015年最新数据” / a ten-year-old 'latest data' claim in a 2025 course"),
        Seed("outdated", CN_T7, CN_LAW.strip("《》"),
             why="《合同法》已于 2021-01-01 随《民法典》施行废止 / the Contract Law was repealed when the Civil Code took effect"),
        Seed("lexicon", CN_NOTES, "第一品牌", category="advertising",
             why="实验指导书里推销路由器，使用绝对化用语 / promotion with an absolute claim in the lab guide"),
        Seed("lexicon", CN_NOTES, "全网最低价", category="advertising",
             why="同一段里的第二个绝对化用语 / a second absolute claim in the same paragraph"),
        Seed("outdated", CN_PPTX, "2012", anywhere=True,
             why="课件文件元数据创建于 2012 年，远早于 2025 学期 / slide file metadata from 2012, far older than the term"),
        Seed("coverage", "course.yaml", "无线与移动网络", anywhere=True,
             why="course.yaml 列出的第 8 个主题没有任何讲稿或课件讲到 / a manifest topic nothing teaches"),
        Seed("coverage", "course.yaml", "48", anywhere=True,
             why="讲稿只是各讲的片段（几分钟），撑不起声明的 48 学时 / the transcripts are excerpts: minutes cannot back 48 declared class hours"),
    ]
    decoys = [
        Decoy(CN_T1, "1969年", "历史年份，不是“最新”说法 / a plain historical year", ["outdated"]),
        Decoy(CN_T7, "包过滤防火墙", "包过滤 is packet filtering, not 包过 (guaranteed pass)", ["lexicon"]),
        Decoy(CN_T7, "包过滤规则根据", "包过滤 again, in running text", ["lexicon"]),
        Decoy(CN_NOTES, "用 iptables 编写包过滤规则", "包过滤 in the lab guide", ["lexicon"]),
        Decoy(CN_T7, "《网络安全法》", "a law in force, not superseded / 现行有效的法律", ["outdated"]),
        Decoy(CN_PLEDGE, PLEDGE_PROMISE, "诚信承诺书禁止刷课替考，不是广告；每个课程包都要有承诺书 / "
              "the integrity pledge forbids cheating: naming the offence is not an advert (an info note is tolerated)",
              ["lexicon"], tolerate=["info"]),
    ]
    return Course(CN, manifest, [write], seeds, decoys)


def courses() -> list[Course]:
    """Every sample course, in a fixed order."""
    return [ds_course(), ml_course(), cn_course()]


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
