"""PPTX and DOCX through python-pptx and python-docx (room: ingest).

PPTX: one segment per slide holding the text of every shape in reading
(z-)order — text frames, table cells, shapes inside groups, SmartArt — located
``Locator(slide=n)``, plus one segment for the speaker notes,
``Locator(slide=n, notes=True)``.  Units: the number of slides.

DOCX: one segment per non-empty paragraph in document order, body
paragraphs, table cells (each cell paragraph is a paragraph; nested tables
too), content controls and text boxes, located ``Locator(paragraph=n,
heading="H1 > H2")``: ``n`` counts non-empty paragraphs from 1 and the heading
path holds the headings above it (from Heading/标题 styles or an outline
level).  Text boxes are stored twice in Word files (``mc:Choice`` and the VML
``mc:Fallback`` copy): only the Choice copy is read.  After the body come
headers, footers, footnotes and endnotes (each part once), their heading
being ``页眉``, ``页脚``, ``脚注`` or ``尾注``.  Units: the number of non-empty
paragraphs.

Both: core properties (title, author, created, modified as ISO 8601) go into
``meta``.  An Office lock file (``~$name.docx``, a few bytes, not a zip) is
reported as such.

Pictures (see :mod:`reviewer.ingest.ocr`): every embedded picture of a slide
(pictures, picture fills, the background; not the layout's or master's) and
of a Word paragraph (DrawingML and legacy VML, not the ``mc:Fallback`` copy)
becomes an OCR/QR job named after its part (``image3.png``), located at its
slide, or at its paragraph (the paragraph the picture sits in when that has
text, otherwise the one before it).  Vector pictures (EMF, WMF, SVG) are not read.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from reviewer.ingest.formats.base import Extracted, ExtractError, iso
from reviewer.ingest.model import Locator, Segment

_ZIP_MAGIC = b"PK\x03\x04"
#: An Office file whose parts expand to more than this is refused: python-docx and
#: python-pptx hold every part in memory (a few MB of deflated XML can declare GBs).
MAX_EXPANDED_BYTES = 512 * 2**20


def _check_ooxml(data: bytes, path: str, kind: str) -> None:
    name = path.rsplit("/", 1)[-1]
    if name.startswith("~$") and not data.startswith(_ZIP_MAGIC):
        raise ExtractError("Office lock file, not a document", rule="office-lock-file",
                           zh="这是 Office 的锁定临时文件（~$ 开头），不是文档")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExtractError(f"password-protected Office file or legacy binary format saved as .{kind}",
                           rule="office-corrupt",
                           zh=f"受密码保护的 Office 文件，或以 .{kind} 命名的旧二进制格式，无法读取")
    if not data.startswith(_ZIP_MAGIC):
        raise ExtractError(f"not a valid .{kind} file (not a zip archive)", rule="office-corrupt",
                           zh=f"不是有效的 .{kind} 文件（不是 zip 压缩包）")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            expanded = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, ValueError, NotImplementedError):
        return  # the reader reports it as corrupt, with its reason
    if expanded > MAX_EXPANDED_BYTES:
        mb, cap = expanded / 2**20, MAX_EXPANDED_BYTES / 2**20
        raise ExtractError(f"refused: the .{kind} file expands to {mb:.0f} MB (limit {cap:.0f} MB; zip bomb?)",
                           rule="zip-bomb",
                           zh=f"已拒绝：该 .{kind} 文件解压后达 {mb:.0f} MB（上限 {cap:.0f} MB，疑似压缩炸弹）")


def _core(props: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for attr, key in (("title", "title"), ("author", "author"), ("created", "created"),
                      ("modified", "modified"), ("last_modified_by", "last_modified_by")):
        try:
            value = iso(getattr(props, attr))
        except Exception:  # noqa: BLE001 - a malformed date in core.xml is not fatal
            value = None
        if value:
            meta[key] = value
    return meta


def _picture_job(part: Any, rid: str, base: Locator) -> Any:
    """An OCR job for the picture related to ``part`` as ``rid`` (``None``: not an embedded picture)."""
    from reviewer.ingest.ocr import IMAGE_EXT, ImageJob

    try:
        rel = part.rels[rid]
        if rel.is_external:
            return None
        target = rel.target_part
        blob = target.blob
        name = str(target.partname).rsplit("/", 1)[-1]
    except Exception:  # noqa: BLE001 - a dangling relationship loses one picture
        return None
    job = ImageJob(base, image=name, data=blob)
    dot = name.rfind(".")
    ext = name[dot:].lower() if dot > 0 else ""
    if ext not in IMAGE_EXT:
        job.outcome, job.rule = "skipped", "image-vector"
        job.reason, job.reason_zh = f"{ext or 'unknown'} picture not read", f"{ext or '未知'} 格式图片未读取"
    return job


def _open_failed(kind: str, exc: Exception) -> ExtractError:
    reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    return ExtractError(f"corrupt .{kind} file: {reason}", rule="office-corrupt",
                        zh=f".{kind} 文件损坏，无法打开：{reason}")


# --------------------------------------------------------------------- PPTX

_DGM = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _smartart_texts(shape: Any, part: Any) -> list[str]:
    """Text of a SmartArt graphic: its diagram-data part, one entry per paragraph."""
    from lxml import etree

    out: list[str] = []
    for rel_ids in shape._element.iter(f"{{{_DGM}}}relIds"):
        rid = rel_ids.get(f"{{{_R}}}dm")
        if not rid or part is None:
            continue
        try:
            root = etree.fromstring(part.related_part(rid).blob)
        except Exception:  # noqa: BLE001 - a missing diagram part only loses that text
            continue
        for para in root.iter(f"{{{_A}}}p"):
            text = "".join(t.text or "" for t in para.iter(f"{{{_A}}}t")).strip()
            if text:
                out.append(text)
    return out


def _shape_texts(shapes: Any, part: Any = None) -> list[str]:
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    out: list[str] = []
    for shape in shapes:
        try:
            if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
                out.extend(_shape_texts(shape.shapes, part))
                continue
        except Exception:  # noqa: BLE001 - unknown shape types have no shape_type
            pass
        if shape._element.tag.endswith("}graphicFrame"):
            out.extend(_smartart_texts(shape, part))
        if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            text = shape.text_frame.text.strip()
            if text:
                out.append(text)
        if getattr(shape, "has_table", False) and shape.has_table:
            for row in shape.table.rows:
                for cell in row.cells:
                    if cell.is_spanned:
                        continue
                    text = cell.text.strip()
                    if text:
                        out.append(text)
    return out


def _slide_pictures(slide: Any, number: int) -> list[Any]:
    """OCR jobs for the pictures of one slide (its own part: shapes, fills, background)."""
    jobs, seen = [], set()
    try:
        root = slide._element
        for blip in root.iter(f"{{{_A}}}blip"):
            rid = blip.get(f"{{{_R}}}embed")
            if not rid or rid in seen:
                continue
            seen.add(rid)
            job = _picture_job(slide.part, rid, Locator(slide=number))
            if job is not None:
                jobs.append(job)
    except Exception:  # noqa: BLE001 - the slide's text is read whatever its pictures do
        pass
    return jobs


def read_pptx(data: bytes, path: str, ocr: Any = None) -> Extracted:
    """Read slides and speaker notes; pictures become OCR jobs (``ocr``: OcrOptions)."""
    _check_ooxml(data, path, "pptx")
    try:
        from pptx import Presentation

        prs = Presentation(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-pptx raises many kinds
        raise _open_failed("pptx", exc) from None
    out = Extracted(meta=_core(prs.core_properties))
    ordinal = 0
    slides = list(prs.slides)
    for number, slide in enumerate(slides, start=1):
        body = "\n".join(_shape_texts(slide.shapes, slide.part)).replace("\x0b", "\n")
        if body.strip():
            out.segments.append(Segment(path, ordinal, Locator(slide=number), body))
            ordinal += 1
        if ocr is not None and ocr.active and ocr.embedded:
            out.jobs.extend(_slide_pictures(slide, number))
        if slide.has_notes_slide:
            frame = slide.notes_slide.notes_text_frame
            notes = frame.text.strip().replace("\x0b", "\n") if frame is not None else ""
            if notes:
                out.segments.append(Segment(path, ordinal, Locator(slide=number, notes=True), notes))
                ordinal += 1
    out.units = len(slides)
    out.meta["slides"] = len(slides)
    return out


# --------------------------------------------------------------------- DOCX

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_P, _TBL, _SDT, _TR, _TC = (f"{{{_W}}}{n}" for n in ("p", "tbl", "sdt", "tr", "tc"))
_T, _TAB, _BR, _CR = (f"{{{_W}}}{n}" for n in ("t", "tab", "br", "cr"))
_TXBX = f"{{{_W}}}txbxContent"
_FALLBACK = f"{{{_MC}}}Fallback"
_BLIP = f"{{{_A}}}blip"
_VML_IMAGE = "{urn:schemas-microsoft-com:vml}imagedata"
_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)


def _outline_level(lvl: Any) -> int | None:
    """A ``w:outlineLvl`` element's level 0-8; ``None`` for body text (9) or a value
    Word never writes (a malformed file must not lose its text over it)."""
    value = lvl.get(f"{{{_W}}}val", "9").strip()
    return int(value) if value.isascii() and value.isdigit() and int(value) < 9 else None


class _DocxWalker:
    """Walks the body in document order, emitting paragraphs with heading paths."""

    def __init__(self, doc: Any, path: str) -> None:
        self.path = path
        self.styles: dict[str, int | None] = {}
        self._style_levels(doc)
        self.headings: list[tuple[int, str]] = []
        self.segments: list[Segment] = []
        self.fixed_heading: str | None = None  # set while reading headers, footers, notes
        self.part: Any = None  # the part being walked (pictures are related to it); None: no pictures
        self.jobs: list[Any] = []

    def _style_levels(self, doc: Any) -> None:
        """Style id → outline level (0-based) for heading styles."""
        try:
            styles = doc.styles.element
        except Exception:  # noqa: BLE001
            return
        by_id: dict[str, Any] = {}
        for style in styles.iterchildren(f"{{{_W}}}style"):
            sid = style.get(f"{{{_W}}}styleId")
            if sid:
                by_id[sid] = style

        def level(sid: str, depth: int = 0) -> int | None:
            style = by_id.get(sid)
            if style is None or depth > 10:
                return None
            lvl = style.find(f"{{{_W}}}pPr/{{{_W}}}outlineLvl")
            if lvl is not None:
                return _outline_level(lvl)
            name = style.find(f"{{{_W}}}name")
            if name is not None:
                m = _HEADING_NAME.match(name.get(f"{{{_W}}}val", "").strip())
                if m:
                    return int(m.group(1)) - 1
                if name.get(f"{{{_W}}}val", "").strip().lower() == "title":
                    return 0
            based = style.find(f"{{{_W}}}basedOn")
            if based is not None:
                return level(based.get(f"{{{_W}}}val", ""), depth + 1)
            return None

        for sid in by_id:
            self.styles[sid] = level(sid)

    def _level(self, p: Any) -> int | None:
        ppr = p.find(f"{{{_W}}}pPr")
        if ppr is None:
            return None
        lvl = ppr.find(f"{{{_W}}}outlineLvl")
        if lvl is not None:
            return _outline_level(lvl)
        style = ppr.find(f"{{{_W}}}pStyle")
        if style is not None:
            return self.styles.get(style.get(f"{{{_W}}}val", ""))
        return None

    @staticmethod
    def _own_text(p: Any) -> str:
        """The paragraph's own text: runs, hyperlinks, fields; not its text boxes."""
        parts: list[str] = []
        for el in p.iter(_T, _TAB, _BR, _CR):
            if _DocxWalker._nested(el, p):
                continue
            if el.tag == _T:
                parts.append(el.text or "")
            elif el.tag == _TAB:
                parts.append("\t")
            else:
                parts.append("\n")
        return "".join(parts)

    @staticmethod
    def _text_boxes(p: Any) -> list[Any]:
        """Text box contents anchored in ``p``, the ``mc:Fallback`` copies left out."""
        boxes = []
        for box in p.iter(_TXBX):
            node = box.getparent()
            skip = False
            while node is not None and node is not p:
                if node.tag in (_FALLBACK, _TXBX):
                    skip = True
                    break
                node = node.getparent()
            if not skip:
                boxes.append(box)
        return boxes

    def block(self, el: Any) -> None:
        tag = el.tag
        if tag == _P:
            self.paragraph(el)
        elif tag == _TBL:
            for tr in el.iterchildren(_TR):
                for tc in tr.iterchildren(_TC):
                    for child in tc.iterchildren():
                        self.block(child)
        elif tag == _SDT:
            content = el.find(f"{{{_W}}}sdtContent")
            if content is not None:
                for child in content.iterchildren():
                    self.block(child)
        elif tag.endswith("}customXml") or tag.endswith("}smartTag"):
            for child in el.iterchildren():
                self.block(child)

    @staticmethod
    def _picture_ids(p: Any) -> list[str]:
        """Relationship ids of the paragraph's own pictures (not its text boxes', not Fallback copies)."""
        ids: list[str] = []
        for el in p.iter(_BLIP, _VML_IMAGE):
            rid = el.get(f"{{{_R}}}embed") if el.tag == _BLIP else el.get(f"{{{_R}}}id")
            if rid and rid not in ids and not _DocxWalker._nested(el, p):
                ids.append(rid)
        return ids

    @staticmethod
    def _nested(el: Any, p: Any) -> bool:
        """Whether ``el`` sits in a text box or an ``mc:Fallback`` copy inside paragraph ``p``."""
        node = el.getparent()
        while node is not None and node is not p:
            if node.tag in (_TXBX, _FALLBACK):
                return True
            node = node.getparent()
        return False

    def paragraph(self, p: Any) -> None:
        text = self._own_text(p).strip()
        level = self._level(p)
        heading = self.fixed_heading or " > ".join(t for _, t in self.headings) or None
        if text:
            number = len(self.segments) + 1
            self.segments.append(Segment(self.path, number - 1,
                                         Locator(paragraph=number, heading=heading), text))
            if level is not None and self.fixed_heading is None:
                self.headings = [(lv, t) for lv, t in self.headings if lv < level]
                self.headings.append((level, " ".join(text.split())))
        if self.part is not None:
            where = Locator(paragraph=max(len(self.segments), 1), heading=heading)
            for rid in self._picture_ids(p):
                job = _picture_job(self.part, rid, where)
                if job is not None:
                    self.jobs.append(job)
        for box in self._text_boxes(p):
            for child in box.iterchildren():
                self.block(child)


_HF = (("header", "页眉"), ("first_page_header", "页眉"), ("even_page_header", "页眉"),
       ("footer", "页脚"), ("first_page_footer", "页脚"), ("even_page_footer", "页脚"))
_NOTES = (("/footnotes", "脚注"), ("/endnotes", "尾注"))


def _extra_parts(doc: Any) -> list[tuple[str, list[Any], Any]]:
    """``(label, block elements, part)`` of headers, footers, footnotes and endnotes, each part once."""
    from lxml import etree

    out: list[tuple[str, list[Any], Any]] = []
    seen: set[str] = set()
    for section in doc.sections:
        for attr, label in _HF:
            try:
                hf = getattr(section, attr)
                if not hf._has_definition:
                    continue
                part = hf._definition
            except Exception:  # noqa: BLE001 - a dangling reference is not fatal
                continue
            name = str(part.partname)
            if name in seen:
                continue
            seen.add(name)
            out.append((label, list(part.element.iterchildren()), part))
    for rel in doc.part.rels.values():
        if rel.is_external:
            continue
        for suffix, label in _NOTES:
            if rel.reltype.endswith(suffix):
                try:
                    root = etree.fromstring(rel.target_part.blob)
                except Exception:  # noqa: BLE001
                    continue
                blocks = []
                for note in root.iterchildren(f"{{{_W}}}footnote", f"{{{_W}}}endnote"):
                    if note.get(f"{{{_W}}}type") in (None, "normal"):
                        blocks.extend(note.iterchildren())
                out.append((label, blocks, rel.target_part))
    return out


def read_docx(data: bytes, path: str, ocr: Any = None) -> Extracted:
    """Read paragraphs, tables and text boxes with their heading paths; pictures become OCR jobs."""
    _check_ooxml(data, path, "docx")
    try:
        import docx

        doc = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, Exception) as exc:  # noqa: BLE001
        raise _open_failed("docx", exc) from None
    pictures = ocr is not None and ocr.active and ocr.embedded
    walker = _DocxWalker(doc, path)
    walker.part = doc.part if pictures else None
    for child in doc.element.body.iterchildren():
        walker.block(child)
    for label, blocks, part in _extra_parts(doc):
        walker.fixed_heading = label
        walker.part = part if pictures else None
        for child in blocks:
            walker.block(child)
    out = Extracted(segments=walker.segments, units=len(walker.segments),
                    meta=_core(doc.core_properties), jobs=walker.jobs)
    return out
