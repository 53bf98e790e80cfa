"""Text files: encodings detected, never garbled; lines located; long lines chunked."""

from __future__ import annotations

import codecs

import pytest

from reviewer.ingest.encoding import DecodeError, decode_text
from reviewer.ingest.formats.text import MAX_CHUNK, read_text, split_long
from reviewer.ingest.package import read_file

ZH = "第一讲 开源软件的历史\n第二讲 开源许可证：GPL 与 MIT\n"


@pytest.mark.parametrize("data, encoding", [
    (ZH.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + ZH.encode("utf-8"), "utf-8-sig"),
    (codecs.BOM_UTF16_LE + ZH.encode("utf-16-le"), "utf-16"),
    (codecs.BOM_UTF16_BE + ZH.encode("utf-16-be"), "utf-16"),
    (ZH.encode("gbk"), "gb18030"),
    (ZH.encode("gb18030"), "gb18030"),
    (ZH.encode("utf-16-le"), "utf-16-le"),  # no BOM
])
def test_decodes_chinese_in_every_supported_encoding(data, encoding):
    text, used = decode_text(data)
    assert text == ZH
    assert used == encoding


def test_bom_is_not_part_of_the_text():
    text, _ = decode_text(codecs.BOM_UTF8 + b"abc")
    assert text == "abc"


def test_legacy_western_text_is_not_garbled():
    text, encoding = decode_text("Café résumé naïve".encode("cp1252"))
    assert text == "Café résumé naïve"
    assert encoding == "cp1252"


def test_random_binary_is_refused_with_what_was_tried():
    import random

    rng = random.Random(7)
    junk = bytes(rng.randrange(256) for _ in range(2000))
    with pytest.raises(DecodeError, match=r"cannot decode text \(tried utf-8, utf-16, gb18030"):
        decode_text(junk)


def test_undecodable_file_is_a_file_error_with_reason():
    import random

    rng = random.Random(3)
    junk = bytes(rng.randrange(256) for _ in range(3000))
    record = read_file(junk, "notes/junk.txt")
    assert record.status == "error"
    assert record.error.startswith("cannot decode text (tried")
    assert record.issues[0].rule == "text-undecodable"
    assert record.issues[0].severity == "error"
    assert record.issues[0].message["zh"] and record.issues[0].message["en"]
    assert record.segments == []


def test_lines_located_and_blank_lines_skipped():
    out = read_text("title\r\n\r\n  \r\nsecond line\r\nthird\n".encode(), "a.md")
    assert [(s.locator.line, s.text) for s in out.segments] == [(1, "title"), (4, "second line"), (5, "third")]
    assert [s.ordinal for s in out.segments] == [0, 1, 2]
    assert all(s.file == "a.md" for s in out.segments)
    assert out.meta["encoding"] == "utf-8"


def test_long_line_split_keeps_line_number_and_all_text():
    words = " ".join(f"word{i}" for i in range(2000))  # ~17 KB on one line
    out = read_text(("intro\n" + words + "\n").encode(), "t.txt")
    chunks = [s for s in out.segments if s.locator.line == 2]
    assert len(chunks) > 5
    assert all(len(c.text) <= MAX_CHUNK for c in chunks)
    assert "".join(c.text for c in chunks) == words
    # cuts fall after spaces: no word is split
    assert all(c.text.endswith(" ") for c in chunks[:-1])


def test_split_long_without_break_characters_hard_cuts():
    pieces = split_long("x" * 4500)
    assert [len(p) for p in pieces] == [2000, 2000, 500]


def test_kangxi_radicals_are_folded_in_norm_only():
    out = read_text("⼤学课程 ⼀流\n".encode(), "k.txt")
    seg = out.segments[0]
    assert seg.text == "⼤学课程 ⼀流"
    assert seg.norm == "大学课程 一流"
    assert len(seg.norm) == len(seg.text)


def test_md_txt_and_tex_are_text_formats():
    assert read_file(b"# x\n", "syllabus/\u6559\u5b66\u5927\u7eb2.md.txt").format == "md"
    assert read_file(b"\\section{x}\n", "s.tex").format == "txt"
    record = read_file(b"Permission is granted\n", "LICENSE")
    assert record.format == "txt" and record.role == "other" and record.units == 1
