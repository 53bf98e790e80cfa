"""Recall and precision of the shipped lexicons on today's cheating trade (issue 8).

The set (tests/data/advert_trade_labelled) was written before the lexicon was tuned
for it.  A case is an advert when some ``cheating-ads`` finding is at warning or
error; a decoy passes when every such finding is info or absent.  ``-s`` prints
the figures and every case that went wrong.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reviewer.checks.lexicon import find_in_segments
from reviewer.ingest.model import Locator, Segment
from reviewer.service.lexicons import load_rule_files, rules_by_kind

CASES = Path(__file__).resolve().parent.parent / "data" / "advert_trade_labelled" / "cases.yaml"
RAISED = {"warning", "error"}


@pytest.fixture(scope="module")
def shipped():
    files, _errors = load_rule_files([], use_cache=False)
    return rules_by_kind(files)["terms"]


def flagged(lexicons, texts: list[str]) -> list[bool]:
    """For each text: is a cheating-ads finding raised at warning or worse?"""
    segments = [Segment(file="set.txt", ordinal=i, locator=Locator(line=i + 1), text=t)
                for i, t in enumerate(texts)]
    out = [False] * len(texts)
    for f in find_in_segments(lexicons, segments):
        if f.category == "cheating-ads" and f.severity in RAISED:
            out[f.locator.line - 1] = True
    return out


def test_scorer_tells_an_advert_from_integrity_education(shipped):
    assert flagged(shipped, ["代刷网课，价格优惠，加微信 ke_8888", "学校严禁代考和替考"]) == [True, False]


def test_trade_vocabulary_and_english_adverts(shipped):
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    got = flagged(shipped, [c["text"] for c in cases])
    tp = sum(g and c["advert"] for g, c in zip(got, cases))
    fp = sum(g and not c["advert"] for g, c in zip(got, cases))
    fn = sum(c["advert"] and not g for g, c in zip(got, cases))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"\nadvert trade set: precision {precision:.2f} recall {recall:.2f} "
          f"(tp {tp}, fp {fp}, fn {fn}, {len(cases)} cases)")
    for g, c in zip(got, cases):
        if g != c["advert"]:
            print(f"  {'missed' if c['advert'] else 'false alarm'}: {c['text']}")
    assert precision >= 0.9 and recall >= 0.9
