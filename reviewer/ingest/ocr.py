"""Text in pictures: OCR and QR codes, offline (room: ingest).

Readers do not look at pixels themselves.  A reader that meets a picture — a
PDF page without a text layer, an image on a slide, in a Word document or on
a PDF page, an image file — adds an :class:`ImageJob` to its result; after the
reader returns, :func:`run_jobs` works through the jobs one by one, yielding
after each so the scan shows progress and can be cancelled between two
pictures.  Every recognised line becomes a :class:`~reviewer.ingest.model.Segment`
whose locator says ``source="ocr"`` (with the picture's name, the line's box
and the recogniser's confidence); every decoded QR code becomes one with
``source="qr"`` (see :mod:`reviewer.ingest.qr`).  Checks read them like any
other text.

The engine is RapidOCR (``rapidocr-onnxruntime``): PP-OCRv4 Chinese/English
detection and recognition models inside the wheel, run by onnxruntime — no
model is downloaded, nothing goes over the network.  It is imported only when
a file has a picture to read (a text-only course never loads it), then kept
for the process.  Results are cached by the picture's digest: in memory for
the process and, unless :attr:`OcrOptions.cache` is ``None``, on disk in
``cache_dir()/ocr`` (the same logo on every slide is read once; a re-scan of
a changed deck reads only its new pictures).

Limits (:class:`OcrOptions`): pictures smaller than an icon are skipped; a
picture over ``max_pixels`` is refused before it is decoded (a decompression
bomb); at most ``max_pages`` rendered pages and ``max_pictures`` embedded
pictures are read per file.  Whatever could not be read says why.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Generator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from reviewer.ingest.formats.detect import IMAGE_EXT
from reviewer.ingest.model import IngestIssue, Locator, Segment

__all__ = ["IMAGE_EXT", "ImageJob", "OcrLine", "OcrOptions", "PictureError", "QrCode", "Unavailable",
           "available", "recognise", "run_jobs"]

if TYPE_CHECKING:  # pragma: no cover
    from PIL.Image import Image

    from reviewer.ingest.formats.base import Extracted

#: The install hint shown when the OCR engine is missing.
OCR_PACKAGE = "rapidocr-onnxruntime"


@dataclass(frozen=True)
class OcrOptions:
    """What pictures are read and how far (the defaults suit real courses)."""

    enabled: bool = True  # read text in pictures (OCR)
    qr: bool = True  # decode QR codes in pictures
    embedded: bool = True  # also pictures inside documents (off: only pages without text and image files)
    min_side: int = 16  # px: a picture narrower or lower than this is an icon, not read
    min_area: int = 3_000  # px²: likewise (bullets, rules, 40×40 logos)
    max_pixels: int = 40_000_000  # a picture over this is refused before decoding (bomb)
    max_pages: int = 300  # rendered pages without a text layer read per PDF
    max_pictures: int = 200  # embedded pictures read per file
    page_side: int = 1600  # px: long side a page without text is rendered at
    cache: str | None = "default"  # folder of the disk cache; "default": cache_dir()/ocr; None: memory only

    @property
    def active(self) -> bool:
        return self.enabled or self.qr


class OcrLine(NamedTuple):
    text: str
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in the picture's pixels
    confidence: float


class QrCode(NamedTuple):
    text: str
    box: tuple[int, int, int, int]


class PictureError(Exception):
    """A picture that can't be read: ``rule`` names the issue, messages in both languages."""

    def __init__(self, rule: str, en: str, zh: str):
        super().__init__(en)
        self.rule, self.en, self.zh = rule, en, zh


class Unavailable(Exception):
    """The OCR or QR library is not installed (or fails to load)."""


# ------------------------------------------------------------------ jobs

@dataclass(slots=True)
class ImageJob:
    """One picture a reader wants read.

    ``base`` is the place in the file (``Locator(slide=3)``, ``Locator(page=5)``,
    ``Locator()`` for an image file); ``image`` the picture's name there (``None``
    for a rendered page or the image file itself).  Either ``data`` holds the
    encoded picture (PNG, JPEG …) or ``render()`` produces it decoded (PDF pages
    and PDF image objects).  ``scale`` divides the boxes (a page rendered at 2×
    reports boxes in PDF points).  ``kind`` is ``"page"`` for a page without a
    text layer, ``"picture"`` otherwise.  :func:`run_jobs` sets ``outcome``
    (``text``, ``empty``, ``skipped``, ``failed``, ``unavailable``) and, unless
    the picture gave text, ``reason`` (English) and ``reason_zh``.
    """

    base: Locator
    image: str | None = None
    data: bytes | None = None
    render: Callable[[], "Image"] | None = None
    size: tuple[int, int] | None = None  # pixel size when known before decoding
    scale: float = 1.0
    kind: str = "picture"
    outcome: str = ""
    reason: str = ""
    reason_zh: str = ""
    rule: str = ""
    lines: int = 0
    codes: int = 0


# ------------------------------------------------------------------ engines

_LOCK = threading.Lock()
_ENGINE: Any = None  # the recogniser, once loaded (tests may put a stand-in here)
_ENGINE_ERROR: str | None = None


def engine_tag() -> str:
    """What shapes OCR output (engine version and our parameters): part of cache keys."""
    try:
        from importlib.metadata import version

        ver = version(OCR_PACKAGE)
    except Exception:  # noqa: BLE001
        ver = "?"
    return f"rapidocr-{ver}-det-max960-nocls-v1"


def available() -> tuple[bool, bool]:
    """``(OCR engine installed, QR decoder installed)``, without importing either."""
    from importlib.util import find_spec

    return find_spec("rapidocr_onnxruntime") is not None, find_spec("zxingcpp") is not None


def _engine() -> Any:
    """The recogniser, loaded on first use; :class:`Unavailable` when it can't be."""
    global _ENGINE, _ENGINE_ERROR
    if _ENGINE is not None:
        return _ENGINE
    if _ENGINE_ERROR is not None:
        raise Unavailable(_ENGINE_ERROR)
    with _LOCK:
        if _ENGINE is None and _ENGINE_ERROR is None:
            try:
                import logging

                from rapidocr_onnxruntime import RapidOCR

                # det limit "max 960": pictures are not blown up to 736 px on their
                # short side (a 584×132 logo took 0.7 s that way, 0.02 s this way).
                _ENGINE = RapidOCR(det_limit_type="max", det_limit_side_len=960, print_verbose=False)
                logging.getLogger("RapidOCR").setLevel(logging.ERROR)
            except Exception as exc:  # noqa: BLE001 - missing, or a broken onnxruntime
                _ENGINE_ERROR = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
    if _ENGINE is None:
        raise Unavailable(_ENGINE_ERROR or "not installed")
    return _ENGINE


def recognise(picture: "Image") -> list[OcrLine]:
    """Text lines in an RGB picture, in reading order (top to bottom, left to right)."""
    engine = _engine()
    with _LOCK:  # one recognition at a time: the sessions are shared by threads
        result, _ = engine(picture, use_cls=False)
    lines = []
    for box, text, score in result or []:
        text = str(text).strip()
        if not text:
            continue
        xs = [float(p[0]) for p in box]
        ys = [float(p[1]) for p in box]
        lines.append(OcrLine(text, (int(min(xs)), int(min(ys)), int(round(max(xs))), int(round(max(ys)))),
                             round(float(score), 3)))
    return lines


# ------------------------------------------------------------------ cache

_MEMORY: OrderedDict[str, Any] = OrderedDict()
_MEMORY_MAX = 2048


def _cache_folder(options: OcrOptions) -> Path | None:
    if options.cache is None:
        return None
    try:
        if options.cache == "default":
            from reviewer.paths import cache_dir

            folder = cache_dir() / "ocr"
        else:
            folder = Path(options.cache)
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    except OSError:
        return None  # an unusable cache folder only costs time


def _cache_get(options: OcrOptions, key: str) -> Any:
    if key in _MEMORY:
        _MEMORY.move_to_end(key)
        return _MEMORY[key]
    folder = _cache_folder(options)
    if folder is None:
        return None
    path = folder / key[:2] / f"{key}.json"
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    _remember(key, value)
    return value


def _cache_put(options: OcrOptions, key: str, value: Any) -> None:
    _remember(key, value)
    folder = _cache_folder(options)
    if folder is None:
        return
    from reviewer.files import write_atomic

    try:
        (folder / key[:2]).mkdir(exist_ok=True)
        write_atomic(folder / key[:2] / f"{key}.json",
                     json.dumps(value, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass


def _remember(key: str, value: Any) -> None:
    _MEMORY[key] = value
    _MEMORY.move_to_end(key)
    while len(_MEMORY) > _MEMORY_MAX:
        _MEMORY.popitem(last=False)


def _key(digest: str, what: str, tag: str) -> str:
    return hashlib.sha256(f"{digest}\x1f{what}\x1f{tag}".encode()).hexdigest()


# ------------------------------------------------------------------ pictures

def picture_size(data: bytes) -> tuple[int, int]:
    """The pixel size an encoded picture declares (its header only); :class:`PictureError`."""
    import io
    import warnings

    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as im:
                return im.size
    except Image.DecompressionBombError as exc:  # Pillow's own cap (2 × 89 megapixels) met first
        import re

        found = re.search(r"\((\d+) pixels\)", str(exc))
        pixels = int(found.group(1)) if found else 0
        raise PictureError("image-too-large",
                           f"image of {pixels / 1e6:.0f} megapixels refused unread (decompression bomb?)",
                           f"图片 {pixels / 1e6:.0f} 百万像素，未读取即拒绝（疑似解压炸弹）") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise _corrupt(exc) from None


def _corrupt(exc: BaseException) -> PictureError:
    reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
    return PictureError("image-corrupt", f"corrupt or unsupported image: {reason}",
                        f"图片损坏或格式不受支持：{reason}")


def _too_large(w: int, h: int, cap: int) -> PictureError:
    mp, cap_mp = w * h / 1e6, cap / 1e6
    return PictureError("image-too-large",
                        f"image of {w}×{h} px ({mp:.0f} megapixels) refused: over the {cap_mp:.0f}-megapixel limit "
                        "(decompression bomb?)",
                        f"图片 {w}×{h} 像素（{mp:.0f} 百万像素）超过 {cap_mp:.0f} 百万像素上限，已拒绝（疑似解压炸弹）")


def decode_picture(data: bytes, options: OcrOptions) -> "Image":
    """An encoded picture → RGB on white (transparency flattened); refuses bombs first."""
    import io
    import warnings

    from PIL import Image, UnidentifiedImageError

    w, h = picture_size(data)
    if w * h > options.max_pixels:
        raise _too_large(w, h, options.max_pixels)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            im = Image.open(io.BytesIO(data))
            im.seek(0)  # an animated GIF: its first frame
            im.load()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError,
            Image.DecompressionBombError) as exc:
        raise _corrupt(exc) from None
    return flatten(im)


def flatten(im: "Image") -> "Image":
    """RGB, transparent parts on white (black text on a transparent PNG stays readable)."""
    from PIL import Image

    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        white = Image.new("RGB", rgba.size, "white")
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    if im.mode != "RGB":
        return im.convert("RGB")
    return im


def _small(w: int, h: int, options: OcrOptions) -> bool:
    return min(w, h) < options.min_side or w * h < options.min_area


# ------------------------------------------------------------------ running the jobs

@dataclass
class _Summary:
    pictures: int = 0
    read: int = 0
    lines: int = 0
    codes: int = 0
    empty: int = 0
    not_read: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def note(self, reason: str) -> None:
        self.reasons[reason] = self.reasons.get(reason, 0) + 1


def run_jobs(path: str, out: "Extracted", options: OcrOptions) -> Generator[tuple[int, int], None, None]:
    """Read the pictures of ``out.jobs``, adding their segments to ``out``; yields
    ``(done, total)`` after each picture.  Never raises for a picture: its job
    records why it gave no text.  Closing the generator stops between two pictures."""
    jobs = out.jobs
    total = len(jobs)
    ocr_ok, qr_ok = available()
    want_ocr, want_qr = options.enabled and ocr_ok, options.qr and qr_ok
    tag = engine_tag()
    pages = pictures = 0
    new: list[Segment] = []
    for done, job in enumerate(jobs, start=1):
        if job.outcome:  # decided by the reader (a vector picture)
            yield done, total
            continue
        if job.kind == "page":
            pages += 1
            over = pages > options.max_pages
            limit = options.max_pages
        else:
            pictures += 1
            over = pictures > options.max_pictures
            limit = options.max_pictures
        if over:
            _skip(job, "ocr-limit", f"over the limit of {limit} per file", f"超过每个文件 {limit} 个的上限")
        elif not (want_ocr or want_qr):
            what = OCR_PACKAGE if options.enabled else "zxing-cpp"
            job.outcome, job.rule = "unavailable", "ocr-unavailable"
            job.reason = f"OCR engine not installed (pip install {what})"
            job.reason_zh = f"未安装文字识别引擎（pip install {what}）"
        else:
            _one(path, job, options, want_ocr, want_qr, tag, new)
        yield done, total
    _merge(out, new)
    out.issues.extend(picture_issues(path, [j for j in jobs if j.kind == "picture"]))
    out.meta["ocr"] = summary(jobs)


def _skip(job: ImageJob, rule: str, en: str, zh: str) -> None:
    job.outcome, job.rule, job.reason, job.reason_zh = "skipped", rule, en, zh


def _one(path: str, job: ImageJob, options: OcrOptions, want_ocr: bool, want_qr: bool, tag: str,
         new: list[Segment]) -> None:
    try:
        digest = hashlib.sha256(job.data).hexdigest() if job.data is not None else None
        size = job.size
        if size is None and job.data is not None:
            size = picture_size(job.data)
        if size is not None:
            if size[0] * size[1] > options.max_pixels:
                raise _too_large(size[0], size[1], options.max_pixels)
            if _small(size[0], size[1], options):
                _skip(job, "image-small", "icon-sized picture", "图标大小的图片")
                return
        picture = None
        lines = codes = None
        if digest is not None:
            lines = _cache_get(options, _key(digest, "ocr", tag)) if want_ocr else []
            codes = _cache_get(options, _key(digest, "qr", _qr_tag())) if want_qr else []
        if lines is None or codes is None:
            picture = decode_picture(job.data, options) if job.data is not None else flatten(job.render())
            if _small(picture.width, picture.height, options):
                _skip(job, "image-small", "icon-sized picture", "图标大小的图片")
                return
            if digest is None:  # a rendered page or PDF image: digest of its pixels
                digest = hashlib.sha256(f"{picture.size}".encode() + picture.tobytes()).hexdigest()
                lines = _cache_get(options, _key(digest, "ocr", tag)) if want_ocr else []
                codes = _cache_get(options, _key(digest, "qr", _qr_tag())) if want_qr else []
            if codes is None:
                from reviewer.ingest.qr import decode

                codes = [list(c) for c in decode(picture)]
                _cache_put(options, _key(digest, "qr", _qr_tag()), codes)
            if lines is None:
                lines = [list(ln) for ln in recognise(picture)]
                _cache_put(options, _key(digest, "ocr", tag), lines)
    except PictureError as exc:
        job.outcome, job.rule, job.reason, job.reason_zh = "failed", exc.rule, exc.en, exc.zh
        return
    except Unavailable as exc:
        job.outcome, job.rule = "unavailable", "ocr-unavailable"
        job.reason = f"OCR engine could not be loaded: {exc}"
        job.reason_zh = f"文字识别引擎无法加载：{exc}"
        return
    except Exception as exc:  # noqa: BLE001 - a picture that breaks a library must not stop the scan
        reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:160]
        job.outcome, job.rule = "failed", "image-unreadable"
        job.reason, job.reason_zh = f"picture could not be read: {reason}", f"图片无法读取：{reason}"
        return
    scale = job.scale or 1.0

    def box(raw: Any) -> tuple[int, int, int, int]:
        return tuple(int(round(v / scale)) for v in raw)  # type: ignore[return-value]

    for n, (text, raw, score) in enumerate(lines, start=1):
        new.append(Segment(path, 0, replace(job.base, line=n, source="ocr", image=job.image, box=box(raw),
                                            confidence=float(score)), text))
    for n, (text, raw) in enumerate(codes, start=1):
        new.append(Segment(path, 0, replace(job.base, line=n, source="qr", image=job.image, box=box(raw)), text))
    job.lines, job.codes = len(lines), len(codes)
    if lines or codes:
        job.outcome = "text"
    else:
        job.outcome = "empty"
        job.reason, job.reason_zh = "no text found in the picture", "图片中未识别出文字"


def _qr_tag() -> str:
    try:
        from importlib.metadata import version

        return f"zxing-cpp-{version('zxing-cpp')}-v1"
    except Exception:  # noqa: BLE001
        return "zxing-cpp-?"


def _unit(loc: Locator) -> tuple[int, int]:
    return (loc.page or loc.slide or loc.paragraph or loc.cue or (0 if loc.source else loc.line) or 0,
            1 if loc.notes else 0)


def _merge(out: "Extracted", new: list[Segment]) -> None:
    """Picture text after the text of its page/slide/paragraph, before speaker notes; ordinals renumbered."""
    if not new:
        return
    ranked = [(_unit(s.locator), 0, i, s) for i, s in enumerate(out.segments)]
    ranked += [(_unit(s.locator), 1, i, s) for i, s in enumerate(new)]
    ranked.sort(key=lambda t: (t[0], t[1], t[2]))
    out.segments = []
    for ordinal, (_, _, _, seg) in enumerate(ranked):
        seg.ordinal = ordinal
        out.segments.append(seg)


def summary(jobs: list[ImageJob]) -> dict[str, Any]:
    """What the pictures of a file gave: counts, and why the others gave nothing (for ``meta["ocr"]``)."""
    s = _Summary(pictures=len(jobs))
    for job in jobs:
        s.lines += job.lines
        s.codes += job.codes
        if job.outcome == "text":
            s.read += 1
        elif job.outcome == "empty":
            s.empty += 1
        elif job.rule != "image-small":
            s.not_read += 1
        if job.outcome != "text" and job.reason:
            s.note(job.reason)
    # Per page/slide: what its pictures gave (the completeness check says why a unit has no text).
    units: dict[int, list[ImageJob]] = {}
    for job in jobs:
        n = job.base.page or job.base.slide
        if n:
            units.setdefault(n, []).append(job)
    empty_units = sorted(n for n, js in units.items()
                         if all(j.outcome in ("empty", "skipped") and j.rule in ("", "image-small") for j in js))
    unread_units = {str(n): next({"en": j.reason, "zh": j.reason_zh} for j in js
                                 if j.outcome in ("failed", "unavailable", "skipped") and j.rule != "image-small")
                    for n, js in units.items()
                    if not any(j.outcome == "text" for j in js)
                    and any(j.outcome in ("failed", "unavailable", "skipped") and j.rule != "image-small" for j in js)}
    return {"pictures": s.pictures, "read": s.read, "lines": s.lines, "qr": s.codes, "empty": s.empty,
            "not_read": s.not_read, "reasons": s.reasons, "empty_units": empty_units,
            "unread_units": unread_units}


#: How many places an issue about several pictures names.
LIST_PLACES = 5


def picture_issues(path: str, jobs: list[ImageJob]) -> list[IngestIssue]:
    """One issue per kind of failure among a document's embedded pictures (not icons, not empty ones)."""
    from reviewer.ingest.formats.base import issue

    groups: dict[str, list[ImageJob]] = {}
    for job in jobs:
        if job.outcome in ("failed", "unavailable") or (job.outcome == "skipped" and job.rule == "ocr-limit"):
            groups.setdefault(job.rule, []).append(job)
    out = []
    for rule, items in groups.items():
        first = items[0]
        places = "; ".join(_place(j, "en") for j in items[:LIST_PLACES]) + (" …" if len(items) > LIST_PLACES else "")
        places_zh = "；".join(_place(j, "zh") for j in items[:LIST_PLACES]) + (" …" if len(items) > LIST_PLACES else "")
        severity = "info" if rule == "ocr-limit" else "warning"
        out.append(issue(rule, severity,
                         f"{len(items)} 张图片未能识别文字（{first.reason_zh}）：{places_zh}",
                         f"{len(items)} picture(s) not read ({first.reason}): {places}",
                         file=path, locator=first.base if first.base.kind != "file" else None))
    return out


def _place(job: ImageJob, lang: str) -> str:
    where = job.base.label(lang) if job.base.kind != "file" else ""
    return " · ".join(p for p in (where, job.image or "") if p) or ("整个文件" if lang == "zh" else "whole file")
