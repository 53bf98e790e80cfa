"""Check ``pii`` on the harder labelled set ``tests/data/pii_hard_labelled`` (issue 8).

Scored on (rule, matched original text, severity): a finding at the wrong severity
counts as a false positive and a false negative.  Run as a script to print the
figures and every disagreement::

    python tests/checks/test_pii_hard_accuracy.py
"""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from reviewer.checks.pii import findings_for, parse_pii
from reviewer.ingest.model import Locator, Segment

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "lexicons" / "pii.yaml"
CASES = ROOT / "tests" / "data" / "pii_hard_labelled" / "cases.yaml"


def one_segment(rules, i: int, case: dict) -> set[tuple[str, str, str]]:
    """The (rule, match, severity) triples found in a case that is one segment of text."""
    seg = Segment(file="slides/w1.pptx", ordinal=i, locator=Locator(slide=i + 1),
                  text=case["text"])
    return {(f.rule, f.match, f.severity)
            for f in findings_for(seg, case.get("role", "slides"), rules)}


def score(rules, cases: list[dict], found=one_segment
          ) -> tuple[int, int, int, list[tuple[str, list, list]]]:
    """``(tp, fp, fn, disagreements)`` over (rule, match, severity) triples;
    ``found(rules, index, case)`` gives a case's triples."""
    tp = fp = fn = 0
    wrong = []
    for i, case in enumerate(cases):
        got = found(rules, i, case)
        want = {tuple(e) for e in case["expect"]}
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
        if got != want:
            wrong.append((case.get("text") or case.get("page") or [f["text"] for f in case["files"]],
                          sorted(want), sorted(got)))
    return tp, fp, fn, wrong


def _figures(tp: int, fp: int, fn: int) -> tuple[float, float]:
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def load(cases_path: Path = CASES):
    """The shipped pii rules and the cases of a labelled set (this one by default)."""
    raw = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    cases = yaml.safe_load(cases_path.read_text(encoding="utf-8"))["cases"]
    return parse_pii(copy.deepcopy(raw), str(SHIPPED)), cases


def _load():
    return load()


def test_the_set_is_large_and_balanced_and_its_labels_are_substrings():
    _, cases = _load()
    positives = [c for c in cases if c["expect"]]
    assert len(cases) >= 40 and len(positives) >= 20 and len(cases) - len(positives) >= 20
    for case in cases:
        for rule, match, severity in case["expect"]:
            assert match in case["text"] and severity in ("error", "warning", "info"), case


def test_hard_labelled_set_precision_and_recall():
    rules, cases = _load()
    tp, fp, fn, wrong = score(rules, cases)
    precision, recall = _figures(tp, fp, fn)
    print(f"\npii hard labelled set: {len(cases)} cases, tp={tp} fp={fp} fn={fn}, "
          f"precision={precision:.3f} recall={recall:.3f}")
    assert precision >= 0.95 and recall >= 0.95, wrong


def report(name: str, rules, cases: list[dict], found=one_segment) -> None:
    """Print every disagreement and the figures of a labelled set (``python <test file>``)."""
    tp, fp, fn, wrong = score(rules, cases, found=found)
    precision, recall = _figures(tp, fp, fn)
    for text, want, got in wrong:
        print(f"- {text}\n    want {want}\n    got  {got}")
    print(f"{name}: {len(cases)} cases, tp={tp} fp={fp} fn={fn}, "
          f"precision={precision:.3f} recall={recall:.3f}")


if __name__ == "__main__":
    report("pii hard set", *_load())
