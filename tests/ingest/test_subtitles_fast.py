"""The one-pass reading of well-formed SRT (``_parse_plain_srt``) gives the cues, the
defects and the header flag of the line-by-line reading, and steps aside for every
layout it does not cover, so each diagnostic is still reported at the same place."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer.ingest.formats import subtitles
from reviewer.ingest.formats.subtitles import parse_cues, read_srt


def _slow(text: str, monkeypatch: pytest.MonkeyPatch):
    with monkeypatch.context() as m:
        m.setattr(subtitles, "_parse_plain_srt", lambda lines: None)
        return parse_cues(text)


def _same(text: str, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Both readings agree on ``text``; True when the one-pass reading answered."""
    fast = parse_cues(text)
    slow = _slow(text, monkeypatch)
    as_tuples = lambda cues: [(c.ordinal, c.start, c.end, c.index_text, c.lines) for c in cues]  # noqa: E731
    assert as_tuples(fast[0]) == as_tuples(slow[0])
    assert fast[1].places == slow[1].places
    assert fast[2] == slow[2]
    return subtitles._parse_plain_srt(text.lstrip("\ufeff").splitlines()) is not None


def _cue(i: int, start: str = "00:00:01,000", end: str = "00:00:02,500", text: str = "你好 hello") -> str:
    return f"{i}\n{start} --> {end}\n{text}\n\n"


def test_a_well_formed_file_is_read_in_one_pass(monkeypatch):
    text = "\ufeff" + "".join(_cue(i) for i in range(1, 4))
    assert _same(text, monkeypatch)
    cues, defects, _ = parse_cues(text)
    assert [(c.ordinal, c.start, c.end, c.lines) for c in cues] == [
        (i, 1000, 2500, ["你好 hello"]) for i in (1, 2, 3)]
    assert defects.places == {}


@pytest.mark.parametrize("text,kind", [
    (_cue(1) + _cue(3) + _cue(4), "skipped-index"),
    (_cue(1) + _cue(7) + _cue(3), "mistyped-index"),
    (_cue(1) + _cue(2) + _cue(2), "index-out-of-order"),
    (_cue(1, "00:00:05,0", "00:00:04,0"), "end-before-start"),
    (_cue(1, "00:00:05,0", "00:00:06,0") + _cue(2, "00:00:01.5", "00:00:02.25"), "time-goes-back"),
])
def test_index_and_time_defects_come_from_the_one_pass_reading_too(text, kind, monkeypatch):
    assert _same(text, monkeypatch)
    cues, defects, _ = parse_cues(text)
    assert kind in defects.places


@pytest.mark.parametrize("text,kind", [
    ("00:00:01,000 --> 00:00:02,000\nno index\n\n" + _cue(2), "missing-index"),
    (_cue(1) + "stray words\n\n" + _cue(2), "stray-text"),
    (_cue(1) + "1\n00:00:0x --> 12\nbroken\n\n", "bad-timing"),
    ("1\n00:00:01,000 --> 00:00:02,000\n\n\n" + _cue(2), "empty-cue"),
    ("1\n00:00:01,000 --> 00:00:02,000\nline\n2\n00:00:03,000 --> 00:00:04,000\nnext\n", None),
    (_cue(1, text="a -> b") + _cue(2), None),
])
def test_other_layouts_are_read_line_by_line(text, kind, monkeypatch):
    assert not _same(text, monkeypatch)
    if kind is not None:
        out = read_srt(text.encode(), "t/x.srt")
        assert f"subtitle-{kind}" in {i.rule for i in out.issues}


LINES = st.sampled_from([
    "1", "2", "3", " 4 ", "12", "", " ", "\t", "00:00:01,000 --> 00:00:02,000",
    "00:00:03.5 --> 00:00:01.25 align:start", "1:02 -> 1:03", "0:0:5,5-->0:0:6 x -> y",
    "00:00:0x --> 1", "你好", "<i>hello</i>", "a -> b", "WEBVTT", "\ufeff1", "text\u2028more",
    "line\r", "２", "NOTE x",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(LINES, max_size=24), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_both_readings_agree_on_any_mix_of_lines(lines, newline, trailing):
    text = newline.join(lines) + (newline if trailing else "")
    with pytest.MonkeyPatch.context() as monkeypatch:
        _same(text, monkeypatch)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 99_999), st.integers(0, 99_999),
                          st.sampled_from(["你好", "a\nb", "<b>x</b>", " y ", "1"])), min_size=1, max_size=12),
       st.sampled_from(["\n", "\n\n", "\n \n\n"]))
def test_well_formed_files_agree_and_take_the_one_pass(cues, gap):
    def stamp(ms: int) -> str:
        return f"00:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"

    text = "".join(f"{i}\n{stamp(a)} --> {stamp(b)}\n{t}\n{gap}" for i, a, b, t in cues)
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert _same(text, monkeypatch)
