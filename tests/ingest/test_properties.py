"""Property tests: readers never crash on arbitrary input and keep their invariants."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer.ingest.digest import package_digest
from reviewer.ingest.formats.base import ExtractError
from reviewer.ingest.formats.subtitles import read_srt, read_vtt
from reviewer.ingest.formats.text import split_long
from reviewer.ingest.package import read_file

_srt_lines = st.lists(st.one_of(
    st.just(""), st.just("1"), st.just("42"), st.just("WEBVTT"), st.just("NOTE x"),
    st.just("00:00:01,000 --> 00:00:02,000"), st.just("00:01.5 --> 00:00.2 align:start"),
    st.just("banana --> x"), st.just("<i>斜体</i>"), st.text(max_size=30),
), max_size=40)


@settings(max_examples=150, deadline=None)
@given(_srt_lines)
def test_subtitle_parser_never_crashes_and_numbers_cues(lines):
    data = "\n".join(lines).encode("utf-8", errors="ignore")
    for reader in (read_srt, read_vtt):
        try:
            out = reader(data, "x")
        except ExtractError as exc:  # the documented failure: text with NULs is not text
            assert "\x00" in data.decode("utf-8") and exc.rule == "text-undecodable"
            continue
        assert [s.ordinal for s in out.segments] == list(range(len(out.segments)))
        cues = [s.locator.cue for s in out.segments if s.locator.cue is not None]
        assert cues == sorted(set(cues))
        assert all(i.severity == "warning" for i in out.issues)
        assert all(len(s.norm) == len(s.text) for s in out.segments)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=9000), st.integers(min_value=250, max_value=3000))
def test_split_long_loses_nothing(line, limit):
    pieces = split_long(line, limit)
    assert "".join(pieces) == line
    assert all(0 < len(p) <= limit for p in pieces) or line == ""


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600), st.sampled_from(["a.txt", "a.md", "a.srt", "a.vtt", "a.pdf", "a.docx",
                                                  "a.pptx", "a.bin", "noext"]))
def test_read_file_never_raises(data, name):
    record = read_file(data, name)
    assert record.status in ("ok", "error")
    if record.status == "error":
        assert record.error and "\n" not in record.error
        assert record.issues and record.issues[0].severity == "error"


@given(st.lists(st.tuples(st.text(min_size=1, max_size=20), st.text("0123456789abcdef", min_size=64,
                                                                       max_size=64)), max_size=8))
def test_digest_ignores_input_order(entries):
    assert package_digest(entries) == package_digest(list(reversed(entries)))
