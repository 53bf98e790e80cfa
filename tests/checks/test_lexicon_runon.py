"""Adverts as they are written: homophones, initials that need context, cues that run on."""

from __future__ import annotations

import textwrap

import pytest

from reviewer.checks.lexicon import find_in_segments, hits_to_findings, run_on, scan_units
from reviewer.checks.report import finding_dict, sarif_dict
from reviewer.checks.rulefile import RuleFileError, parse_rule_text
from reviewer.ingest.model import Locator, Package, Segment

HEAD = textwrap.dedent("""\
    id: t
    name: T
    category: cheating-ads
    severity: error
    message: {zh: "命中 {term}", en: "hit {term}"}
    """)


def lexicon(body: str):
    return parse_rule_text(HEAD + textwrap.dedent(body), "t.yaml").rules


ADS = lexicon("""\
    normalize:
      homophones: {唰: 刷, 拷: 考, 薇: 微}
    terms:
      - 代刷网课
      - {term: 代考, severity: warning}
      - {term: dk, needs_context: true}
    patterns:
      - name: take-my-class
        pattern: '\\btake\\s+my\\s+online\\s+class\\s+for\\s+me\\b'
    context:
      - raise_to: error
        window: 6
        terms: [dk]
        near: [都接, 私聊]
      - raise_to: error
        window: 12
        near: [微信, QQ]
    """)


def cues(*texts: str, file: str = "lec1.srt", gap_ms: int = 100) -> list[Segment]:
    out, t = [], 0
    for i, text in enumerate(texts):
        out.append(Segment(file, i, Locator(cue=i + 1, start_ms=t, end_ms=t + 1000), text))
        t += 1000 + gap_ms
    return out


def found(segments):
    return [(f.match, f.severity, f.locator.cue or f.locator.line) for f in
            find_in_segments([ADS], segments)]


# -- homophones ---------------------------------------------------------------------

def test_homophones_fold_one_to_one_and_report_the_original_text():
    seg = Segment("a.txt", 0, Locator(line=1), "网课找我：代唰网课，加薇信")
    [f] = find_in_segments([ADS], [seg])
    assert f.match == "代唰网课" and (f.extra["start"], f.extra["end"]) == (5, 9)
    assert f.severity == "error"  # 薇信 is 微信, a lure
    assert [h.text for h in ADS.find([Segment("a.txt", 0, Locator(line=1), "四级代拷")])] == ["代拷"]


def test_homophones_apply_only_to_the_file_that_declares_them():
    plain = lexicon("terms: [代刷网课]\n")
    assert plain.find([Segment("a.txt", 0, Locator(line=1), "代唰网课")]) == []


@pytest.mark.parametrize("table, message", [
    ("{唰唰: 刷}", "唰唰"), ("{唰: 刷刷}", "刷刷"), ("[唰, 刷]", "homophones")])
def test_a_homophone_must_be_one_character_for_one(table, message):
    with pytest.raises(RuleFileError) as err:
        lexicon(f"normalize:\n  homophones: {table}\nterms: [刷课]\n")
    assert message in str(err.value) and err.value.line == 7  # the homophones key


# -- initials -------------------------------------------------------------------------

def test_initials_stand_only_where_a_rule_naming_them_fires():
    one = lambda text: found([Segment("a.txt", 0, Locator(line=1), text)])  # noqa: E731
    assert one("dk sk 都接") == [("dk", "error", 1)]
    assert one("求导数 dk/dt 的表达式") == []
    # a contact rule that does not name the initials is not enough
    assert one("dk 表示方向，课程群 QQ 123456") == []


# -- cues that run on -------------------------------------------------------------------

def test_a_term_cut_over_two_cues_is_found_at_both():
    segs = cues("期末代刷网", "课，加微信 ke_8888")
    [f] = find_in_segments([ADS], segs)
    assert f.match == "代刷网课" and f.severity == "error"  # the lure is in the next cue
    assert f.locator.cue == 1 and (f.extra["start"], f.extra["end"]) == (2, 5)
    assert f.extra["continues"] == [{"location": segs[1].locator.to_dict(), "start": 0, "end": 1}]
    assert f.location_label("en") == f"{segs[0].locator.label('en')} → {segs[1].locator.label('en')}"
    assert finding_dict(f)["continues"] == [segs[1].locator.to_dict()]


def test_the_match_and_its_context_read_over_the_join():
    segs = cues("本店承接代刷", "网课业务")
    [f] = find_in_segments([ADS], segs)
    assert f.match == "代刷网课" and f.severity == "error"
    assert f.context[f.context_start:f.context_start + len(f.match)] == "代刷网课"
    assert f.location_label("zh").count("→") == 1


def test_a_term_over_three_cues():
    segs = cues("代", "刷网", "课")
    [f] = find_in_segments([ADS], segs)
    assert f.match == "代刷网课" and len(f.extra["continues"]) == 2


def test_context_runs_on_into_the_next_cue():
    assert found(cues("需要代考的同学", "私聊我 QQ 3456789")) == [("代考", "error", 1)]
    assert found(cues("需要代考的同学", "请看下一页")) == [("代考", "warning", 1)]


def test_english_words_stay_apart_at_the_join():
    assert found(cues("Take my online", "class for me?")) == [
        ("Take my online class for me", "error", 1)]
    assert found(cues("Please take my", "advice: start early")) == []


def test_cues_far_apart_other_files_and_other_kinds_do_not_run_on():
    assert found(cues("找人代", "刷网课")) == [("代刷网课", "error", 1)]
    assert found(cues("找人代", "刷网课", gap_ms=5000)) == []
    a = Segment("a.srt", 0, Locator(cue=1, start_ms=0, end_ms=900), "找人代")
    b = Segment("b.srt", 1, Locator(cue=2, start_ms=1000, end_ms=1900), "刷网课")
    assert not run_on(a, b)
    pages = [Segment("s.pdf", 0, Locator(page=1), "找人代"), Segment("s.pdf", 1, Locator(page=2), "刷网课")]
    assert find_in_segments([ADS], pages) == []
    lines = [Segment("n.txt", 0, Locator(line=1), "找人代"), Segment("n.txt", 1, Locator(line=2), "刷网课")]
    assert [f.match for f in find_in_segments([ADS], lines)] == ["代刷网课"]


def test_a_match_inside_one_cue_keeps_the_id_it_has_alone():
    segs = cues("今天讲考试", "有人代考吗", "下课")
    joined = find_in_segments([ADS], segs)
    alone = hits_to_findings(ADS, ADS.find([segs[1]]))
    assert [(f.id, f.match, f.locator) for f in joined] == [(f.id, f.match, f.locator) for f in alone]
    assert "continues" not in joined[0].extra
    assert [f.id for f in find_in_segments([ADS], segs)] == [f.id for f in joined]


def test_scan_units_group_runs_and_leave_the_rest():
    segs = cues("a", "b") + [Segment("x.pdf", 0, Locator(page=1), "p")] + cues("c", file="z.srt")
    units = scan_units(segs)
    assert len(units) == 3 and units[0].segment.text == "a b" and units[1] is segs[2]


def test_sarif_names_the_cues_a_match_goes_on_into():
    segs = cues("期末代刷网", "课，加微信 ke_8888")
    findings = find_in_segments([ADS], segs)
    pkg = Package(source="/x", kind="dir", files=[], digest="sha256:" + "0" * 64)
    result = sarif_dict(pkg, findings, version="0")["runs"][0]["results"][0]
    assert result["relatedLocations"][0]["physicalLocation"]["region"]["properties"] == \
        segs[1].locator.to_dict()
