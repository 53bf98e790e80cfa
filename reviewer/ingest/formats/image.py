"""Image files (room: ingest): text read by OCR, QR codes decoded.

An image file in the package (``.png .jpg .jpeg .bmp .gif .webp .tif``) is one
picture for :mod:`reviewer.ingest.ocr`: its recognised lines become segments
``Locator(line=k, source="ocr", box=…, confidence=…)`` and its QR codes
``Locator(line=k, source="qr", box=…)``.  Units: 1 (the picture).  Metadata:
``width``, ``height`` (from the header, before anything is decoded).

A file Pillow cannot read is an error ``image-corrupt``; one over the pixel
limit is refused unread, ``image-too-large`` (a decompression bomb).  A photo
without text is fine; an OCR engine that is not installed is a warning.
"""

from __future__ import annotations

from typing import Any

from reviewer.ingest.formats.base import Extracted, ExtractError, issue
from reviewer.ingest.model import Locator


def read_image(data: bytes, path: str, ocr: Any = None) -> Extracted:
    """One picture: its size now, its text after OCR (a job for :func:`reviewer.ingest.ocr.run_jobs`)."""
    from reviewer.ingest.ocr import ImageJob, OcrOptions, PictureError, picture_size

    options = ocr if ocr is not None else OcrOptions(enabled=False, qr=False)
    try:
        width, height = picture_size(data)
    except PictureError as exc:
        raise ExtractError(exc.en, rule=exc.rule, zh=exc.zh) from None
    out = Extracted(units=1, meta={"width": width, "height": height})
    if width * height > options.max_pixels:
        from reviewer.ingest.ocr import _too_large

        exc = _too_large(width, height, options.max_pixels)
        raise ExtractError(exc.en, rule=exc.rule, zh=exc.zh)
    if options.active:
        out.jobs.append(ImageJob(Locator(), data=data, size=(width, height), kind="file"))
        out.finish = lambda done: _finish(done, path)
    return out


def _finish(out: Extracted, path: str) -> None:
    [job] = out.jobs
    if job.outcome == "failed":
        raise ExtractError(job.reason, rule=job.rule, zh=job.reason_zh)
    if job.outcome == "unavailable":
        out.issues.append(issue("ocr-unavailable", "warning",
                                f"图片中的文字未能识别：{job.reason_zh}", f"text in the picture not read: {job.reason}",
                                file=path))
