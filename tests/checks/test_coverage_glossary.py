"""Subject glossaries (``kind: glossary``) and how the coverage check uses them."""

from __future__ import annotations

import copy
import textwrap
from pathlib import Path

import pytest
import yaml

from reviewer.checks.coverage import CoverageRules, check_coverage, parse_coverage
from reviewer.checks.coverage_glossary import Glossary, Names, named_entries, rest_of, translated
from reviewer.checks.model import CheckContext
from reviewer.checks.rulefile import RuleFileError, parse_rule_text
from reviewer.ingest.model import FileRecord, Locator, Package, Segment

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "lexicons" / "coverage.yaml"

GLOSSARY = textwrap.dedent("""\
    id: glossary-test
    kind: glossary
    name: {zh: 测试术语表, en: Test glossary}
    entries:
      - names: {zh: [拥塞控制], en: [congestion control]}
        terms:
          zh: [慢启动, 拥塞窗口, 窗口减半]
          en: [slow start, congestion window, packet loss]
      - names: {zh: [数据库规范化, 规范化理论], en: [database normalization, normal forms]}
        terms:
          zh: [函数依赖, 第三范式]
          en: [functional dependency, third normal form, BCNF]
      - names: {zh: [文件系统], en: [file system, file systems]}
        terms: {zh: [索引节点, 目录项], en: [inode, directory entry]}
      - names: {zh: [分布式文件系统], en: [distributed file system]}
        terms: {zh: [数据副本, 元数据服务器], en: [replica, metadata server]}
      - names: {zh: [外部性], en: [externality, externalities]}
        terms: {zh: [排污, 庇古税], en: [pigouvian tax, spillover cost]}
      - names: {zh: [公共物品], en: [public goods]}
        terms: {zh: [非竞争性, 非排他性, 搭便车], en: [free rider, non-excludable]}
    examples:
      - {topic: "第五章 TCP拥塞控制（4学时）", entries: [拥塞控制]}
      - {topic: "第六章 分布式文件系统", entries: [分布式文件系统]}
      - {topic: "Week 3: File Systems", entries: [文件系统]}
      - {topic: "第八章 外部性与公共物品", entries: [外部性, 公共物品]}
      - {topic: "第一章 绪论", entries: []}
    """)


def _glossary(text: str = GLOSSARY) -> Glossary:
    return parse_rule_text(text, "glossary-test.yaml").rules


@pytest.fixture(scope="module")
def shipped() -> CoverageRules:
    raw = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    return parse_coverage(copy.deepcopy(raw), str(SHIPPED))


@pytest.fixture
def rules(shipped) -> CoverageRules:
    """The shipped rules with two terms to a window and half the entries named: each
    test sets what it is about."""
    parsed = copy.deepcopy(shipped)
    parsed.semantic.enabled = False  # the glossary's evidence alone, whatever the encoder says
    parsed.glossary.min_terms, parsed.glossary.entries_share = 2, 0.5
    return parsed


def _broken(old: str, new: str) -> str:
    assert old in GLOSSARY
    return GLOSSARY.replace(old, new, 1)


# ------------------------------------------------------------------ the rule file

def test_a_glossary_file_loads_with_its_entries():
    g = _glossary()
    assert g.id == "glossary-test" and len(g.entries) == 6
    assert g.entries[1].names["en"] == ("database normalization", "normal forms")
    assert g.entries[0].all_terms()[:2] == ["慢启动", "拥塞窗口"]


@pytest.mark.parametrize("old, new, said", [
    ('{topic: "第一章 绪论", entries: []}', '{topic: "第一章 绪论", entries: [拥塞控制]}',
     "examples: embedded examples failed: topic '第一章 绪论' names no entry, expected ['拥塞控制']"),
    ("en: [public goods]", "en: [public goods, congestion control]",
     "name 'congestion control' is also a name of the entry '拥塞控制'"),
    ("zh: [非竞争性, 非排他性, 搭便车]", "zh: [非竞争性, 公共物品]",
     "term '公共物品' is one of the entry's own names"),
    ("terms: {zh: [索引节点, 目录项], en: [inode, directory entry]}", "",
     "'terms' is a required property"),
    ("kind: glossary", "kind: glossary\nwords: [x]", "Additional properties are not allowed"),
    ("en: [inode, directory entry]", "en: [inode, '  ']", "does not match"),
])
def test_a_broken_glossary_is_refused_with_file_and_line(old, new, said):
    with pytest.raises(RuleFileError) as caught:
        _glossary(_broken(old, new))
    assert caught.value.source == "glossary-test.yaml"
    assert said in str(caught.value)
    assert caught.value.line


def test_the_shipped_coverage_file_takes_one_term_of_half_the_entries(shipped):
    assert (shipped.glossary.enabled, shipped.glossary.min_terms,
            shipped.glossary.entries_share) == (True, 1, 0.5)


def test_a_coverage_file_checks_its_glossary_section():
    raw = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    raw["glossary"] = {"min_terms": 0}
    with pytest.raises(RuleFileError, match="glossary.min_terms"):
        parse_coverage(raw, "coverage.yaml")
    raw["glossary"] = {"enabled": "no"}
    with pytest.raises(RuleFileError, match="glossary.enabled: true or false"):
        parse_coverage(raw, "coverage.yaml")


# ------------------------------------------------------------------ names in titles

@pytest.mark.parametrize("title, labels", [
    ("第五章 TCP拥塞控制（4学时）", ["拥塞控制"]),
    ("Lecture 7 – CONGESTION CONTROL in TCP", ["拥塞控制"]),
    ("Week 9: File Systems and Distributed File Systems", ["文件系统", "分布式文件系统"]),
    ("第六章 分布式文件系统", ["分布式文件系统"]),  # 文件系统 inside the longer name is not its own
    ("Profile systems", []),  # "file systems" only as whole words
    ("外部性与公共物品", ["外部性", "公共物品"]),
    ("规范化理论：normal forms", ["数据库规范化"]),  # one entry, named twice
    ("第一章 绪论", []),
])
def test_titles_name_entries(title, labels):
    assert [e.label for e in named_entries(Names([_glossary()]).find(title))] == labels


def test_a_title_is_put_in_the_other_language():
    names = Names([_glossary()])
    [tr] = translated("第五章 TCP拥塞控制", names.find("第五章 TCP拥塞控制"))
    assert (tr.title, tr.names, tr.rest) == (
        "第五章 tcp congestion control", ["congestion control"], "第五章 tcp")
    [tr] = translated("Database Normalization", names.find("Database Normalization"))
    assert (tr.title, tr.names, tr.rest) == ("数据库规范化", ["数据库规范化"], "")
    # one entry named twice is put in once
    [tr] = translated("数据库规范化与规范化理论", names.find("数据库规范化与规范化理论"))
    assert (tr.title, tr.names) == ("database normalization 与", ["database normalization"])
    assert translated("绪论", names.find("绪论")) == []


def test_what_a_title_says_besides_its_names():
    names = Names([_glossary()])
    title = "Evolutionary externalities and public goods"
    assert rest_of(title, names.find(title)) == "evolutionary and"
    title = "Distributed File Systems in practice"  # the plural goes with the name
    assert rest_of(title, names.find(title)) == "in practice"


# ------------------------------------------------------------------ coverage

FILLER = ["同学们好，我们开始上课。", "先回顾一下上次的作业。", "这一部分考试会考，请注意。",
          "我们休息十分钟。", "好，继续。", "有问题课后可以来问我。", "今天就讲到这里，下课。"]


def _syllabus(*titles: str) -> FileRecord:
    text = "# 教学大纲\n## 教学内容\n" + "\n".join(f"### 第{i + 1}章 {t}" for i, t in enumerate(titles))
    segs = [Segment("syllabus.md", i, Locator(line=i + 1), line)
            for i, line in enumerate(text.splitlines())]
    return FileRecord(path="syllabus.md", size=1, sha256="s", role="syllabus", format="md",
                      segments=segs)


def _cues(lines: list[str]) -> FileRecord:
    segs = [Segment("lec.srt", i, Locator(cue=i + 1, start_ms=i * 5000, end_ms=i * 5000 + 4000), s)
            for i, s in enumerate(lines)]
    return FileRecord(path="lec.srt", size=1, sha256="t", role="transcript", format="srt",
                      segments=segs)


def _slides(pages: list[str]) -> FileRecord:
    segs = [Segment("deck.pptx", i, Locator(slide=i + 1), s) for i, s in enumerate(pages)]
    return FileRecord(path="deck.pptx", size=1, sha256="d", role="slides", format="pptx",
                      segments=segs)


def _topics(rules: CoverageRules, *records: FileRecord, glossary: bool = True) -> dict:
    package = Package(source="/p", kind="dir", files=list(records), digest="sha256:0")
    rulesets = {"coverage": [rules], "glossary": [_glossary()] if glossary else []}
    result = check_coverage(CheckContext(package=package, rules=rulesets))
    return {t.title: t for t in result.coverage.topics}


def test_terms_in_one_window_teach_a_topic_never_named(rules):
    lecture = FILLER[:3] + ["一开始发送方只发很少的数据，这叫慢启动。",
                            "每收到一个确认，拥塞窗口就翻倍。",
                            "一旦发现丢了包，就把窗口减半。"] + FILLER[3:]
    topics = _topics(rules, _syllabus("拥塞控制", "外部性"), _cues(lecture))
    got = topics["拥塞控制"]
    assert got.covered
    first = got.evidence[0]
    assert first["match"] == "glossary" and first["file"] == "lec.srt"
    assert set(first["terms"]) == {"慢启动", "拥塞窗口", "窗口减半"}
    assert not topics["外部性"].covered  # nothing of it is taught
    # without the glossary the same lecture does not cover it (the words are not the title's)
    assert not _topics(rules, _syllabus("拥塞控制", "外部性"), _cues(lecture),
                       glossary=False)["拥塞控制"].covered


def test_one_term_or_terms_far_apart_are_not_enough(rules):
    one = FILLER[:3] + ["这叫慢启动。"] + FILLER[3:]
    assert not _topics(rules, _syllabus("拥塞控制"), _cues(one))["拥塞控制"].covered
    apart = ["这叫慢启动。"] + FILLER * 2 + ["拥塞窗口很大。"]  # 14 cues apart: not one window
    assert not _topics(rules, _syllabus("拥塞控制"), _cues(apart))["拥塞控制"].covered


def test_min_terms_is_rule_data(rules):
    two = FILLER[:3] + ["这叫慢启动。", "拥塞窗口翻倍。"] + FILLER[3:]
    strict = copy.deepcopy(rules)
    strict.glossary.min_terms = 3
    assert _topics(rules, _syllabus("拥塞控制"), _cues(two))["拥塞控制"].covered
    assert not _topics(strict, _syllabus("拥塞控制"), _cues(two))["拥塞控制"].covered
    off = copy.deepcopy(rules)
    off.glossary.enabled = False
    assert not _topics(off, _syllabus("拥塞控制"), _cues(two))["拥塞控制"].covered


def test_a_title_naming_two_entries_needs_the_share_of_them(rules):
    lecture = FILLER[:2] + ["工厂排污，周边居民承担了代价。",
                            "政府可以征收庇古税。"] + FILLER[2:]
    title = "外部性与公共物品"
    assert _topics(rules, _syllabus(title), _cues(lecture))[title].covered  # 1 of 2 ≥ 0.5
    strict = copy.deepcopy(rules)
    strict.glossary.entries_share = 1.0
    assert not _topics(strict, _syllabus(title), _cues(lecture))[title].covered


def test_a_chinese_topic_is_found_on_english_slides(rules):
    slides = ["Agenda and logistics",
              "Database normalization: why split a table?",
              "Update anomalies and redundancy", "Summary and homework"]
    topics = _topics(rules, _syllabus("数据库规范化", "外部性"), _slides(slides))
    got = topics["数据库规范化"]
    assert got.covered
    assert got.evidence[0]["match"] == "translation"
    assert got.evidence[0]["via"] == "database normalization"
    assert got.evidence[0]["location"] == {"slide": 2}
    assert not _topics(rules, _syllabus("数据库规范化"), _slides(slides),
                       glossary=False)["数据库规范化"].covered


def test_an_english_topic_is_found_in_a_chinese_transcript(rules):
    lecture = FILLER[:3] + ["今天讲文件系统，磁盘上的文件怎么组织。", "每个文件都有一个索引节点。"] + FILLER[3:]
    record = FileRecord(path="syllabus.md", size=1, sha256="s", role="syllabus", format="md",
                        segments=[Segment("syllabus.md", 0, Locator(line=1), "## Topics"),
                                  Segment("syllabus.md", 1, Locator(line=2), "- File systems"),
                                  Segment("syllabus.md", 2, Locator(line=3), "- Externalities")])
    topics = _topics(rules, record, _cues(lecture))
    assert topics["File systems"].covered
    assert not topics["Externalities"].covered


def test_every_shipped_glossary_loads_and_names_its_own_examples():
    files = sorted((ROOT / "lexicons").glob("glossary-*.yaml"))
    assert files, "the shipped subject glossaries are missing"
    seen: dict[str, str] = {}
    for path in files:
        g = parse_rule_text(path.read_text(encoding="utf-8"), str(path)).rules  # examples run here
        assert isinstance(g, Glossary) and len(g.entries) >= 20
        for entry in g.entries:
            assert entry.names["zh"] and entry.names["en"], entry.label
            for lang in ("zh", "en"):
                assert len(entry.terms[lang]) >= 2, (path.name, entry.label, lang)
            for name in entry.names["zh"] + entry.names["en"]:
                key = name.lower()
                assert seen.setdefault(key, path.name) == path.name, f"{name!r} in two files"


def test_what_the_title_says_besides_the_name_must_be_taught_too(rules):
    """*Evolutionary* externalities: the terms of 外部性 say nothing of *evolutionary*;
    said anywhere in the teaching, it may be."""
    lecture = FILLER[:2] + ["工厂排污，周边居民承担了代价。",
                            "政府可以征收庇古税。"] + FILLER[2:]
    title = "演化外部性"
    assert not _topics(rules, _syllabus(title), _cues(lecture))[title].covered
    taught = lecture + FILLER * 3 + ["制度是演化出来的。"]
    got = _topics(rules, _syllabus(title), _cues(taught))[title]
    assert got.covered and got.evidence[0]["match"] == "glossary"


def test_a_translated_name_is_looked_for_whole(rules):
    """Disk scheduling is not 磁盘 here and 调度 there: the name put in Chinese is one term."""
    lecture = FILLER[:3] + ["文件保存在磁盘上。", "处理器调度决定先运行谁。"] + FILLER[3:]
    record = FileRecord(path="syllabus.md", size=1, sha256="s", role="syllabus", format="md",
                        segments=[Segment("syllabus.md", 0, Locator(line=1), "## Topics"),
                                  Segment("syllabus.md", 1, Locator(line=2), "- Distributed file systems")])
    got = _topics(rules, record, _cues(lecture + ["分布式的文件系统"]))["Distributed file systems"]
    assert not got.covered
    got = _topics(rules, record, _cues(lecture + ["分布式文件系统把数据分到很多机器上。"]))
    assert got["Distributed file systems"].covered


def test_an_english_titles_other_words_are_not_asked_of_a_chinese_lecture(rules):
    """*Evolutionary* can't be heard in a Chinese lecture: there only the named topic counts."""
    lecture = FILLER[:2] + ["工厂排污，周边居民承担了代价。", "政府可以征收庇古税。"] + FILLER[2:]
    record = FileRecord(path="syllabus.md", size=1, sha256="s", role="syllabus", format="md",
                        segments=[Segment("syllabus.md", 0, Locator(line=1), "## Topics"),
                                  Segment("syllabus.md", 1, Locator(line=2),
                                          "- Evolutionary externalities")])
    got = _topics(rules, record, _cues(lecture))["Evolutionary externalities"]
    assert got.covered and got.evidence[0]["match"] == "glossary"
    slides = ["Factories dump waste: a Pigouvian tax makes them pay.", "Summary"]
    got = _topics(rules, record, _slides(slides))["Evolutionary externalities"]
    assert not got.covered  # an English lecture could say "evolutionary", and does not


def test_the_glossaries_ask_nothing_more_of_the_content_than_one_pass(rules, monkeypatch):
    """Entry terms, the titles' other words and the names put in the other language are
    looked for in the pass that finds the titles' own terms: a pass over a large course
    costs ~0.15 s.  (Before: four passes where two were needed.)"""
    from reviewer.checks.coverage import ContentIndex

    passes = []
    chunks = ContentIndex._chunks

    def counted(self):
        passes.append(1)
        return chunks(self)

    monkeypatch.setattr(ContentIndex, "_chunks", counted)
    lecture = FILLER[:3] + ["这叫慢启动。", "拥塞窗口翻倍。"] + FILLER[3:]
    topics = _topics(rules, _syllabus("拥塞控制", "演化外部性", "Distributed file systems"),
                     _cues(lecture))
    assert topics["拥塞控制"].covered and topics["拥塞控制"].evidence[0]["match"] == "glossary"
    assert not topics["演化外部性"].covered and not topics["Distributed file systems"].covered
    # one pass for every term, one for the parts of compounds the content never says whole
    assert len(passes) <= 2


def test_a_title_covered_in_its_own_words_is_not_scored_again_translated(rules, monkeypatch):
    """The large course's 200 titles name ~170 entries: scoring their translations only
    where the title itself finds nothing saves ~0.25 s there, with the same results."""
    import reviewer.checks.coverage as coverage

    scored = []
    score_topic = coverage._score_topic

    def counted(topic, *args, **kwargs):
        scored.append(topic.title)
        return score_topic(topic, *args, **kwargs)

    monkeypatch.setattr(coverage, "_score_topic", counted)
    lecture = FILLER[:3] + ["今天讲拥塞控制：慢启动、拥塞窗口。"] + FILLER[3:]
    topics = _topics(rules, _syllabus("拥塞控制", "数据库规范化"), _cues(lecture))
    assert topics["拥塞控制"].covered and not topics["数据库规范化"].covered
    assert sorted(scored) == sorted(["拥塞控制", "数据库规范化", "database normalization"])
