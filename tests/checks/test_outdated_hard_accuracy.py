"""Scorer for tests/data/outdated_hard_labelled: history against outdated teaching, and
year-less "latest" claims, over both halves of check ``outdated`` — the ``terms`` rule
files with ``check: outdated`` (lexicon engine) and the ``currency`` rule file."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import yaml

from reviewer.checks.lexicon import Lexicon, find_in_segments
from reviewer.checks.model import CheckContext
from reviewer.checks.outdated import check_outdated
from reviewer.checks.rulefile import parse_rule_text
from reviewer.ingest.model import FileRecord, Locator, Package, Segment

ROOT = Path(__file__).resolve().parents[2]
SETS = ROOT / "tests" / "data" / "outdated_hard_labelled"
LOUD = {"warning", "error"}


@pytest.fixture(scope="module")
def rules() -> dict[str, list]:
    out: dict[str, list] = {"terms": [], "currency": []}
    for path in sorted((ROOT / "lexicons").glob("*.yaml")):
        parsed = parse_rule_text(path.read_text(encoding="utf-8"), str(path))
        rules = parsed.rules
        if isinstance(rules, Lexicon) and rules.check == "outdated":
            out["terms"].append(rules)
        elif parsed.kind == "currency":
            out["currency"].append(rules)
    assert out["terms"] and out["currency"]
    return out


def _findings(text: str, rules: dict[str, list], term: date) -> list:
    seg = Segment(file="case.txt", ordinal=0, locator=Locator(line=1), text=text)
    rec = FileRecord(path="case.txt", size=1, sha256="x", role="notes", segments=[seg])
    ctx = CheckContext(package=Package(source="/p", kind="dir", files=[rec], digest="sha256:0"),
                       rules={"currency": rules["currency"]}, term_date=term)
    found = find_in_segments(rules["terms"], [seg]) + check_outdated(ctx).findings
    return [f for f in found if f.check == "outdated"]


def score(rules: dict[str, list], name: str) -> tuple[Counter, list[str]]:
    data = yaml.safe_load((SETS / name).read_text(encoding="utf-8"))
    term = date.fromisoformat(str(data["term_date"]))
    counts: Counter = Counter()
    wrong = []
    for case in data["cases"]:
        loud = [f for f in _findings(case["text"], rules, term) if f.severity in LOUD]
        got = bool(loud)
        if got and case.get("mentions"):
            got = any(case["mentions"] in f.message.get("zh", "") + f.message.get("en", "")
                      for f in loud)
        want = bool(case["flag"])
        cell = {(True, True): "tp", (True, False): "fp", (False, True): "fn"}.get((got, want), "tn")
        counts[cell] += 1
        counts[case["kind"], cell] += 1
        if got != want:
            wrong.append(f"{cell} [{case['kind']}] {case['text']} -> "
                         f"{[(f.severity, f.match, f.rule) for f in loud]}")
    return counts, wrong


def _figures(counts: Counter) -> tuple[float, float]:
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


@pytest.mark.parametrize("name, least", [
    ("cases.yaml", 0.95), ("heldout.yaml", 0.85),
    ("records.yaml", 0.95),  # first run, before record_nouns: precision 0.615, recall 1.0
])
def test_hard_outdated_precision_and_recall(rules, name, least):
    counts, wrong = score(rules, name)
    precision, recall = _figures(counts)
    kinds = sorted({k[0] for k in counts if isinstance(k, tuple)})
    print(f"\noutdated_hard_labelled/{name}:", ", ".join(
        f"{k} " + "/".join(f"{c}={counts[k, c]}" for c in ("tp", "fp", "fn", "tn") if counts[k, c])
        for k in kinds))
    print(f"outdated_hard_labelled/{name}: tp={counts['tp']} fp={counts['fp']} fn={counts['fn']} "
          f"precision={precision:.3f} recall={recall:.3f}")
    for line in wrong:
        print("  ", line)
    assert counts["tp"] + counts["fn"] >= 8
    assert precision >= least and recall >= least, wrong
