"""The benchmark's large-course generator makes what bench/README.md says (room: tests).

Only the cheap parts run here (topics, one lecture); the PDFs are exercised by
the benchmarks themselves.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.samples.test_samples import parse_subtitles

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def gen():
    sys.path.insert(0, str(BENCH))
    import make_large_course

    return make_large_course


def test_two_hundred_distinct_topics_with_eight_untaught(gen):
    topics = gen.topics()
    assert len(topics) == 200 and len({t[0] for t in topics}) == 200
    untaught = [t for t in topics if t[2] is None]
    assert [(zh, en) for zh, en, _ in untaught] == gen.UNTAUGHT
    taught_terms = {gen.ZH_TERMS[i] for t in topics if t[2] for i in t[2]}
    assert taught_terms == set(gen.ZH_TERMS)  # every term belongs to some taught topic


def test_a_lecture_is_an_hour_of_well_formed_cues_without_untaught_words(gen):
    text = gen.lecture_srt(3)
    assert text == gen.lecture_srt(3)  # deterministic
    cues = parse_subtitles(text, vtt=False)
    assert 1_000 <= len(cues) <= 1_400
    assert cues[-1][2] <= gen.LECTURE_MS and cues[-1][2] > gen.LECTURE_MS - 10_000
    assert all(e - s >= 2_000 and nxt[1] >= e for (_, s, e, _), nxt in zip(cues, cues[1:]))
    body = "\n".join(line for c in cues for line in c[3])
    for zh, en in gen.UNTAUGHT:
        for word in zh.split("与") + [en.split(" and ")[0]]:
            assert word not in body
    planted = [marker for _check, marker, _t in gen.PLANTED if marker in body]
    assert planted  # about one cue in 400 carries a problem


def test_lecture_teaches_its_own_topics(gen):
    per = len(gen.topics()) // gen.LECTURES
    own = [t for t in gen.topics()[(5 - 1) * per:5 * per] if t[2]]
    body = gen.lecture_srt(5)
    for zh, _en, (a, b) in own:
        together = sum(1 for line in body.splitlines()
                       if gen.ZH_TERMS[a] in line and gen.ZH_TERMS[b] in line)
        assert together >= 20, zh
