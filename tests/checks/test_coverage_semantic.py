"""Check ``coverage``, semantic evidence: paraphrase, cross-lingual, lazy model, cache, rule data."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
import yaml

from reviewer.checks import coverage_semantic
from reviewer.checks.coverage import check_coverage, parse_coverage
from reviewer.checks.model import CheckContext
from reviewer.checks.rulefile import RuleFileError
from reviewer.ingest.model import FileRecord, Locator, Package, Segment

SHIPPED = Path(__file__).resolve().parents[2] / "lexicons" / "coverage.yaml"

SLIDES = [
    "The relational model\nA relation is a table of tuples; relational algebra has select, "
    "project, join, union and difference.",
    "Writing SQL\nSELECT name FROM student WHERE dept = 'CS' ORDER BY name; GROUP BY with HAVING.",
    "Memory\nMemory is cut into fixed-size blocks; a table records where each block sits in "
    "physical memory, and a missing block is brought in from disk.",
]


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))


def _rules(raw, **semantic):
    data = copy.deepcopy(raw)
    data["semantic"].update(semantic)
    return parse_coverage(data, str(SHIPPED))


def _package(topics: list[str]) -> Package:
    segs = [Segment("s.pptx", i, Locator(slide=i + 1), t) for i, t in enumerate(SLIDES)]
    files = [FileRecord("course.yaml", 1, "m", role="manifest", format="yaml"),
             FileRecord("s.pptx", 1, "s", role="slides", format="pptx", segments=segs)]
    return Package(source="/p", kind="dir", files=files, digest="sha256:0",
                   manifest={"topics": topics})


def _run(pkg, rules):
    return check_coverage(CheckContext(package=pkg, rules={"coverage": [rules]}))


def test_a_chinese_topic_taught_in_english_words_is_covered_with_semantic_evidence(raw):
    result = _run(_package(["关系模型与关系代数", "SQL", "分布式数据库的两阶段提交"]), _rules(raw))
    by_title = {t.title: t for t in result.coverage.topics}
    relational = by_title["关系模型与关系代数"]
    assert relational.covered and relational.score == 0.0  # no shared word: the encoder found it
    assert relational.evidence[0]["match"] == "semantic"
    assert relational.evidence[0]["location"] == {"slide": 1}
    assert relational.evidence[0]["similarity"] >= 0.4
    missing = by_title["分布式数据库的两阶段提交"]
    assert not missing.covered
    assert missing.evidence and all(e["nearest_miss"] for e in missing.evidence)
    finding = next(f for f in result.findings if f.rule == "topic-uncovered")
    assert finding.extra["evidence"][0]["nearest_miss"] is True
    assert not any(e.get("nearest_miss") for e in relational.evidence)


def test_disabled_semantic_leaves_paraphrase_uncovered(raw):
    result = _run(_package(["关系模型与关系代数", "SQL"]), _rules(raw, enabled=False))
    assert [t.covered for t in result.coverage.topics] == [False, True]


def test_the_model_is_not_loaded_when_every_topic_is_covered_lexically(raw, monkeypatch):
    def boom():
        raise AssertionError("the encoder was loaded")

    monkeypatch.setattr(coverage_semantic, "_model", boom)
    result = _run(_package(["SQL", "Relational algebra"]), _rules(raw))
    assert all(t.covered for t in result.coverage.topics)
    with pytest.raises(AssertionError, match="loaded"):  # and it would be, for a paraphrase
        _run(_package(["表格形式的数据与元组的运算"]), _rules(raw))  # (never embedded before)


def test_vectors_are_cached_by_text_digest():
    coverage_semantic.embed(["页面置换算法", "page replacement"])
    before = coverage_semantic.STATS["embedded"]
    again = coverage_semantic.embed(["page replacement", "页面置换算法"])
    assert coverage_semantic.STATS["embedded"] == before
    assert again.shape == (2, 512)
    assert abs(float(again[0] @ again[0]) - 1.0) < 1e-4  # unit vectors


def test_a_passage_that_teaches_a_neighbour_better_does_not_cover_the_topic(raw):
    # The SQL slide is nearer to "SQL查询语言" than to "NoSQL数据库": the neighbour wins it.
    result = _run(_package(["SQL查询语言", "NoSQL数据库"]), _rules(raw))
    by_title = {t.title: t.covered for t in result.coverage.topics}
    assert by_title == {"SQL查询语言": True, "NoSQL数据库": False}


@pytest.mark.parametrize("key, value", [("cover", 1.5), ("enabled", "yes"), ("budget_chars", -1),
                                        ("combined", "high")])
def test_bad_semantic_rule_data_fails_the_rule_file(raw, key, value):
    data = copy.deepcopy(raw)
    data["semantic"][key] = value
    with pytest.raises(RuleFileError, match=f"semantic.{key}"):
        parse_coverage(data, "x.yaml")


def test_passages_split_long_segments_and_merge_when_there_are_too_many(raw):
    from reviewer.checks.coverage import ContentIndex

    rules = _rules(raw)
    index = ContentIndex(_package([]), rules)
    texts = [t for _, t in coverage_semantic.passages(index, rules.semantic)]
    assert "A relation is a table of tuples;" in texts  # a sentence of a long slide
    merged = coverage_semantic.passages(index, _rules(raw, budget_chars=100, max_chars=50).semantic)
    assert len(merged) == 2 and all(len(t) == 50 for _, t in merged)
    assert sum(len(t) for _, t in merged) <= 100


def test_each_passage_goes_to_the_topic_it_is_most_about():
    import numpy as np

    from reviewer.checks.coverage_semantic import SemanticRules, _claims

    # topic 0 is a hub (close to everything), topic 1 is clearly what passage 2 is about,
    # topic 2 is nobody's best
    sim = np.array([[0.50, 0.52, 0.51, 0.50],
                    [0.10, 0.12, 0.45, 0.11],
                    [0.20, 0.21, 0.20, 0.19]], dtype=np.float32)
    claim = _claims(sim, SemanticRules())
    assert claim[1] > 1.2 and claim[1] == claim.max()
    assert _claims(sim, SemanticRules(assign_floor=0.5))[1] == 0.0  # below the floor: no claim


def test_assign_settings_are_validated():
    import pytest
    import yaml

    from reviewer.checks.coverage import parse_coverage
    from reviewer.checks.rulefile import RuleFileError
    from tests.checks.test_coverage_paraphrase_accuracy import SHIPPED

    for key, value in (("assign_lead", -1), ("assign_lead", "high"), ("assign_lexical_max", 2)):
        data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
        data["semantic"][key] = value
        with pytest.raises(RuleFileError, match=f"semantic.{key}"):
            parse_coverage(data, str(SHIPPED))


def _passages_by_concatenation(index, rules):
    """passages' merging as first written (the passage re-joined at every segment): the
    reference that the length-counting version must agree with."""
    n = index.size
    texts, group = coverage_semantic.passage_texts(index, rules)
    out, i = [], 0
    while i < n:
        start, text = i, texts[i]
        i += 1
        while i < n and index.file_of[i] == index.file_of[start] and (
                i - start < group or len(text) < rules.min_chars):
            text = (text + " " + texts[i]).strip()
            i += 1
        if len(text) >= rules.min_chars:
            out.append((start, text[:rules.max_chars]))
    return out


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["", " ", "栈", "队列 与 堆", "a b\tc", "  lead", "x\n",
                                          "二叉树的遍历有三种。"]), min_size=1, max_size=30),
                min_size=1, max_size=3),
       st.integers(20, 400), st.integers(1, 60), st.integers(0, 12))
def test_merged_passages_are_those_of_plain_concatenation(raw, files, budget, max_chars, min_chars):
    from reviewer.checks.coverage import ContentIndex

    rules = _rules(raw, budget_chars=budget, max_chars=max_chars, min_chars=min_chars)
    records = [FileRecord(f"t{f}.srt", 1, str(f), role="transcript", format="srt",
                          segments=[Segment(f"t{f}.srt", i, Locator(cue=i + 1), t)
                                    for i, t in enumerate(texts)])
               for f, texts in enumerate(files)]
    index = ContentIndex(Package(source="/p", kind="dir", files=records, digest="sha256:0"), rules)
    merged = [(s, t) for s, t in coverage_semantic.passages(index, rules.semantic)]
    assert merged[:len(_passages_by_concatenation(index, rules.semantic))] == \
        _passages_by_concatenation(index, rules.semantic)
