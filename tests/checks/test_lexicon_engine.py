"""The matching engine: candidates from the automaton, validators, context, findings."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer.checks.lexicon import (
    Lexicon,
    TextBatch,
    check_lexicon,
    example_segment,
    find_in_segments,
    hits_to_findings,
)
from reviewer.checks.model import CheckContext
from reviewer.checks.registry import all_checks
from reviewer.checks.rulefile import parse_rule_text
from reviewer.ingest.model import FileRecord, Locator, Package, Segment


def lexicon(body: str, **head) -> Lexicon:
    fields = {"id": "t", "name": "T", "category": "cat", "severity": "error",
              "message": '{zh: "命中 {term}", en: "hit {term}"}'}
    fields.update(head)
    text = "".join(f"{k}: {v}\n" for k, v in fields.items()) + textwrap.dedent(body)
    return parse_rule_text(text, "t.yaml").rules


def hits(lex: Lexicon, text: str) -> list[tuple[str, str, str]]:
    return [(h.text, h.term, h.severity) for h in lex.find([example_segment(text)])]


def matched(lex: Lexicon, text: str) -> list[str]:
    return [h.text for h in lex.find([example_segment(text)])]


def expect_matches(lex, cases) -> None:
    """Each ``(text, hits)``: exactly those hits, in order."""
    for text, hits in cases:
        assert matched(lex, text) == hits, text


CJK = lexicon("""\
    terms:
      - 代刷网课
      - 刷课
      - 代考
      - {term: 包过, allow: [包过滤]}
    """)


@pytest.mark.parametrize("text, expected", [
    ("代刷网课", "代刷网课"),
    ("找人代 刷 网 课吧", "代 刷 网 课"),
    ("代-刷.网/课", "代-刷.网/课"),
    ("代\u200b刷\u200d网\ufeff课", "代\u200b刷\u200d网\ufeff课"),
    ("代🔥刷🔥网🔥课", "代🔥刷🔥网🔥课"),
    ("代刷網課", "代刷網課"),
    ("代刷⽹课", "代刷⽹课"),
])
def test_evasions_report_the_original_text(text, expected):
    assert matched(CJK, text) == [expected]


def test_span_points_into_the_original():
    seg = example_segment("请勿 代 刷 网 课！")
    (hit,) = CJK.find([seg])
    assert seg.text[hit.start:hit.end] == "代 刷 网 课"
    assert (hit.start, hit.end) == (3, 10)


def test_long_term_wins_over_the_short_term_inside_it():
    assert hits(CJK, "代刷网课") == [("代刷网课", "代刷网课", "error")]


def test_short_term_survives_where_the_long_one_is_not_there():
    assert matched(CJK, "刷课代考") == ["刷课", "代考"]


def test_overlapping_distinct_terms_are_both_reported():
    lex = lexicon("terms: [代刷, 刷网课]\n")
    assert sorted(matched(lex, "代刷网课")) == ["代刷", "刷网课"]


def test_cjk_boundary_straddle_is_not_a_hit():
    assert matched(CJK, "我们要替代考虑别的方案") == []
    assert matched(CJK, "他找人代考被抓") == ["代考"]


def test_cjk_boundary_can_be_switched_off():
    lex = lexicon("boundary: {cjk: none}\nterms: [代考]\n")
    assert matched(lex, "替代考虑") == ["代考"]


def test_term_allow_list():
    assert matched(CJK, "防火墙的包过滤规则") == []
    assert matched(CJK, "包 过 滤") == []
    assert matched(CJK, "保证包过") == ["包过"]


def test_allow_list_never_spans_dropped_punctuation():
    # 包过！滤 is not the phrase 包过滤 once the noise is dropped; spaces may vary.
    assert matched(CJK, "保证包过！滤网不要") == ["包过"]
    assert matched(CJK, "包过，滤") == ["包过"]
    assert matched(CJK, "包 过 滤") == []


def test_file_allow_list_covers_every_term():
    lex = lexicon("allow: [刷课表, 代考点]\nterms: [刷课, 代考]\nboundary: {cjk: none}\n")
    assert matched(lex, "刷课表与代考点") == []
    assert matched(lex, "刷课与代考") == ["刷课", "代考"]


def test_latin_whole_words_and_scunthorpe():
    lex = lexicon("terms: [ass, cunt]\n")
    for innocent in ("class", "assessment", "mass", "bass", "assassin", "Scunthorpe", "passed"):
        assert matched(lex, f"the {innocent} here") == [], innocent
    assert matched(lex, "you ass.") == ["ass"]
    assert matched(lex, "big-ass") == ["ass"]
    assert matched(lex, "ASS") == ["ASS"]
    assert matched(lex, "Ａｓｓ") == ["Ａｓｓ"]


def test_latin_noise_only_for_letter_spacing_or_the_terms_own_spaces():
    lex = lexicon("terms: [fuck, ass, internet explorer]\n")
    expect_matches(lex, [("f u c k", ["f u c k"]), ("f.u.c.k", ["f.u.c.k"]),
                         ("as soon as possible", []), ("it was sad", []),
                         ("Internet  Explorer", ["Internet  Explorer"]),
                         ("InternetExplorer", ["InternetExplorer"])])


def test_inflections_only_when_asked():
    word = lexicon("terms: [fuck]\n")
    inflected = lexicon("boundary: {latin: inflected}\nterms: [fuck]\n")
    assert matched(word, "fucking") == []
    assert matched(inflected, "fucking hell") == ["fucking"]
    assert matched(inflected, "fucked") == ["fucked"]
    assert matched(inflected, "fuckwit") == []


def test_latin_boundary_none_matches_inside_words():
    lex = lexicon("boundary: {latin: none}\nterms: [ass]\n")
    assert matched(lex, "class") == ["ass"]


def test_digit_terms_meet_every_digit_style_but_not_longer_numbers():
    lex = lexicon("terms: [Windows 7, Python 2]\n")
    for text in ("Windows 7", "windows７", "Windows ⑦", "Windows 七", "WINDOWS 柒"):
        assert len(matched(lex, text)) == 1, text
    expect_matches(lex, [("Windows 70", []), ("Windows 10", []), ("Python 2.7", ["Python 2"]),
                         ("Python 3", []), ("Windows 7一样好用", ["Windows 7"])])


def test_chinese_numerals_inside_a_longer_number_are_not_a_hit():
    lex = lexicon("terms: [六四事件]\nboundary: {cjk: none}\n")
    assert matched(lex, "六四事件") == ["六四事件"]
    assert matched(lex, "6 4 事件") == ["6 4 事件"]
    assert matched(lex, "一九六四事件") == []


def test_digit_folding_does_not_create_matches_for_plain_terms():
    lex = lexicon("terms: [第一章]\nboundary: {cjk: none}\n")
    assert matched(lex, "第1章") == ["第1章"]  # mirrored: 一 and 1 are the same symbol
    off = lexicon("normalize: {digits: false}\nterms: [第一章]\nboundary: {cjk: none}\n")
    assert matched(off, "第1章") == []
    assert matched(off, "第一章") == ["第一章"]


def test_noise_switch_off_needs_exact_characters():
    lex = lexicon("normalize: {noise: false}\nterms: [代刷]\nboundary: {cjk: none}\n")
    assert matched(lex, "代 刷") == []
    assert matched(lex, "代刷") == ["代刷"]


def test_max_gap_limits_noise_between_characters():
    lex = lexicon("max_gap: 2\nterms: [代考]\nboundary: {cjk: none}\n")
    assert matched(lex, "代  考") == ["代  考"]
    assert matched(lex, "代     考") == []


def test_no_match_across_segments():
    segs = [Segment("a.txt", 0, Locator(line=1), "找人代刷"), Segment("a.txt", 1, Locator(line=2), "网课")]
    assert CJK.find(segs) == [] or all(h.text != "代刷网课" for h in CJK.find(segs))
    assert [h.text for h in CJK.find(segs)] == []


def test_hits_in_several_segments_carry_their_segment():
    segs = [Segment("a.txt", i, Locator(line=i + 1), t) for i, t in enumerate(["无", "刷课", "x", "代考"])]
    found = CJK.find(segs)
    assert [(h.segment.locator.line, h.text) for h in found] == [(2, "刷课"), (4, "代考")]


CONTEXT = lexicon("""\
    terms:
      - {term: 代考, severity: warning}
      - 代刷网课
    context:
      - lower_to: info
        near: [严禁, 不得]
        window: 6
      - raise_to: error
        near: [微信, QQ]
        near_patterns: ['1[3-9]\\d{9}']
        window: 10
    """)


def test_context_raises_near_a_lure_and_lowers_near_a_prohibition():
    assert hits(CONTEXT, "有人代考吗") == [("代考", "代考", "warning")]
    assert hits(CONTEXT, "代考加微信") == [("代考", "代考", "error")]
    assert hits(CONTEXT, "代考 13812345678") == [("代考", "代考", "error")]
    assert hits(CONTEXT, "严禁代考") == [("代考", "代考", "info")]
    assert hits(CONTEXT, "严禁代考，加微信") == [("代考", "代考", "error")]
    # Lures further away than the window do not count.
    assert hits(CONTEXT, "代考" + "，我们讨论一下考试安排的问题" + "微信") == [("代考", "代考", "warning")]


def test_lure_inside_the_match_itself_does_not_count():
    lex = lexicon("""\
        terms: [{term: 加微信代考, severity: warning}]
        boundary: {cjk: none}
        context:
          - {raise_to: error, near: [微信]}
        """)
    assert hits(lex, "加微信代考") == [("加微信代考", "加微信代考", "warning")]


def test_when_alone_lowers_a_bare_term_only():
    lex = lexicon("""\
        terms: [代考, 刷课]
        boundary: {cjk: none}
        context:
          - {lower_to: warning, when_alone: true, window: 8}
          - {raise_to: error, near: [微信]}
        """)
    assert hits(lex, "他说代考") == [("代考", "代考", "warning")]
    assert [h[2] for h in hits(lex, "刷课代考")] == ["error", "error"]  # two terms together
    assert hits(lex, "代考微信") == [("代考", "代考", "error")]


def test_when_alone_looks_at_the_nearest_hits_on_both_sides():
    lex = lexicon("""\
        terms: [代考, 刷课, 刷课代考]
        boundary: {cjk: none}
        context:
          - {lower_to: warning, when_alone: true, window: 4}
        """)
    far = "，" * 10
    text = "刷课代考" + far + "代考" + "，，" + "刷课" + far + "代考"
    assert [(h[0], h[2]) for h in hits(lex, text)] == [
        ("刷课代考", "warning"), ("代考", "error"), ("刷课", "error"), ("代考", "warning")]


def test_a_page_repeating_terms_and_allowed_phrases_is_scanned_in_linear_time(monkeypatch):
    """Work, not wall-clock time: the spans every hit looks at (lures, allowed phrases)
    grow with the page, not with its square — comparing every pair took minutes."""
    from reviewer.checks.lexicon import engine

    lex = lexicon("""\
        terms: [代考, {term: 包过, allow: [包过滤]}]
        context:
          - {raise_to: error, near: [微信]}
          - {lower_to: info, when_alone: true, window: 2}
        """)
    looked_at = []
    original = engine._Spans.overlapping

    def counting(self, lo, hi):
        found = original(self, lo, hi)
        looked_at.append(len(found))
        return found

    monkeypatch.setattr(engine._Spans, "overlapping", counting)
    work = {}
    for n in (2_000, 8_000):
        looked_at.clear()
        found = lex.find([example_segment("加微信代考，包过滤。" * n)])
        assert len(found) == n and {h.severity for h in found} == {"error"}
        work[n] = sum(looked_at) + len(looked_at)
    assert work[8_000] <= 4.5 * work[2_000]  # four times the page, about four times the work
    assert work[8_000] <= 20 * 8_000  # a few spans per repetition, never the whole page


def test_context_rule_can_be_limited_to_some_terms():
    lex = lexicon("""\
        terms: [{term: 代考, severity: warning}, {term: 刷课, severity: warning}]
        boundary: {cjk: none}
        context:
          - {raise_to: error, near: [微信], terms: [代考]}
        """)
    assert dict((h[0], h[2]) for h in hits(lex, "代考刷课微信")) == {"代考": "error", "刷课": "warning"}


def test_patterns_run_on_folded_text_and_report_original_spans():
    lex = lexicon("""\
        terms: [占位词]
        patterns:
          - {name: price, pattern: '代考\\s*\\d+元', severity: warning}
          - 'qq群\\d{5,}'
        """)
    found = hits(lex, "代考 300元，ＱＱ群123456")
    assert ("代考 300元", "price", "warning") in found
    assert ("ＱＱ群123456", "qq群\\d{5,}", "error") in found


def test_pattern_allow_list():
    lex = lexicon("""\
        terms: [占位词]
        patterns:
          - {pattern: '代.考', allow: [代理考核]}
        """)
    assert matched(lex, "代理考核") == []
    assert matched(lex, "代你考") == ["代你考"]


def test_findings_carry_original_text_context_and_stable_ids():
    lex = lexicon("terms: [{term: 合同法, replacement: 民法典, since: 2021-01-01}]\n", check="outdated",
                  message='{zh: "{term}→{replacement}（{since}）", en: "{term} -> {replacement} ({since})"}')
    seg = Segment("notes.md", 0, Locator(line=7), "依照《合同法》与《合同法》第五条")
    findings = hits_to_findings(lex, lex.find([seg]))
    assert [f.match for f in findings] == ["合同法", "合同法"]
    first, second = findings
    assert first.check == "outdated" and first.rule == "t" and first.category == "cat"
    assert first.extra["replacement"] == "民法典" and first.extra["since"] == "2021-01-01"
    assert (first.extra["start"], first.extra["end"]) == (3, 6)
    assert first.message == {"zh": "合同法→民法典（2021-01-01）", "en": "合同法 -> 民法典 (2021-01-01)"}
    assert first.context[first.context_start:first.context_start + 3] == "合同法"
    assert first.id != second.id  # occurrence numbers differ
    again = hits_to_findings(lex, lex.find([seg]))
    assert [f.id for f in again] == [f.id for f in findings]


def test_note_is_appended_to_the_message():
    lex = lexicon("terms: [{term: 刷课, note: {zh: 常见于弹幕, en: common in danmaku}}]\n")
    (finding,) = hits_to_findings(lex, lex.find([example_segment("刷课")]))
    assert finding.message["zh"].endswith("（常见于弹幕）")
    assert finding.message["en"].endswith("(common in danmaku)")


def test_terms_that_normalise_alike_are_one_pattern():
    lex = lexicon("terms: [代写论文, 代寫論文, 代 写 论 文]\n")
    assert len(lex.keys) == 1
    assert hits(lex, "代寫論文") == [("代寫論文", "代写论文", "error")]


def test_registered_check_runs_every_terms_file_with_its_check_name():
    assert "lexicon" in all_checks()
    old = lexicon("terms: [合同法]\n", id="old", check="outdated")
    seg = Segment("n.md", 0, Locator(line=1), "依照合同法，代刷网课")
    pkg = Package(source="p", kind="dir", digest="sha256:0",
                  files=[FileRecord(path="n.md", size=1, sha256="0", segments=[seg])])
    result = check_lexicon(CheckContext(package=pkg, rules={"terms": [CJK, old]}))
    assert {(f.check, f.rule, f.match) for f in result.findings} == {
        ("lexicon", "t", "代刷网课"), ("outdated", "old", "合同法")}
    assert check_lexicon(CheckContext(package=pkg)).findings == []


def test_find_in_segments_accepts_parsed_rule_files_and_skips_other_kinds():
    parsed = parse_rule_text("id: t\nname: T\ncategory: c\nseverity: info\nmessage: m\nterms: [刷课]\n", "t.yaml")
    findings = find_in_segments([parsed, object()], [example_segment("刷课")])
    assert [f.severity for f in findings] == ["info"]


def test_text_batch_locates_segments():
    segs = [example_segment(t) for t in ("ab", "", "cde")]
    batch = TextBatch(segs)
    assert batch.starts == [0, 3, 4]
    assert [batch.locate(p) for p in (0, 1, 3, 4, 6)] == [0, 0, 1, 2, 2]
    assert CJK.find([]) == []


def test_segmenter_extends_a_private_view_of_jieba_only():
    import jieba

    lex = lexicon("terms: [薅羊毛课]\n")
    assert matched(lex, "薅羊毛课") == ["薅羊毛课"]
    assert lex.segmenter().freq("薅羊毛课") > 0
    assert "薅羊毛课" not in jieba.dt.FREQ


def test_plain_segmenter_places_words_where_spacy_blank_zh_does():
    import spacy

    from reviewer.checks.lexicon import STRADDLE_MIN_FREQ, _Segmenter

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    seg = _Segmenter(mode="none")
    for text in ("我们要替代考虑别的方案，加微信包过保分", "防火墙的包过滤规则与课程包过期", "全国第一次人口普查",
                 "Python 2 与 Windows XP 的实验环境"):
        spacy_words = [(t.idx, t.idx + len(t.text)) for t in nlp(text)
                       if len(t.text) > 1 and seg.freq(t.text) >= STRADDLE_MIN_FREQ]
        assert seg.straddlers(text) == spacy_words, text


def test_segmenter_modes():
    from reviewer.checks.lexicon import _Segmenter

    text = "加微信包过保分"
    plain = _Segmenter(mode="none")
    plain.add(["包过"])
    assert plain.freq("包过") == 0
    for mode in ("suggest", "boost"):
        seg = _Segmenter(mode=mode)
        seg.add(["包过", "加微信"])
        assert seg.freq("包过") > 0
        assert not any(a < 3 < b or a < 5 < b for a, b in seg.straddlers(text))
    boosted = _Segmenter(mode="boost")
    boosted.add(["代考"])
    assert boosted.freq("代考") >= 1000
    assert boosted.straddlers("替代考虑") == [(0, 2), (2, 4)]


def test_ad_copy_needs_the_lexicon_in_the_segmenter():
    """jieba alone cuts 加微信包过保分 as 加微/信包/过保分; with the terms added, 包过 is a word."""
    body = "terms: [包过]\ncontext: [{raise_to: error, near: [加微信]}]\n"
    assert matched(lexicon(body), "加微信包过保分") == ["包过"]


def test_lone_surrogates_from_bad_decoding_do_not_break_matching():
    assert matched(CJK, "代\udcff刷网课") == ["代\udcff刷网课"]
    lex = lexicon("normalize: {noise: false}\nterms: [代刷]\nboundary: {cjk: none}\n")
    assert matched(lex, "\udcff代刷\udcff") == ["代刷"]


def test_segment_text_containing_the_separator_character():
    segs = [example_segment("代刷\uffff网课"), example_segment("刷课")]
    assert [h.text for h in CJK.find(segs)] == ["刷课"]


NOISE_RUNS = st.text(alphabet=st.sampled_from(list(" \u3000\u200b\u200d\ufeff·-.,，。*#💥🔥👍\n")),
                     min_size=1, max_size=4)
FILLER = st.text(alphabet=st.sampled_from(list("的了是在我们 。，abc 123")), max_size=12)
ANYWHERE = None


def _anywhere() -> Lexicon:
    global ANYWHERE
    if ANYWHERE is None:
        ANYWHERE = lexicon("boundary: {cjk: none, latin: none}\nterms: [代刷网课, 法轮功, 代写论文]\n")
    return ANYWHERE


@settings(max_examples=150, deadline=None)
@given(term=st.sampled_from(["代刷网课", "法輪功", "代寫論文", "代写论文"]),
       gaps=st.lists(st.one_of(st.just(""), NOISE_RUNS), min_size=3, max_size=3),
       before=FILLER, after=FILLER)
def test_noise_between_characters_never_hides_a_term_and_spans_are_exact(term, gaps, before, after):
    noisy = term[0] + "".join(g + c for g, c in zip(gaps, term[1:]))
    text = before + noisy + after
    found = [(h.start, h.end) for h in _anywhere().find([example_segment(text)])]
    assert (len(before), len(before) + len(noisy)) in found


def test_a_file_of_patterns_only():
    lex = lexicon(r"patterns: ['qq群\s*\d{5,}']" + "\n")
    assert lex.automaton is None
    assert matched(lex, "加ＱＱ群 123456") == ["ＱＱ群 123456"]
    assert matched(lex, "QQ群") == []


def _shipped_lexicons() -> list[Lexicon]:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "lexicons"
    out = [parse_rule_text(p.read_text(encoding="utf-8"), str(p)).rules for p in sorted(root.glob("*.yaml"))]
    return [lex for lex in out if isinstance(lex, Lexicon)]


SHIPPED_TERMS = _shipped_lexicons()
ALL_KEYS = sorted({k for lex in SHIPPED_TERMS for k in lex.keys})


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(ALL_KEYS), st.sampled_from(["的", " ", "x", "A", "！"])),
                max_size=30))
def test_a_shared_automaton_gives_each_lexicon_the_matches_of_its_own(pieces):
    """SharedTerms finds the terms of all rule files that normalise alike in one pass; each
    lexicon's share is exactly what its own automaton returns (order included)."""
    from reviewer.checks.lexicon.engine import SharedTerms
    from reviewer.checks.lexicon.model import TextBatch

    text = "".join(pieces)
    batch = TextBatch([Segment("a.srt", 0, Locator(cue=1), text or " ")])
    shared = SharedTerms(SHIPPED_TERMS)
    assert any(len(group.lexicons) > 1 for group in shared.groups)
    shared.scan(batch)
    for lex in SHIPPED_TERMS:
        if id(lex) in batch.term_matches:
            own = lex.automaton.find_matches_as_indexes(batch.normalized(lex.options).text,
                                                        overlapping=True)
            assert batch.term_matches[id(lex)] == [tuple(m) for m in own]


def test_findings_are_the_same_with_and_without_the_shared_automaton(monkeypatch):
    from reviewer.checks.lexicon import streams
    from reviewer.checks.lexicon.engine import SharedTerms

    texts = ["网课代刷，包过！加微信 abc123", "今天讲二叉树。", "Windows XP 是最新的系统", "代 | 刷课"]
    segs = [Segment("t.srt", i, Locator(cue=i + 1, start_ms=i * 1000, end_ms=i * 1000 + 900), t)
            for i, t in enumerate(texts)]
    shared = [(f.id, f.severity, f.match) for f in streams.find_in_segments(SHIPPED_TERMS, segs)]
    assert shared
    monkeypatch.setattr(SharedTerms, "scan", lambda self, batch: None)
    assert [(f.id, f.severity, f.match) for f in streams.find_in_segments(SHIPPED_TERMS, segs)] == shared
