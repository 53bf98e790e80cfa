"""Precision and recall of the shipped lexicons on the labelled set (tests/data/lexicon_labelled).

Scored per (case, rule id); a positive with a ``match`` also needs a finding that
reports exactly that original text.  Run with ``-s`` to see the figures.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from reviewer.checks.lexicon import find_in_segments
from reviewer.ingest.model import Locator, Segment
from reviewer.service.lexicons import load_rule_files, rules_by_kind

CASES = Path(__file__).resolve().parent.parent / "data" / "lexicon_labelled" / "cases.yaml"


@pytest.fixture(scope="module")
def shipped():
    files, errors = load_rule_files([], use_cache=False)
    assert not [e for e in errors if "coverage" not in str(e)], errors
    return rules_by_kind(files)["terms"]


def _cases() -> list[dict]:
    return yaml.safe_load(CASES.read_text(encoding="utf-8"))


def score(lexicons, cases) -> dict:
    """Counts overall and per variant, and the cases that went wrong."""
    # One file per case: lines of one file run on into each other (a sentence continues
    # on the next line), and the cases are independent texts.
    segments = [Segment(file=f"case{i}.txt", ordinal=0, locator=Locator(line=1), text=c["text"])
                for i, c in enumerate(cases)]
    by_case = defaultdict(list)
    for finding in find_in_segments(lexicons, segments):
        by_case[int(finding.file[4:-4])].append(finding)
    totals = {"tp": 0, "fp": 0, "fn": 0}
    variants: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    wrong = []
    for i, case in enumerate(cases):
        found = by_case.get(i, [])
        predicted = {f.rule for f in found}
        expected = set(case["expect"])
        tp = predicted & expected
        if case.get("match") and not any(f.match == case["match"] for f in found):
            tp = set()
        counts = {"tp": len(tp), "fp": len(predicted - expected), "fn": len(expected - tp)}
        for key, value in counts.items():
            totals[key] += value
            variants[case["variant"]][key] += value
        if counts["fp"] or counts["fn"]:
            wrong.append((i, case["variant"], counts, sorted(predicted), [f.match for f in found]))
    return {"totals": totals, "variants": dict(variants), "wrong": wrong}


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def test_labelled_set_is_balanced():
    cases = _cases()
    positives = [c for c in cases if c["expect"]]
    decoys = [c for c in cases if not c["expect"]]
    assert len(positives) >= 60 and len(decoys) >= 50
    variants = {c["variant"] for c in positives}
    for needed in ("spaces", "punctuation", "zero-width", "emoji", "full-width", "traditional",
                   "mixed-case", "digits"):
        assert needed in variants
    for needed in ("straddle", "allow-listed", "scunthorpe"):
        assert needed in {c["variant"] for c in decoys}


def test_precision_and_recall(shipped):
    result = score(shipped, _cases())
    t = result["totals"]
    precision = _ratio(t["tp"], t["tp"] + t["fp"])
    recall = _ratio(t["tp"], t["tp"] + t["fn"])
    print(f"\nlexicon labelled set: precision {precision:.3f} recall {recall:.3f} "
          f"(tp {t['tp']}, fp {t['fp']}, fn {t['fn']})")
    for variant, c in sorted(result["variants"].items()):
        print(f"  {variant:15s} tp {c['tp']:3d} fp {c['fp']:3d} fn {c['fn']:3d}")
    for i, variant, counts, predicted, matches in result["wrong"]:
        print(f"  case {i} ({variant}): {counts} rules={predicted} matches={len(matches)}")
    assert precision >= 0.95
    assert recall >= 0.95


def test_scoring_counts_misses_and_false_alarms(shipped):
    """The scorer itself: a wrong expectation shows up as fn and fp."""
    cases = [{"variant": "x", "text": "代刷网课", "expect": ["advertising"]},
             {"variant": "y", "text": "替代考虑", "expect": ["cheating-ads"]}]
    t = score(shipped, cases)["totals"]
    assert t == {"tp": 0, "fp": 1, "fn": 2}
