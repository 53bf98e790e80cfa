"""The sample courses are well-formed and their expectations are consistent (room: tests).

Checked independently of ``reviewer.ingest`` with the format libraries
themselves, then once more through the ingest API: every file the manifest lists
is on disk and nothing else is, PDFs carry a text layer with the expected
Chinese, subtitles parse with monotonic timing, and every seeded problem and
decoy in ``sample_courses/expected/`` points at text that is really there.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest
import yaml

from tests.samples import expectations as ex

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_courses"
PACKAGES = ("zh-data-structures", "en-intro-ml", "bi-computer-networks")
ROLES = {"syllabus", "transcript", "slides", "notes", "exam", "other"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def manifest(pkg: str) -> dict:
    return yaml.safe_load((SAMPLES / pkg / "course.yaml").read_text(encoding="utf-8"))


def files_of(pkg: str, role: str | None = None, suffix: str | None = None) -> list[Path]:
    out = []
    for entry in manifest(pkg)["files"]:
        path = SAMPLES / pkg / entry["path"]
        if (role is None or entry["role"] == role) and (suffix is None or path.suffix == suffix):
            out.append(path)
    return out


def pdf_pages(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


STAMP = re.compile(r"^(\d\d):(\d\d):(\d\d)[,.](\d{3}) --> (\d\d):(\d\d):(\d\d)[,.](\d{3})$")


def parse_subtitles(text: str, vtt: bool) -> list[tuple[int, int, int, list[str]]]:
    """A strict parser: (index, start ms, end ms, lines) per cue; raises on any defect."""
    blocks = text.replace("\r\n", "\n").strip("\n").split("\n\n")
    if vtt:
        if not blocks[0].startswith("WEBVTT"):
            raise ValueError("VTT file must start with WEBVTT")
        blocks = [b for b in blocks[1:] if not b.startswith("NOTE")]
    cues = []
    for block in blocks:
        lines = block.split("\n")
        if len(lines) < 3 or not lines[0].isdigit():
            raise ValueError(f"malformed cue block: {block[:40]!r}")
        m = STAMP.match(lines[1])
        if not m:
            raise ValueError(f"bad timing line {lines[1]!r}")
        g = [int(x) for x in m.groups()]
        start = ((g[0] * 60 + g[1]) * 60 + g[2]) * 1000 + g[3]
        end = ((g[4] * 60 + g[5]) * 60 + g[6]) * 1000 + g[7]
        cues.append((int(lines[0]), start, end, lines[2:]))
    return cues


# ------------------------------------------------------------------ manifests

@pytest.mark.parametrize("pkg", PACKAGES)
def test_manifest_lists_exactly_the_files_on_disk(pkg):
    m = manifest(pkg)
    listed = [f["path"] for f in m["files"]]
    assert len(listed) == len(set(listed)), "a file is listed twice"
    on_disk = {p.relative_to(SAMPLES / pkg).as_posix()
               for p in (SAMPLES / pkg).rglob("*") if p.is_file()}
    assert on_disk - {"course.yaml"} == set(listed)
    assert all(f["role"] in ROLES and f.get("title") for f in m["files"])


@pytest.mark.parametrize("pkg", PACKAGES)
def test_manifest_fields(pkg):
    m = manifest(pkg)
    assert m["id"] and m["title"]["zh"] and m["title"]["en"]
    assert m["institution"] and m["lecturers"] and m["responsible_teacher"] in m["lecturers"]
    assert m["language"] in ("zh", "en", "bilingual")
    assert re.fullmatch(r"20\d\d[春秋夏]", m["term"])
    assert dt.date.fromisoformat(m["date"]).year == 2025
    assert m["exam"]["by_university"] is True
    assert set(m["exam"]["supervision"]) == {"face-recognition", "dual-camera"}
    assert (SAMPLES / pkg / m["integrity_pledge"]).is_file()
    assert m["platform_security_level"] >= 3
    assert m["credit_hours"] > 0 and m["hours"] > 0
    roles = {f["role"] for f in m["files"]}
    assert {"syllabus", "transcript", "slides", "notes"} <= roles


def test_one_syllabus_per_format_across_the_samples():
    suffixes = sorted(p.suffix for pkg in PACKAGES for p in files_of(pkg, "syllabus"))
    assert suffixes == [".docx", ".md", ".pdf"]


# ------------------------------------------------------------------ file formats

#: Decks whose slides are pasted pictures on purpose (a screenshot with an advert, for OCR).
PICTURE_DECKS = {"第08讲-期末复习.pptx"}
#: PDFs made of scanned pages on purpose (their text is only in pictures, for OCR).
SCANNED = {"week07-scanned-handout.pdf"}


@pytest.mark.parametrize("pkg", PACKAGES)
def test_pdfs_have_a_text_layer_on_every_page(pkg):
    pdfs = [p for p in files_of(pkg) if p.suffix == ".pdf" and p.name not in SCANNED]
    assert pdfs
    for path in pdfs:
        pages = pdf_pages(path)
        assert pages and all(len(t.strip()) > 20 for t in pages), path.name


def test_the_scanned_handout_has_no_text_layer():
    [path] = [p for pkg in PACKAGES for p in files_of(pkg) if p.name in SCANNED]
    assert [t.strip() for t in pdf_pages(path)] == [""]


@pytest.mark.parametrize("pkg,needles", [
    ("zh-data-structures", ["散列表（哈希表）", "最小生成树", "邻接矩阵"]),
    ("bi-computer-networks", ["课程教学大纲", "数据链路层", "以太网"]),
])
def test_chinese_pdf_text_is_extractable(pkg, needles):
    text = "\n".join(t for p in files_of(pkg) if p.suffix == ".pdf" for t in pdf_pages(p))
    for needle in needles:
        assert needle in text


@pytest.mark.parametrize("pkg", PACKAGES)
def test_pptx_slides_have_titles_and_speaker_notes(pkg):
    from pptx import Presentation

    decks = [p for p in files_of(pkg, suffix=".pptx") if p.name not in PICTURE_DECKS]
    assert decks
    for path in decks:
        slides = list(Presentation(str(path)).slides)
        assert len(slides) >= 5
        for slide in slides:
            assert slide.shapes.title.text.strip()
            assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip()


def test_the_picture_deck_has_its_text_only_in_pictures():
    from pptx import Presentation

    [path] = [p for pkg in PACKAGES for p in files_of(pkg, suffix=".pptx") if p.name in PICTURE_DECKS]
    for slide in Presentation(str(path)).slides:
        texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame and sh.text_frame.text.strip()]
        assert texts == [slide.shapes.title.text]  # the title only: the rest is a picture
        assert [sh.shape_type for sh in slide.shapes if sh.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE


def test_docx_files_have_headings_and_fixed_dates():
    import docx

    paths = [p for pkg in PACKAGES for p in files_of(pkg, suffix=".docx")]
    assert len(paths) == 2
    for path in paths:
        document = docx.Document(str(path))
        assert any(p.style.name.startswith("Heading") for p in document.paragraphs)
        assert document.core_properties.created.year == 2025


@pytest.mark.parametrize("pkg", PACKAGES)
def test_subtitles_parse_with_monotonic_timing(pkg):
    subs = files_of(pkg, "transcript")
    assert len(subs) >= 3
    for path in subs:
        cues = parse_subtitles(path.read_text(encoding="utf-8"), vtt=path.suffix == ".vtt")
        assert len(cues) >= 20, path.name
        assert [c[0] for c in cues] == list(range(1, len(cues) + 1))
        for (_, s1, e1, lines), nxt in zip(cues, cues[1:] + [None]):
            assert 1_000 <= e1 - s1 <= 8_000 and lines
            if nxt:
                assert e1 <= nxt[1] <= e1 + 2_000  # no overlaps, no long gaps


def test_bilingual_srt_has_a_chinese_and_an_english_line_per_cue():
    for path in files_of("bi-computer-networks", "transcript"):
        for _, _, _, lines in parse_subtitles(path.read_text(encoding="utf-8"), vtt=False):
            assert len(lines) == 2
            assert CJK.search(lines[0]) and not CJK.search(lines[1]), lines


def test_strict_subtitle_parser_rejects_defects():
    good = "1\n00:00:01,000 --> 00:00:02,500\n你好\n"
    assert parse_subtitles(good, vtt=False) == [(1, 1000, 2500, ["你好"])]
    for bad in ("1\n00:00:01 --> 00:00:02\n你好\n", "x\n00:00:01,000 --> 00:00:02,500\n你好\n",
                "1\n00:00:01,000 --> 00:00:02,500\n"):
        with pytest.raises(ValueError):
            parse_subtitles(bad, vtt=False)
    with pytest.raises(ValueError):
        parse_subtitles(good, vtt=True)


# ------------------------------------------------------------------ seeded values

def gb11643_ok(number: str) -> bool:
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    total = sum(int(d) * w for d, w in zip(number[:17], weights))
    return "10X98765432"[total % 11] == number[17].upper()


def isbn13_ok(isbn: str) -> bool:
    digits = [int(c) for c in isbn if c.isdigit()]
    return len(digits) == 13 and sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10 == 0


def test_seeded_id_number_is_valid_and_the_order_number_is_not():
    exp = ex.load(SAMPLES / "expected" / "zh-data-structures.yaml")
    ids = [e["match"] for e in exp["findings"] if re.fullmatch(r"\d{17}[\dX]", e["match"])]
    orders = [d["text"] for d in exp["decoys"] if re.fullmatch(r"\d{18}", d["text"])]
    isbns = [d["text"] for d in exp["decoys"] if d["text"].startswith("978-")]
    assert ids and orders and isbns
    assert all(gb11643_ok(n) for n in ids)
    assert not any(gb11643_ok(n) for n in orders)
    assert all(isbn13_ok(n) for n in isbns)
    assert gb11643_ok("11010519491231002X")  # the standard's published example


# ------------------------------------------------------------------ expectations

def all_expectations():
    return [(pkg, ex.load(SAMPLES / "expected" / f"{pkg}.yaml")) for pkg in PACKAGES]


def test_every_package_has_an_expectations_file_and_nothing_else_is_there():
    names = sorted(p.name for p in (SAMPLES / "expected").iterdir())
    assert names == sorted(f"{pkg}.yaml" for pkg in PACKAGES)
    assert not any((SAMPLES / pkg / "expected").exists() for pkg in PACKAGES)


def test_seeded_problems_cover_what_the_issue_asks_for():
    seeds = [(pkg, e) for pkg, doc in all_expectations() for e in doc["findings"]]
    decoys = [d for _, doc in all_expectations() for d in doc["decoys"]]
    by_check = {}
    for pkg, e in seeds:
        by_check.setdefault(e["check"], set()).add(pkg)
    assert by_check["coverage"] == set(PACKAGES)  # an untaught topic in every course
    topics = [e for _, e in seeds if e["check"] == "coverage" and not e["match"].isdigit()]
    assert len(topics) == len(PACKAGES)
    cheating = [e for _, e in seeds if e.get("category") == "cheating-ads"]
    assert len({pkg for pkg, e in seeds if e.get("category") == "cheating-ads"}) == 3
    # one problem per course that only a picture holds: OCR on a slide, a scanned page, a QR code
    sources = {pkg: e["location"]["source"] for pkg, e in seeds if (e.get("location") or {}).get("source")}
    assert set(sources) == set(PACKAGES) and set(sources.values()) == {"ocr", "qr"}
    assert any(" " in e["match"] for e in cheating)  # the evasive variant
    assert any(e.get("category") == "advertising" for _, e in seeds)
    matches = " ".join(e["match"] for _, e in seeds)
    for needle in ("合同法", "GB/T 7714-2005", "Python 2", "Windows XP", "2015"):
        assert needle in matches
    texts = " ".join(d["text"] for d in decoys)
    for needle in ("替代考虑", "包过滤", "1969年", "Class", "Assessment", "替考活动"):
        assert needle in texts


@pytest.mark.parametrize("pkg", PACKAGES)
def test_expectations_point_at_text_that_is_there(pkg):
    sys.path.insert(0, str(ROOT))
    from tools.make_samples import units_of

    doc = ex.load(SAMPLES / "expected" / f"{pkg}.yaml")
    assert doc["package"] == pkg
    for entry in doc["findings"] + doc["decoys"]:
        path = SAMPLES / pkg / entry["file"]
        assert path.is_file(), entry["file"]
        needle = entry.get("match") or entry["text"]
        if "location" not in entry or "source" in entry["location"]:
            continue  # text in a picture: the ingest test below reads it by OCR
        units = [text for loc, text in units_of(path) if loc == entry["location"]]
        assert len(units) == 1 and needle in units[0], (entry["file"], entry["location"], needle)


@pytest.mark.parametrize("pkg", PACKAGES)
def test_expectations_agree_with_the_ingest_locators(pkg):
    from reviewer.ingest.package import load_package

    package = load_package(str(SAMPLES / pkg))
    assert not [i for i in package.issues if i.severity == "error"]
    assert all(f.status == "ok" and (f.units > 0 or f.format == "media") for f in package.files), \
        [(f.path, f.error) for f in package.files if f.status != "ok"]
    doc = ex.load(SAMPLES / "expected" / f"{pkg}.yaml")
    for entry in doc["findings"] + doc["decoys"]:
        if "location" not in entry:
            continue
        record = package.file(entry["file"])
        assert record is not None, entry["file"]
        needle = entry.get("match") or entry["text"]
        hits = [s for s in record.segments
                if all(s.locator.to_dict().get(k) == v for k, v in entry["location"].items())
                and needle in s.text]
        assert hits, (entry["file"], entry["location"], needle)


def test_manifest_topics_of_the_networks_course_include_the_untaught_one():
    topics = [t["title"] for t in manifest("bi-computer-networks")["topics"]]
    seeded = [e["match"] for e in ex.load(SAMPLES / "expected" / "bi-computer-networks.yaml")["findings"]
              if e["check"] == "coverage" and not e["match"].isdigit()]  # digits: declared hours
    assert seeded and all(any(s in t for t in topics) for s in seeded)


# ------------------------------------------------------------------ regeneration

BINARY = (".pdf", ".pptx", ".docx", ".png")


def _generate(out: Path) -> dict[str, bytes]:
    sys.path.insert(0, str(ROOT))
    from tools import make_samples

    if not make_samples.CJK_FONT.exists():
        pytest.skip(f"CJK font {make_samples.CJK_FONT} is not installed")
    assert make_samples.main(["--out", str(out)]) == 0
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_regenerating_gives_the_committed_content(tmp_path):
    """Text files byte for byte; PDF/PPTX/DOCX by their text at every location.

    (Their exact bytes depend on the fpdf2/python-pptx/python-docx versions, so
    a newer library in CI must not fail this test; the next one checks bytes.)
    """
    from tools.make_samples import units_of

    made = _generate(tmp_path)
    committed = {p.relative_to(SAMPLES).as_posix(): p.read_bytes() for p in SAMPLES.rglob("*") if p.is_file()}
    assert sorted(made) == sorted(committed)
    for name in made:
        if name.endswith(".png"):
            from PIL import Image

            with Image.open(tmp_path / name) as a, Image.open(SAMPLES / name) as b:
                assert a.size == b.size, name
        elif name.endswith(BINARY):
            assert units_of(tmp_path / name) == units_of(SAMPLES / name), name
        else:
            assert made[name] == committed[name], f"{name} differs from what the generator writes"


def test_generation_is_byte_for_byte_deterministic(tmp_path):
    first = _generate(tmp_path / "a")
    second = _generate(tmp_path / "b")
    assert first == second


def test_locate_refuses_missing_or_ambiguous_text():
    sys.path.insert(0, str(ROOT))
    from tools.make_samples import locate

    pkg = SAMPLES / "zh-data-structures"
    assert locate(pkg, "transcripts/第02讲-线性表.srt", "替代考虑") == {"cue": 9}
    with pytest.raises(SystemExit, match="found in 0 units"):
        locate(pkg, "transcripts/第02讲-线性表.srt", "不存在的文字")
    with pytest.raises(SystemExit, match="need exactly 1"):
        locate(pkg, "transcripts/第02讲-线性表.srt", "链表")
