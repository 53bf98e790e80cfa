"""SRT/VTT: tolerant parsing, cue locators, defects aggregated as warnings."""

from __future__ import annotations

import codecs

from reviewer.ingest.formats.subtitles import parse_timestamp, read_srt, read_vtt
from reviewer.ingest.package import read_file

GOOD = """1
00:00:01,000 --> 00:00:04,500
大家好，欢迎来到开源软件开发
hello and welcome

2
00:00:05,000 --> 00:00:07,250
<i>今天</i>我们讲 Git
"""


def _rules(out):
    return {i.rule: i for i in out.issues}


def test_clean_srt_cues_with_times_and_bilingual_lines():
    out = read_srt(GOOD.encode(), "t/w1.srt")
    assert out.units == 2
    assert out.issues == []
    first, second = out.segments
    assert first.text == "大家好，欢迎来到开源软件开发\nhello and welcome"
    assert first.locator.to_dict() == {"cue": 1, "start": "00:00:01.000", "end": "00:00:04.500"}
    assert second.text == "今天我们讲 Git"  # tag removed
    assert (second.locator.cue, second.locator.start_ms, second.locator.end_ms) == (2, 5000, 7250)
    assert [s.ordinal for s in out.segments] == [0, 1]


def test_timestamp_variants():
    assert parse_timestamp("00:01:02,500") == 62500
    assert parse_timestamp("00:01:02.5") == 62500  # tenths
    assert parse_timestamp("00:01:02,25") == 62250  # hundredths
    assert parse_timestamp("01:02.003") == 62003  # VTT without hours
    assert parse_timestamp("1:00:00,000") == 3600000
    assert parse_timestamp("00:00:01,1234") == 1123


def test_bom_crlf_and_tenths():
    data = codecs.BOM_UTF8 + "1\r\n00:00:01,5 --> 00:00:02.7\r\nhi\r\n\r\n".encode()
    out = read_srt(data, "a.srt")
    assert out.meta["encoding"] == "utf-8-sig"
    assert out.segments[0].text == "hi"
    assert (out.segments[0].locator.start_ms, out.segments[0].locator.end_ms) == (1500, 2700)


def test_missing_index_skipped_and_mistyped_indices():
    srt = """1
00:00:01,000 --> 00:00:02,000
one

00:00:02,000 --> 00:00:03,000
two has no index

3
00:00:03,000 --> 00:00:04,000
three

40
00:00:04,000 --> 00:00:05,000
four mistyped

5
00:00:05,000 --> 00:00:06,000
five

9
00:00:06,000 --> 00:00:07,000
skipped to nine
"""
    out = read_srt(srt.encode(), "a.srt")
    assert [s.locator.cue for s in out.segments] == [1, 2, 3, 4, 5, 6]
    rules = _rules(out)
    assert rules["subtitle-missing-index"].locator.cue == 2
    assert rules["subtitle-mistyped-index"].locator.cue == 4
    assert rules["subtitle-skipped-index"].locator.cue == 6
    assert all(i.severity == "warning" for i in out.issues)
    assert all(i.file == "a.srt" for i in out.issues)


def test_stray_block_attached_to_previous_cue_and_reported():
    srt = """1
00:00:01,000 --> 00:00:02,000
first

a stray line with no timing

2
00:00:03,000 --> 00:00:04,000
second
"""
    out = read_srt(srt.encode(), "a.srt")
    assert out.segments[0].text == "first\na stray line with no timing"
    assert out.segments[1].text == "second"
    assert _rules(out)["subtitle-stray-text"].locator.cue == 1


def test_end_before_start_kept_with_warning():
    srt = "1\n00:01:00,000 --> 00:00:00,000\nlast words\n"
    out = read_srt(srt.encode(), "a.srt")
    assert out.segments[0].text == "last words"
    issue = _rules(out)["subtitle-end-before-start"]
    assert issue.locator.cue == 1
    assert "1 cue(s) ending before they start" in issue.message["en"]
    assert issue.message["zh"]


def test_defects_are_aggregated_not_one_issue_per_cue():
    blocks = [f"00:00:{i:02d},000 --> 00:00:{i:02d},500\nline {i}\n" for i in range(50)]
    out = read_srt("\n".join(blocks).encode(), "a.srt")
    assert len(out.segments) == 50
    missing = [i for i in out.issues if i.rule == "subtitle-missing-index"]
    assert len(missing) == 1
    assert missing[0].message["en"].startswith("50 cue(s) without an index line; first at cue 1")


def test_index_line_without_blank_separator():
    srt = "1\n00:00:01,000 --> 00:00:02,000\none\n2\n00:00:02,000 --> 00:00:03,000\ntwo\n"
    out = read_srt(srt.encode(), "a.srt")
    assert [s.text for s in out.segments] == ["one", "two"]
    assert out.issues == []


def test_empty_cue_and_bad_timing_line_reported():
    srt = "1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:02,000 --> 00:00:03,000\ntext\n\n3\nbanana --> apple\nx\n"
    out = read_srt(srt.encode(), "a.srt")
    rules = _rules(out)
    assert "subtitle-empty-cue" in rules
    assert "subtitle-bad-timing" in rules
    assert out.units == 2


def test_vtt_header_notes_styles_settings_and_ids():
    vtt = """WEBVTT - lecture 1
Kind: captions

NOTE this is a comment
spanning two lines

STYLE
::cue { color: yellow }

intro
00:01.000 --> 00:04.000 align:start position:10%
<v Lecturer>Welcome &amp; hello</v>

00:00:05.000 --> 00:00:06.000
<c.yellow>第二条</c> <00:00:05.500>字幕
"""
    out = read_vtt(vtt.encode(), "w1.vtt")
    assert out.issues == []
    assert [s.text for s in out.segments] == ["Welcome & hello", "第二条 字幕"]
    assert out.segments[0].locator.to_dict() == {"cue": 1, "start": "00:00:01.000", "end": "00:00:04.000"}


def test_vtt_without_header_warns():
    out = read_vtt(b"00:00:01.000 --> 00:00:02.000\nhi\n", "w.vtt")
    assert out.segments[0].text == "hi"
    assert "subtitle-vtt-header" in _rules(out)


def test_subtitle_without_cues_falls_back_to_lines():
    out = read_srt("这不是字幕\n只是文字\n".encode(), "x.srt")
    assert [s.locator.line for s in out.segments] == [1, 2]
    assert "subtitle-no-cues" in _rules(out)


def test_gbk_subtitle_and_duration():
    record = read_file(GOOD.encode("gbk", errors="ignore").replace(b"hello and welcome", b"hello"), "w.srt")
    assert record.status == "ok"
    assert record.meta["encoding"] == "gb18030"
    assert record.segments[0].text.startswith("大家好")
    assert record.duration_ms == 7250
    assert record.role == "transcript"
