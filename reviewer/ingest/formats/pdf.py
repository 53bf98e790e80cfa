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

Failures: an encrypted file ("encrypted"), a file PDFium cannot parse
("corrupt PDF: …"), a document without pages, and a document whose pages all
lack a text layer ("no text layer: scanned pages need OCR") are file errors.
Some pages without text give one warning listing them.
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


def read_pdf(data: bytes, path: str) -> Extracted:
    """Read a PDF's text layer page by page."""
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
                finally:
                    page.close()
            except Exception:  # noqa: BLE001 - one bad page must not lose the file
                broken.append(number)
                continue
            text = clean_page_text(raw)
            if not text:
                empty.append(number)
                continue
            out.segments.append(Segment(path, ordinal, Locator(page=number), text))
            ordinal += 1
    finally:
        pdf.close()
    if not out.segments:
        if broken and not empty:
            raise ExtractError("corrupt PDF: no page could be read", rule="pdf-corrupt",
                               zh="PDF 损坏：没有任何一页可以读取")
        raise ExtractError("no text layer: scanned pages need OCR", rule="pdf-no-text",
                           zh="PDF 没有文字层：扫描页需要先做文字识别（OCR）")
    if empty:
        out.issues.append(_page_list_issue("pdf-pages-without-text", empty, path,
                                           "{n} 页没有文字层（可能是扫描或纯图片页，需要 OCR 才能检查）：",
                                           "{n} page(s) without a text layer (scanned or image-only; need OCR to be checked): "))
    if broken:
        out.issues.append(_page_list_issue("pdf-page-unreadable", broken, path,
                                           "{n} 页无法读取：", "{n} page(s) could not be read: "))
    out.meta["pages_without_text"] = empty
    return out


def _page_list_issue(rule: str, pages: list[int], path: str, zh: str, en: str):
    shown = ", ".join(str(p) for p in pages[:LIST_PAGES]) + (" …" if len(pages) > LIST_PAGES else "")
    return issue(rule, "warning", zh.format(n=len(pages)) + shown, en.format(n=len(pages)) + shown,
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
