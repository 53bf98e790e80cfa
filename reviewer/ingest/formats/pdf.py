"""PDF (room: ingest): one segment per page, text through pypdfium2.

pypdfium2 (PDFium) is the hot path: it opens damaged files (broken xref
offsets) and is two orders of magnitude faster than pdfplumber on plain text.
pdfplumber stays available as a layout-aware fallback for callers that need
tables or words with positions (:func:`extract_pdf_layout`); it is imported
only there.

Text clean-up, per page: CRLF/CR become LF; PDFium's end-of-line hyphen
marker (U+0002, "learn\\x02ing") is dropped between two letters (the word is
joined, as printed across the line break) and becomes ``-`` elsewhere; NULs
and other control characters except tab and newline are removed.

Pictures (see :mod:`reviewer.ingest.ocr`): a page without a text layer is
rendered (long side ``OcrOptions.page_side`` px) and read by OCR, its lines
located ``Locator(page=n, line=k, source="ocr", box=…)`` with boxes in PDF
points; on pages with text, every image object (also inside form XObjects) is
read as a picture named ``image1``, ``image2`` … in content order.  A file
with no ``/Image`` in its bytes has no image XObjects, so pages with text cost
nothing more.

Failures: an encrypted file ("encrypted"), a file PDFium cannot parse
("corrupt PDF: …") and a document without pages are file errors; so is a
document in which no page has text, neither in a text layer nor by OCR.
Pages without a text layer that OCR could not read give one warning per
reason (``pdf-pages-without-text``), pages in which OCR found nothing one info
(``ocr-no-text``).
"""

from __future__ import annotations

import re
from typing import Any

from reviewer.ingest.formats.base import Extracted, ExtractError, issue, pdf_date
from reviewer.ingest.model import Locator, Segment

_CONTROL = re.compile(r"[\x00\x01\x03-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_HYPHEN = re.compile(r"(?<=[^\W\d_])\x02(?=[^\W\d_])")
#: How many page numbers a "pages without text" warning lists.
LIST_PAGES = 20


def clean_page_text(text: str) -> str:
    """PDFium page text → segment text (see the module docstring)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x02" in text:
        text = _HYPHEN.sub("", text).replace("\x02", "-")
    text = _CONTROL.sub("", text)
    return text.strip()


def _open(data: bytes):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower() or "security" in message.lower():
            raise ExtractError("encrypted", rule="pdf-encrypted",
                               zh="PDF 已加密（需要密码），无法读取文字") from None
        reason = message.split("(PDFium:")[-1].strip(" )") if "PDFium" in message else message
        raise ExtractError(f"corrupt PDF: {reason or 'unreadable'}", rule="pdf-corrupt",
                           zh=f"PDF 文件损坏，无法打开：{reason or 'unreadable'}") from None


def _metadata(pdf: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    try:
        raw = pdf.get_metadata_dict(skip_empty=True)
    except Exception:  # noqa: BLE001 - metadata is optional
        return meta
    if raw.get("Title"):
        meta["title"] = raw["Title"]
    if raw.get("Author"):
        meta["author"] = raw["Author"]
    for key, name in (("Creator", "creator"), ("Producer", "producer")):
        if raw.get(key):
            meta[name] = raw[key]
    created = pdf_date(raw.get("CreationDate"))
    modified = pdf_date(raw.get("ModDate"))
    if created:
        meta["created"] = created
    if modified:
        meta["modified"] = modified
    return meta


def read_pdf(data: bytes, path: str, ocr: Any = None) -> Extracted:
    """Read a PDF's text layer page by page; pictures become OCR jobs (``ocr``: OcrOptions)."""
    if ocr is not None and not ocr.active:
        ocr = None
    # Image XObjects are streams, never inside a compressed object stream: no "/Image" in
    # the bytes, no picture on any page (the large text-only deck pays one byte search).
    images = ocr is not None and ocr.embedded and b"/Image" in data
    pdf = _open(data)
    try:
        pages = len(pdf)
        if pages == 0:
            raise ExtractError("PDF has no pages", rule="pdf-corrupt", zh="PDF 没有任何页面")
        out = Extracted(units=pages, meta=_metadata(pdf))
        out.meta["pages"] = pages
        empty: list[int] = []
        broken: list[int] = []
        ordinal = 0
        for index in range(pages):
            number = index + 1
            try:
                page = pdf[index]
                try:
                    textpage = page.get_textpage()
                    try:
                        raw = textpage.get_text_range()
                    finally:
                        textpage.close()
                    text = clean_page_text(raw)
                    if text and images:
                        out.jobs.extend(_image_jobs(page, data, index))
                    elif not text and ocr is not None:
                        out.jobs.append(_page_job(page, data, index, ocr.page_side))
                finally:
                    page.close()
            except Exception:  # noqa: BLE001 - one bad page must not lose the file
                broken.append(number)
                continue
            if not text:
                empty.append(number)
                continue
            out.segments.append(Segment(path, ordinal, Locator(page=number), text))
            ordinal += 1
    finally:
        pdf.close()
    out.meta["pages_without_text"] = empty
    state = {"path": path, "empty": empty, "broken": broken}
    out.finish = lambda done: _finish(done, **state)
    if not out.jobs:
        _finish(out, **state)
        out.finish = None
    return out


def _finish(out: Extracted, *, path: str, empty: list[int], broken: list[int]) -> None:
    """After OCR: which pages still lack text, and why (issues), or the file error."""
    jobs = {j.base.page: j for j in out.jobs if j.kind == "page"}
    unread: dict[tuple[str, str], list[int]] = {}
    blank: list[int] = []
    for number in empty:
        job = jobs.get(number)
        if job is None:
            unread.setdefault(("text recognition (OCR) is off", "未启用文字识别（OCR）"), []).append(number)
        elif job.outcome == "empty":
            blank.append(number)
        elif job.outcome != "text":
            unread.setdefault((job.reason, job.reason_zh), []).append(number)
    if not out.segments:
        if broken and not empty:
            raise ExtractError("corrupt PDF: no page could be read", rule="pdf-corrupt",
                               zh="PDF 损坏：没有任何一页可以读取")
        if unread:
            (en, zh), _ = next(iter(unread.items()))
            raise ExtractError(f"no text layer and the pages could not be read by OCR: {en}", rule="pdf-no-text",
                               zh=f"PDF 没有文字层，扫描页也未能做文字识别（OCR）：{zh}")
        raise ExtractError("no text: no page has a text layer and OCR found no text in them", rule="pdf-no-text",
                           zh="PDF 没有文字：没有文字层，文字识别（OCR）也未识别出任何文字")
    for (en, zh), pages in unread.items():
        out.issues.append(_page_list_issue("pdf-pages-without-text", pages, path,
                                           f"{{n}} 页没有文字层，文字识别（OCR）未能读取（{zh}），需人工查看：",
                                           f"{{n}} page(s) without a text layer that OCR could not read ({en}); "
                                           "look at them: "))
    if blank:
        out.issues.append(_page_list_issue("ocr-no-text", blank, path,
                                           "{n} 页没有文字层，文字识别（OCR）也未识别出文字（空白页或纯图片）：",
                                           "{n} page(s) without a text layer in which OCR found no text "
                                           "(blank or picture only): ", severity="info"))
    if broken:
        out.issues.append(_page_list_issue("pdf-page-unreadable", broken, path,
                                           "{n} 页无法读取：", "{n} page(s) could not be read: "))
    out.meta["pages_ocr"] = sorted(n for n, j in jobs.items() if j.outcome == "text")


def _page_job(page: Any, data: bytes, index: int, side: int):
    """OCR job for a page without a text layer: rendered so its long side is ``side`` px."""
    from reviewer.ingest.ocr import ImageJob

    width, height = page.get_size()
    scale = max(0.25, min(4.0, side / max(width, height, 1.0)))
    return ImageJob(Locator(page=index + 1), render=lambda: _render_page(data, index, scale),
                    scale=scale, kind="page")


def _render_page(data: bytes, index: int, scale: float):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[index]
        try:
            return page.render(scale=scale).to_pil()
        finally:
            page.close()
    finally:
        pdf.close()


def _image_jobs(page: Any, data: bytes, index: int) -> list[Any]:
    """OCR jobs for the image objects of a page that has text (forms included, content order)."""
    import pypdfium2.raw as pdfium_c

    from reviewer.ingest.ocr import ImageJob

    jobs = []
    try:
        for k, obj in enumerate(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3), start=1):
            try:
                size = tuple(int(v) for v in obj.get_px_size())
            except Exception:  # noqa: BLE001 - an image without size is read and judged then
                size = None
            jobs.append(ImageJob(Locator(page=index + 1), image=f"image{k}", size=size,  # type: ignore[arg-type]
                                 render=lambda k=k: _image_object(data, index, k)))
    except Exception:  # noqa: BLE001 - a broken content stream loses its pictures, not the page's text
        pass
    return jobs


def _image_object(data: bytes, index: int, k: int):
    """The ``k``-th image object (1-based, as :func:`_image_jobs` counts) of page ``index``."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[index]
        try:
            for n, obj in enumerate(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3), start=1):
                if n == k:
                    return obj.get_bitmap(render=False).to_pil()
            raise LookupError(f"image object {k} of page {index + 1} is gone")
        finally:
            page.close()
    finally:
        pdf.close()


def _page_list_issue(rule: str, pages: list[int], path: str, zh: str, en: str, severity: str = "warning"):
    shown = ", ".join(str(p) for p in pages[:LIST_PAGES]) + (" …" if len(pages) > LIST_PAGES else "")
    return issue(rule, severity, zh.format(n=len(pages)) + shown, en.format(n=len(pages)) + shown,
                 file=path, locator=Locator(page=pages[0]))


def extract_pdf_layout(data: bytes, pages: list[int] | None = None) -> dict[int, dict[str, Any]]:
    """Layout-aware reading with pdfplumber (slow; not used by the scan).

    Returns ``{page number: {"text": layout text, "tables": [[[cell, …], …], …],
    "words": [{"text", "x0", "top", "x1", "bottom"}, …]}}`` for the 1-based
    ``pages`` asked for (all pages when ``None``).
    """
    import io

    import pdfplumber

    result: dict[int, dict[str, Any]] = {}
    with pdfplumber.open(io.BytesIO(data)) as doc:
        wanted = pages or list(range(1, len(doc.pages) + 1))
        for number in wanted:
            if not 1 <= number <= len(doc.pages):
                continue
            page = doc.pages[number - 1]
            result[number] = {
                "text": page.extract_text(layout=True) or "",
                "tables": page.extract_tables() or [],
                "words": [
                    {k: w[k] for k in ("text", "x0", "top", "x1", "bottom")}
                    for w in page.extract_words()
                ],
            }
    return result
