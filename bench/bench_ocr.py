#!/usr/bin/env python3
"""Benchmark OCR (room: bench — prints figures, asserts nothing).

* ``deck``      a 20-page image-only slide deck (each page a rendered picture of
                slide text, Chinese and English), read cold with the disk cache
                off: engine load, seconds per page, pages per second;
* ``deck-warm`` the same deck again with the cache warm (a re-scan of an edited deck);
* ``text-pdf``  the large course's 300-page slide PDF (text layer, no pictures) with
                OCR on and off: OCR must cost nothing where there is text;
* ``corpus``    (``--corpus``) every PDF page and picture of ../shared/corpus: how many
                give text, how many give a reason, how many neither (must be 0).

Target (issue 9): ≤ 1 s per page on this 2-core machine; the text PDF no slower.
Run ``python bench/bench_ocr.py [--pages 20] [--corpus]``.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

LINES = [
    "第{n}讲  图的遍历与最短路径",
    "• 深度优先搜索 DFS：递归或显式栈，时间复杂度 O(n+e)",
    "• 广度优先搜索 BFS：队列，按层访问，求无权图最短路径",
    "• Dijkstra algorithm: non-negative weights, priority queue",
    "• 课后习题：第 {n} 章 3、5、7 题，下周三前提交",
]


def image_deck(pages: int) -> bytes:
    from fpdf import FPDF
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(CJK_FONT), 30)
    pdf = FPDF(orientation="L", unit="pt", format=(540, 960))
    for n in range(1, pages + 1):
        im = Image.new("L", (1600, 900), 255)
        draw = ImageDraw.Draw(im)
        for i, line in enumerate(LINES):
            draw.text((80, 80 + i * 110), line.format(n=n), fill=0, font=font)
        buf = io.BytesIO()
        im.save(buf, format="PNG")
        pdf.add_page()
        pdf.image(buf, x=0, y=0, w=960)
    return bytes(pdf.output())


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def bench_deck(pages: int) -> None:
    from reviewer.ingest import ocr
    from reviewer.ingest.ocr import OcrOptions
    from reviewer.ingest.package import read_file

    data = image_deck(pages)
    load, _ = timed(ocr._engine)
    cold, record = timed(lambda: read_file(data, "deck.pdf", ocr=OcrOptions(cache=None)))
    lines = sum(1 for s in record.segments if s.locator.source == "ocr")
    print(f"deck: {pages} image-only pages, engine load {load:.2f} s, "
          f"OCR {cold:.2f} s = {cold / pages:.2f} s/page ({pages / cold:.1f} pages/s), {lines} lines read")
    warm, _ = timed(lambda: read_file(data, "deck.pdf", ocr=OcrOptions(cache=None)))
    print(f"deck-warm: {warm:.2f} s ({warm / pages * 1000:.0f} ms/page: rendered and hashed, not recognised)")


def bench_text_pdf() -> None:
    from reviewer.ingest.ocr import OcrOptions
    from reviewer.ingest.package import read_file

    path = HERE / "out" / "large-course" / "slides" / "lectures.pdf"
    if not path.is_file():
        print("text-pdf: run bench/make_large_course.py first")
        return
    data = path.read_bytes()
    off = min(timed(lambda: read_file(data, "l.pdf", ocr=OcrOptions(enabled=False, qr=False)))[0] for _ in range(3))
    on = min(timed(lambda: read_file(data, "l.pdf", ocr=OcrOptions(cache=None)))[0] for _ in range(3))
    print(f"text-pdf: 300 pages with a text layer, OCR off {off:.3f} s, on {on:.3f} s (ratio {on / off:.2f})")


def bench_corpus() -> None:
    from reviewer.ingest.ocr import OcrOptions
    from reviewer.ingest.package import load_package

    corpus = ROOT.parent / "shared" / "corpus"
    if not corpus.is_dir():
        print("corpus: ../shared/corpus not found")
        return
    pages = with_text = reasons = 0
    pictures = pictures_text = pictures_reason = 0
    silent: list[str] = []
    start = time.perf_counter()
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        package = load_package(folder, ocr=OcrOptions(cache=None))
        for record in package.files:
            if record.format == "pdf" and record.status == "ok":
                lit = {s.locator.page for s in record.segments}
                listed = set()
                for issue in record.issues:
                    if issue.rule in ("pdf-pages-without-text", "ocr-no-text", "pdf-page-unreadable"):
                        tail = issue.message["en"].rsplit(": ", 1)[-1].rstrip(" …")
                        listed |= {int(n) for n in tail.split(", ") if n.isdigit()}
                for n in range(1, record.units + 1):
                    pages += 1
                    if n in lit:
                        with_text += 1
                    elif n in listed:
                        reasons += 1
                    else:
                        silent.append(f"{folder.name}/{record.path} p.{n}")
            meta = record.meta.get("ocr") if isinstance(record.meta.get("ocr"), dict) else None
            if meta:
                pictures += meta["pictures"]
                pictures_text += meta["read"]
                pictures_reason += meta["pictures"] - meta["read"]
    took = time.perf_counter() - start
    print(f"corpus: {pages} PDF pages: {with_text} with text, {reasons} with a reason, {len(silent)} neither; "
          f"{pictures} pictures: {pictures_text} gave text, {pictures_reason} a reason (empty, icon, vector, "
          f"limit); {took:.0f} s")
    for place in silent[:20]:
        print(f"  no text and no reason: {place}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--corpus", action="store_true", help="also every PDF page and picture of ../shared/corpus")
    args = ap.parse_args()
    if not CJK_FONT.is_file():
        print(f"missing font {CJK_FONT}: install fonts-wqy-microhei", file=sys.stderr)
        return 1
    bench_deck(args.pages)
    bench_text_pdf()
    if args.corpus:
        bench_corpus()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
