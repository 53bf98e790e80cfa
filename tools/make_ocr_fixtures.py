"""Pictures for the OCR and QR-code tests: ``tests/data/ocr/*.png``.

Text is rendered with the fonts the sample generator uses (fonts-wqy-microhei,
fonts-dejavu-core); the PNGs are committed, so the tests need neither font.
Run again only to change a picture:

    python tools/make_ocr_fixtures.py

Each picture is what a reviewer meets in a real package: a screenshot pasted
on a slide with a 刷课 advert and an ID number, a photographed notice (grey,
slightly rotated, noisy), an English "take my class" advert, a WeChat-group
QR code, and a photo without text.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "ocr"
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
LATIN_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

#: What each picture says (the tests read these lines back from OCR).
TEXTS = {
    "screenshot-advert.png": ["期末冲刺：代刷网课 包过 加微信 wk8899",
                              "学号 2021001 身份证 110105199903072413"],
    "photo-notice.png": ["关于期末考试安排的通知", "考试时间：第十八周 周三上午"],
    "advert-en.png": ["Take my online class for me?", "100% pass guaranteed, WhatsApp us"],
}
QR_TEXT = "https://weixin.qq.com/g/AbCdEf123"


def _qr(text: str, scale: int = 4):
    import numpy as np
    import zxingcpp
    from PIL import Image

    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode)
    return Image.fromarray(np.asarray(zxingcpp.write_barcode_to_image(code, scale=scale))).convert("RGB")


def _lines(size, lines, font_path, px, fill="black", bg="white"):
    from PIL import Image, ImageDraw, ImageFont

    im = Image.new("RGB", size, bg)
    draw = ImageDraw.Draw(im)
    font = ImageFont.truetype(str(font_path), px)
    for i, line in enumerate(lines):
        draw.text((30, 30 + i * int(px * 2)), line, fill=fill, font=font)
    return im


def build(out: Path = OUT) -> list[Path]:
    from PIL import Image, ImageFilter

    out.mkdir(parents=True, exist_ok=True)
    written = []

    im = _lines((900, 200), TEXTS["screenshot-advert.png"], CJK_FONT, 28)
    written.append(out / "screenshot-advert.png")
    im.convert("L").save(written[-1], optimize=True)

    rnd = random.Random(11)  # a photo: grey paper, a slight turn, noise, blur
    im = _lines((760, 190), TEXTS["photo-notice.png"], CJK_FONT, 30, fill=(40, 40, 40), bg=(214, 210, 200))
    im = im.rotate(2.0, resample=Image.BICUBIC, expand=True, fillcolor=(214, 210, 200))
    px = im.load()
    for _ in range(6000):
        x, y = rnd.randrange(im.width), rnd.randrange(im.height)
        v = rnd.randrange(150, 235)
        px[x, y] = (v, v, v)
    im = im.filter(ImageFilter.GaussianBlur(0.6))
    written.append(out / "photo-notice.png")
    im.convert("L").save(written[-1], optimize=True)

    im = _lines((820, 180), TEXTS["advert-en.png"], LATIN_FONT, 30)
    written.append(out / "advert-en.png")
    im.convert("L").save(written[-1], optimize=True)

    qr = _qr(QR_TEXT)
    canvas = Image.new("RGB", (qr.width + 60, qr.height + 60), "white")
    canvas.paste(qr, (30, 30))
    written.append(out / "wechat-group-qr.png")
    canvas.convert("1").save(written[-1], optimize=True)

    rnd = random.Random(5)  # a photo without text: soft colour blobs
    im = Image.new("RGB", (320, 240), (90, 140, 200))
    px = im.load()
    for y in range(240):
        for x in range(320):
            px[x, y] = (90 + x // 8, 140 + (y // 12), 200 - x // 10)
    im = im.filter(ImageFilter.GaussianBlur(3))
    written.append(out / "photo-no-text.jpg")
    im.save(written[-1], quality=70)
    return written


def main() -> int:
    for font in (CJK_FONT, LATIN_FONT):
        if not font.is_file():
            print(f"missing font {font}: install fonts-wqy-microhei / fonts-dejavu-core", file=sys.stderr)
            return 1
    for path in build():
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
