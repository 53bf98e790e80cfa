"""The lexicon and coverage checks scan a large course in runs of text, not all at once
(issue 10: peak memory).  Cutting between scan units must change no finding and no
coverage figure: checked here with runs far smaller than any course, on the shipped
samples, against one run holding everything."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewer.checks import lexicon
from reviewer.checks.lexicon import streams
from reviewer.checks.coverage import ContentIndex, check_coverage
from reviewer.checks.model import CheckContext
from reviewer.ingest.model import Locator, Segment
from reviewer.ingest.package import load_package
from reviewer.service.scan import load_rules

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted(p for p in (ROOT / "sample_courses").iterdir()
                 if p.is_dir() and (p / "course.yaml").is_file())


@pytest.fixture(scope="module")
def rules():
    return load_rules((), None)[0]


def _lexicon_findings(pkg, rules):
    found = lexicon.check_lexicon(CheckContext(package=pkg, rules=rules)).findings
    return sorted((f.id, f.severity, f.match, json.dumps(f.location, sort_keys=True),
                   json.dumps(f.extra, sort_keys=True, default=str)) for f in found)


def _coverage(pkg, rules):
    result = check_coverage(CheckContext(package=pkg, rules=rules))
    return (sorted((f.id, f.severity, json.dumps(f.extra, sort_keys=True, default=str))
                   for f in result.findings),
            json.dumps(result.coverage.to_dict() if result.coverage else None,
                       sort_keys=True, default=str))


RUNS = [(streams, "BATCH_CHARS", 300, _lexicon_findings),
        (ContentIndex, "CHUNK_CHARS", 200, _coverage)]


@pytest.mark.parametrize("owner, name, small, result", RUNS, ids=["lexicon", "coverage"])
@pytest.mark.parametrize("course", SAMPLES, ids=lambda p: p.name)
def test_small_runs_find_what_one_scan_finds(course, owner, name, small, result, rules,
                                             monkeypatch):
    pkg = load_package(course)
    monkeypatch.setattr(owner, name, 10**12)
    whole = result(pkg, rules)
    monkeypatch.setattr(owner, name, small)
    assert result(pkg, rules) == whole
    assert whole[0]  # the samples are seeded with problems: the comparison means something


def test_an_advert_over_two_cues_is_not_cut_by_a_run_boundary(monkeypatch):
    """The run-on stream of cues is one unit: a run boundary never falls inside it."""
    rules = load_rules((), None)[0]["terms"]
    filler = [Segment("lec.srt", i, Locator(cue=i + 1, start_ms=i * 4000, end_ms=i * 4000 + 3900),
                      "今天我们继续讲二叉树的遍历方法。") for i in range(40)]
    advert = [Segment("lec.srt", 40, Locator(cue=41, start_ms=160000, end_ms=163900), "需要网课代"),
              Segment("lec.srt", 41, Locator(cue=42, start_ms=164000, end_ms=167900), "刷的同学加我")]
    monkeypatch.setattr(streams, "BATCH_CHARS", 50)
    small = lexicon.find_in_segments(rules, filler + advert)
    monkeypatch.setattr(streams, "BATCH_CHARS", 10**12)
    whole = lexicon.find_in_segments(rules, filler + advert)
    assert [f.id for f in small] == [f.id for f in whole]
    assert any(f.location.get("cue") == 41 and f.extra.get("continues") for f in whole)
