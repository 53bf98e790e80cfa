"""QR codes in pictures, through zxing-cpp (room: ingest).

A QR code on a slide or poster is where a 刷课 advert or a WeChat group lure
hides: :func:`decode` returns the text of every QR code (and Micro QR code) in
a picture with its box, so ingest can make it a segment the checks read (the
rules about WeChat/QQ group and shop links are data: ``lexicons/qr-links.yaml``).
zxing-cpp is a compiled wheel, imported only when a picture is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reviewer.ingest.ocr import QrCode, Unavailable

if TYPE_CHECKING:  # pragma: no cover
    from PIL.Image import Image

#: Longest decoded text kept (a QR code holds at most ~7,000 characters).
MAX_TEXT = 2000


def decode(picture: "Image") -> list[QrCode]:
    """QR codes in an RGB picture, top to bottom then left to right; ``[]`` when none."""
    try:
        import zxingcpp
    except ImportError as exc:
        raise Unavailable(f"zxing-cpp is not installed: {exc}") from None
    gray = picture.convert("L")
    qr, micro = zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.MicroQRCode
    try:  # zxing-cpp 3 takes a tuple of formats (and deprecates "|")
        codes = zxingcpp.read_barcodes(gray, formats=(qr, micro))
    except TypeError:  # zxing-cpp 2
        codes = zxingcpp.read_barcodes(gray, formats=qr | micro)
    found = []
    for code in codes:
        if hasattr(code, "valid") and not code.valid:
            continue
        text = "".join(ch for ch in (code.text or "") if ch.isprintable() or ch in "\n\t").strip()
        if not text:
            continue
        pos = code.position
        points = [pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left]
        xs = [p.x for p in points]
        ys = [p.y for p in points]
        found.append(QrCode(text[:MAX_TEXT], (min(xs), min(ys), max(xs), max(ys))))
    found.sort(key=lambda c: (c.box[1], c.box[0]))
    return found
