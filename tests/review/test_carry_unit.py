"""The pure carry-over and evidence functions (no store)."""

from __future__ import annotations

import pytest

from tests.review.review_helpers import finding
from reviewer.review.carry import (
    describe_change, diff_fingerprints, expect_met, fingerprint, item_facts, item_finding_ids,
    manifest_value, plan_sync,
)
from reviewer.review.checklist import parse_checklist
from reviewer.review.model import AnswerState, DispositionState, FindingRef

LIST = """\
id: t
name: {zh: 测试, en: Test}
items:
  - id: T1
    question: {zh: 问, en: Q}
    guidance: {zh: 指, en: G}
    evidence:
      - {check: lexicon, category: cheating-ads}
      - {check: pii, severity: error}
      - {manifest: exam.supervision, expect: {contains_any: [dual-camera]}}
      - {coverage: true, min: 0.5}
      - {role: [slides]}
    blocking: true
    regulation: {articles: [4]}
"""


def _ref(f) -> FindingRef:
    return FindingRef(f.id, f.check, f.rule, f.category, f.severity, f.file, f.location, f.match,
                      f.message, f.context)


@pytest.mark.parametrize("expect,value,met", [
    (None, "x", None), ("present", None, False), ("present", "  ", False), ("present", [], False),
    ("present", "李四", True), ("present", 0, True),
    ({"equals": True}, True, True), ({"equals": True}, "true", False),
    ({"min": 3}, 3, True), ({"min": 3}, 2, False), ({"min": 3}, "4", True),
    ({"min": 3}, "level three", False), ({"min": 3}, None, False), ({"min": 1}, True, False),
    ({"contains_any": ["a", "b"]}, ["c", "b"], True), ({"contains_any": ["a"]}, "a", True),
    ({"contains_any": ["a"]}, ["c"], False), ({"contains_any": ["a"]}, None, False),
])
def test_expect_clauses(expect, value, met):
    assert expect_met(expect, value) is met


def test_manifest_value_follows_dotted_paths():
    m = {"exam": {"supervision": ["dual-camera"], "by_university": False}, "x": 1}
    assert manifest_value(m, "exam.supervision") == ["dual-camera"]
    assert manifest_value(m, "exam.by_university") is False
    assert manifest_value(m, "exam.missing") is None
    assert manifest_value(m, "x.y") is None
    assert manifest_value(None, "x") is None


def test_item_evidence_selection_and_facts():
    item = parse_checklist(LIST, "t.yaml").items[0]
    ads = finding("lexicon", "cheating-ads", line=1)
    ad2 = finding("lexicon", "advertising", line=2)
    pii_err = finding("pii", "personal-data", line=3)
    pii_warn = finding("pii", "personal-data", "warning", line=4)
    refs = [_ref(f) for f in (pii_warn, ads, ad2, pii_err)]
    assert item_finding_ids(item, refs) == [ads.id, pii_err.id]  # in the given order
    files = [{"path": "s.pdf", "role": "slides", "sha256": "1"},
             {"path": "t.srt", "role": "transcript", "sha256": "2"}]
    cov = {"ratio": 0.25, "topics": [{"title": "甲", "covered": True}, {"title": "乙", "covered": False},
                                     {"title": "丙", "covered": False}, {"title": "丁", "covered": False}]}
    facts = item_facts(item, {"exam": {"supervision": ["face-recognition"]}}, cov, files)
    assert [(f.kind, f.met) for f in facts] == [("manifest", False), ("coverage", False),
                                                ("files", None)]
    assert facts[1].value["uncovered"] == ["乙", "丙", "丁"]
    assert facts[2].value == ["s.pdf"]
    assert all(f.message["zh"] and f.message["en"] for f in facts)


def test_fingerprints_and_their_differences():
    item = parse_checklist(LIST, "t.yaml").items[0]
    files = [{"path": "s.pdf", "role": "slides", "sha256": "1"},
             {"path": "t.srt", "role": "transcript", "sha256": "2"}]
    base = fingerprint(item, ["b", "a"], {"exam": {"supervision": ["x"]}}, {"ratio": 1.0, "topics": []}, files)
    assert base["findings"] == ["a", "b"]
    same = fingerprint(item, ["a", "b"], {"exam": {"supervision": ["x"]}}, {"ratio": 1.0, "topics": []},
                       list(reversed(files)))
    assert diff_fingerprints(base, same) == []
    # a transcript change does not touch an item that only looks at slides
    other = [dict(files[0]), dict(files[1], sha256="3")]
    assert diff_fingerprints(base, fingerprint(item, ["a", "b"], {"exam": {"supervision": ["x"]}},
                                               {"ratio": 1.0, "topics": []}, other)) == []
    changed = fingerprint(item, ["a", "c"], {"exam": {"supervision": ["y"]}},
                          {"ratio": 0.5, "topics": [{"title": "乙", "covered": False}]},
                          [dict(files[0], sha256="9")])
    kinds = [c["kind"] for c in diff_fingerprints(base, changed)]
    assert kinds == ["findings", "manifest", "coverage", "files"]
    assert diff_fingerprints(None, base) == [{"kind": "unknown"}]
    for change in diff_fingerprints(base, changed) + [{"kind": "item"}, {"kind": "unknown"}]:
        msg = describe_change(change)
        assert msg["zh"] and msg["en"]


def test_plan_sync_marks_changed_items_new_findings_and_changed_dispositions():
    a = _ref(finding("lexicon", "cheating-ads", line=1))
    b = _ref(finding("pii", "personal-data", line=2))
    c = _ref(finding("pii", "personal-data", line=3))
    answers = {"T1": AnswerState("T1", "pass"), "T2": AnswerState("T2", "na", "x"),
               "GONE": AnswerState("GONE", "pass")}
    old = {"T1": {"item": "d", "findings": [a.id, b.id]}, "T2": {"item": "e", "findings": []}}
    new = {"T1": {"item": "d", "findings": [a.id, c.id]}, "T2": {"item": "e", "findings": []}}
    disps = {a.id: DispositionState(a.id, "false-alarm", "r", finding_sig=a.sig),
             b.id: DispositionState(b.id, "confirmed")}
    a_changed = FindingRef(a.id, a.check, a.rule, a.category, "warning", a.file, a.location,
                           a.match, a.message, a.context)
    plan = plan_sync(answers, old, new, disps, {a.id: a.sig, b.id: b.sig},
                     {a.id: a_changed, c.id: c})
    assert list(plan.recheck_items) == ["T1"]
    assert plan.carried == [a.id] and plan.recheck_findings == [a.id]
    assert plan.dropped == [b.id] and plan.new_findings == [c.id]
    first = plan_sync({}, {}, new, {}, None, {a.id: a, c.id: c})
    assert first.new_findings == [] and first.recheck_items == {}


def test_plan_sync_reports_each_change_once():
    a = _ref(finding("lexicon", "cheating-ads", line=1))
    b = _ref(finding("pii", "personal-data", line=2))
    disps = {a.id: DispositionState(a.id, "false-alarm", "r", finding_sig="old-signature",
                                    needs_recheck=True),
             b.id: DispositionState(b.id, "confirmed", finding_sig=b.sig)}
    # b vanished at an earlier sync (not in ``known``), a was already flagged
    plan = plan_sync({}, {}, {}, disps, {a.id: a.sig}, {a.id: a})
    assert plan.dropped == [] and plan.recheck_findings == [] and not plan.changed
