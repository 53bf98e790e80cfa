"""Literal gates (``reviewer.checks.literals``): a pattern is skipped only where it
cannot match, so the lexicon's pattern hits are those of the plain search (issue 10)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer.checks import literals
from reviewer.checks.lexicon.engine import Lexicon
from reviewer.checks.lexicon.model import TextBatch
from reviewer.checks.literals import LiteralGate, required_literals
from reviewer.checks.rulefile import parse_rule_text
from reviewer.ingest.model import Locator, Segment

ROOT = Path(__file__).resolve().parents[2]

def test_required_pieces_of_a_pattern():
    assert required_literals(r"(?:taobao\.com|tb\.cn)/x", re.I) == (
        frozenset({"taobao.com/x", "tb.cn/x"}),)
    assert required_literals(r"\b(?:pay|hire)\s+someone\s+to\b", re.I) == (
        frozenset({"pay", "hire"}), frozenset({"someone"}), frozenset({"to"}))
    assert required_literals(r"截至\s*\d{4}年") == (frozenset({"截至"}), frozenset({"年"}))
    # Optional parts, and a branch with an alternative needing nothing, require nothing.
    assert required_literals(r"(?:abc)?\d+|x") == ()
    assert required_literals(r"a*") == ()
    assert required_literals(r"(?:a|)b") == (frozenset({"ab", "b"}),)
    # Case partners that str.lower does not fold stay in as the plain letter.
    assert required_literals(r"KISS", re.I) == (frozenset({"kiss"}),)
    # Non-ASCII cased letters end a piece.
    assert required_literals(r"abÄcd") == (frozenset({"ab"}), frozenset({"cd"}))

def test_the_gate_shuts_only_where_a_piece_is_absent():
    gate = LiteralGate("Pay someone to do it — 截至2012年")
    assert gate.may_match(r"\bpay\s+someone\b", re.I)
    assert gate.may_match(r"截至\s*\d{4}年")
    assert not gate.may_match(r"(?:taobao\.com|tb\.cn)/", re.I)
    assert not gate.may_match(r"\bhire\s+someone\b", re.I)
    assert gate.may_match(r"\d+")  # nothing required


def test_without_cpythons_pattern_parser_no_pattern_is_skipped(monkeypatch):
    """re._parser is private: a Python without it loses the gate, never a match."""
    monkeypatch.setattr(literals, "_parser", None)
    required_literals.cache_clear()
    try:
        assert required_literals(r"\bhire\s+someone\b", re.I) == ()
        assert LiteralGate("nothing of it here").may_match(r"\bhire\s+someone\b", re.I)
    finally:
        required_literals.cache_clear()


@pytest.mark.parametrize("text", ["İSTANBUL tour", "ıstanbul tour", "ſtanbul tour", "\u212aelvin"])
def test_the_gate_knows_the_case_partners_ignorecase_knows(text):
    for pattern in (r"istanbul\s+tour", r"stanbul", r"kelvin"):
        if re.search(pattern, text, re.I):
            assert LiteralGate(text).may_match(pattern, re.I), (pattern, text)

PATTERNS = [r"\b(?:take|do)\s+my\s+(?:class|exam)\s+for", r"(?<![a-z.])(?:qq\.com|tb\.cn)/[a-z]",
            r"ab(?:c|de)+f", r"(?:x|yz){2,3}w", r"i[sS]\b", r"代[写考][^。]{0,3}?\d+元",
            r"(?i:Kk)s", r"(?>ab|ac)d"]
ALPHABET = "abcdefikswxyzIKSİıſ \u212a.qomtnr/代写考元0123。"

@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PATTERNS), st.booleans(), st.text(alphabet=ALPHABET, max_size=40))
def test_a_shut_gate_never_hides_a_match(pattern, ignorecase, text):
    flags = re.I if ignorecase else 0
    if re.search(pattern, text, flags):
        assert LiteralGate(text).may_match(pattern, flags)

def test_lexicon_pattern_hits_are_the_same_with_the_gate_open(monkeypatch):
    """The shipped pattern rule files over text that trips some of their patterns:
    the same hits gated and with every gate forced open; the gate did shut some."""
    lexicons = [parse_rule_text(p.read_text(encoding="utf-8"), str(p)).rules
                for p in sorted((ROOT / "lexicons").glob("*.yaml"))]
    lexicons = [lex for lex in lexicons if isinstance(lex, Lexicon) and lex.patterns]
    assert lexicons
    texts = ["扫码进群 weixin.qq.com/g/abc123 领资料", "网课代刷 学习通刷课，包过",
             "Pay someone to take my exam for me! 100% pass guaranteed.",
             "代写论文300元，Taobao.com/shop1 有售", "今天讲二叉树的遍历。", "we will finish your course"]
    segments = [Segment("a.srt", i, Locator(cue=i + 1), t) for i, t in enumerate(texts)]

    def hits():
        return [[(h.segment.ordinal, h.start, h.end, h.severity) for h in lex.find(TextBatch(segments))]
                for lex in lexicons]

    shut: list[str] = []
    real = LiteralGate.may_match

    def counting(self, pattern, flags=0):
        ok = real(self, pattern, flags)
        if not ok:
            shut.append(pattern)
        return ok

    monkeypatch.setattr(LiteralGate, "may_match", counting)
    gated = hits()
    assert shut, "the gate shut no pattern: the test text should leave some pieces out"
    assert any(any(h) for h in gated), "no pattern hit: the test text should trip some"
    monkeypatch.setattr(LiteralGate, "may_match", lambda self, pattern, flags=0: True)
    assert hits() == gated

def test_required_literals_is_what_the_gate_uses(monkeypatch):
    monkeypatch.setattr(literals, "required_literals", lambda pattern, flags=0: (frozenset({"zzz"}),))
    assert not LiteralGate("abc").may_match("abc")
