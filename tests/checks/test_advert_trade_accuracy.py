"""Recall and precision of the shipped lexicons on today's cheating trade (issue 8).

The sets were written before the lexicon was tuned for them:
``tests/data/advert_trade_labelled`` (trade vocabulary, English adverts, integrity
education) and ``tests/data/advert_disguise_labelled`` (variant characters and
homophones, initials and pinyin, adverts split over cues).  ``-s`` prints the
figures and every case that went wrong.
"""

from __future__ import annotations

import pytest

from reviewer.service.lexicons import load_rule_files, rules_by_kind
from tests.checks.advert_scoring import flagged, score


@pytest.fixture(scope="module")
def shipped():
    files, _errors = load_rule_files([], use_cache=False)
    return rules_by_kind(files)["terms"]


def test_scorer_tells_an_advert_from_integrity_education(shipped):
    cases = [{"text": "代刷网课，价格优惠，加微信 ke_8888"}, {"text": "学校严禁代考和替考"},
             {"cues": ["代刷网课", "加微信 ke_8888"]}]
    assert flagged(shipped, cases) == [True, False, True]


def test_trade_vocabulary_and_english_adverts(shipped):
    precision, recall, _ = score(shipped, "advert_trade_labelled")
    assert precision >= 0.9 and recall >= 0.9


def test_disguised_adverts(shipped):
    precision, recall, _ = score(shipped, "advert_disguise_labelled")
    assert precision >= 0.9 and recall >= 0.9
