"""Scoring the shipped lexicons on a labelled set of adverts and decoys.

A case is ``{text}`` (one segment) or ``{cues}`` (adjacent cues of one subtitle
file, two seconds each).  It is *flagged* when some ``cheating-ads`` finding in
it is at warning or error.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from reviewer.checks.lexicon import find_in_segments
from reviewer.ingest.model import Locator, Segment

DATA = Path(__file__).resolve().parent.parent / "data"
RAISED = {"warning", "error"}


def case_segments(index: int, case: dict) -> list[Segment]:
    if "cues" in case:
        return [Segment(file=f"case{index}.srt", ordinal=j,
                        locator=Locator(cue=j + 1, start_ms=2000 * j, end_ms=2000 * j + 1900),
                        text=t) for j, t in enumerate(case["cues"])]
    return [Segment(file=f"case{index}.txt", ordinal=0, locator=Locator(line=1),
                    text=case["text"])]


def flagged(lexicons, cases: list[dict]) -> list[bool]:
    """For each case: is a cheating-ads finding raised at warning or worse?"""
    segments = [s for i, c in enumerate(cases) for s in case_segments(i, c)]
    index = {f"case{i}": i for i in range(len(cases))}
    out = [False] * len(cases)
    for f in find_in_segments(lexicons, segments):
        if f.category == "cheating-ads" and f.severity in RAISED:
            out[index[f.file.split(".")[0]]] = True
    return out


def score(lexicons, name: str) -> tuple[float, float, list[str]]:
    """Precision, recall and the cases that went wrong, for the set ``data/<name>``."""
    cases = yaml.safe_load((DATA / name / "cases.yaml").read_text(encoding="utf-8"))
    got = flagged(lexicons, cases)
    tp = sum(g and c["advert"] for g, c in zip(got, cases))
    fp = sum(g and not c["advert"] for g, c in zip(got, cases))
    fn = sum(c["advert"] and not g for g, c in zip(got, cases))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    wrong = [f"{'missed' if c['advert'] else 'false alarm'}: {c.get('text') or ' | '.join(c['cues'])}"
             for g, c in zip(got, cases) if g != c["advert"]]
    print(f"\n{name}: precision {precision:.2f} recall {recall:.2f} "
          f"(tp {tp}, fp {fp}, fn {fn}, {len(cases)} cases)")
    print("\n".join("  " + w for w in wrong))
    return precision, recall, wrong
