"""Carrying a review over to a changed package, and re-syncing one version."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tests.review.review_helpers import FILES, MANIFEST, coverage, finding

from reviewer.service import review as R


def _answer_all(db, path):
    for item in R.load_checklists().items():
        R.answer_item(db, path, item.id, "pass")


def _v1(db, course):
    a = finding("lexicon", "cheating-ads", line=1)
    b = finding("pii", "personal-data", line=2, match="13800138000")
    c = finding("outdated", "outdated-law", "warning", file="slides.pdf", line=3, match="《合同法》")
    course.version(findings=[a, b, c], cov=coverage({"绪论": True, "线性表": True}))
    R.dispose_finding(db, course.path, a.id, "false-alarm", "讲解学术诚信的反面案例")
    R.dispose_finding(db, course.path, b.id, "accepted", "虚构号码")
    _answer_all(db, course.path)  # after the evidence: a pass over open errors needs confirming
    R.add_note(db, course.path, "第一版审查意见")
    R.decide(db, course.path, "recommend")
    return a, b, c


def test_changed_package_gets_a_new_review_carrying_answers_and_dispositions(db, course):
    a, b, c = _v1(db, course)
    v1 = R.review_status(db, course.path)
    assert v1.blockers == [] and v1.decision.decision == "recommend"

    d = finding("lexicon", "cheating-ads", line=5, match="加微信包过")
    files = dict(FILES, **{"slides.pdf": ("slides", "slides v2")})
    course.version(files=files, findings=[a, c, d], cov=coverage({"绪论": True, "线性表": True}))
    v2 = R.review_status(db, course.path)

    assert v2.review_id != v1.review_id and v2.digest != v1.digest
    assert v2.carried_from == v1.review_id
    assert v2.decision is None  # a new version needs a new decision
    # every answer came along
    assert all(i.answer == "pass" and i.carried for i in v2.items)
    recheck = {i.id for i in v2.items if i.needs_recheck}
    # P3: a new cheating-ads finding; Q5: the pii finding is gone;
    # P4, A1, P6: the slides changed.  Nothing else.
    assert recheck == {"P3", "Q5", "P4", "A1", "P6"}
    p3 = v2.item("P3")
    assert p3.changes == [{"kind": "findings", "added": [d.id], "removed": []}]
    assert v2.item("Q5").changes == [{"kind": "findings", "added": [], "removed": [b.id]}]
    assert v2.item("P4").changes == [{"kind": "files", "changed": ["slides.pdf"]}]
    # dispositions follow their findings
    assert v2.finding(a.id).disposition == "false-alarm" and v2.finding(a.id).carried
    assert v2.finding(a.id).reason == "讲解学术诚信的反面案例"
    assert not v2.finding(a.id).new and not v2.finding(a.id).needs_recheck
    assert v2.finding(b.id) is None
    assert v2.finding(d.id).new and v2.finding(d.id).disposition is None
    assert not v2.finding(c.id).new
    assert [n["text"] for n in v2.notes] == ["第一版审查意见"]
    kinds = sorted((bl.kind, bl.id) for bl in v2.blockers)
    assert kinds == sorted([("item-recheck", i) for i in recheck] + [("finding-undisposed", d.id)])

    # answering again clears the recheck; disposing clears "new"
    R.dispose_finding(db, course.path, d.id, "confirmed", "真实广告")
    R.answer_item(db, course.path, "P3", "pass")
    v2b = R.review_status(db, course.path)
    assert not v2b.item("P3").needs_recheck and not v2b.finding(d.id).new
    # the first version's review is untouched
    log = R.audit_log(db, course.path)
    assert [e.action for e in log].count("carry-over") == 1
    carry = next(e for e in log if e.action == "carry-over")
    assert carry.old["review_id"] == v1.review_id and carry.new["new_findings"] == 1
    assert carry.new["recheck_items"] == sorted(recheck)


def test_manifest_and_coverage_changes_mark_their_items(db, course):
    _v1(db, course)
    manifest = dict(MANIFEST, platform_security_level=2)
    manifest.pop("responsible_teacher")
    files = dict(FILES, **{"course.yaml": ("manifest", "changed")})
    a = finding("lexicon", "cheating-ads", line=1)
    b = finding("pii", "personal-data", line=2, match="13800138000")
    c = finding("outdated", "outdated-law", "warning", file="slides.pdf", line=3, match="《合同法》")
    course.version(files=files, findings=[a, b, c], manifest=manifest,
                   cov=coverage({"绪论": True, "线性表": False}))
    status = R.review_status(db, course.path)
    recheck = {i.id: i.changes for i in status.items if i.needs_recheck}
    assert set(recheck) == {"Q1", "Q6", "A3", "P6"}
    assert recheck["Q1"] == [{"kind": "manifest", "field": "responsible_teacher",
                              "old": "李四", "new": None}]
    assert recheck["A3"][0]["kind"] == "coverage"
    assert recheck["A3"][0]["new"]["uncovered"] == ["线性表"]
    q6 = status.item("Q6").to_dict()
    assert "→" in q6["changes"][0]["message"]["zh"]


def test_changed_context_of_a_disposed_finding_needs_a_recheck(db, course):
    a, b, c = _v1(db, course)
    a2 = dataclasses.replace(a, context="……现在这句话变成了真正的广告……")
    files = dict(FILES, **{"t1.srt": ("transcript", "changed")})
    course.version(files=files, findings=[a2, b, c], cov=coverage({"绪论": True, "线性表": True}))
    status = R.review_status(db, course.path)
    assert status.finding(a.id).needs_recheck
    assert status.finding(a.id).disposition == "false-alarm"
    assert ("finding-recheck", a.id) in [(bl.kind, bl.id) for bl in status.blockers]
    assert not status.finding(b.id).needs_recheck
    R.dispose_finding(db, course.path, a.id, "false-alarm", "讲解学术诚信的反面案例")
    assert not R.review_status(db, course.path).finding(a.id).needs_recheck


def test_rescan_of_the_same_version_syncs_in_place(db, course):
    a, b, c = _v1(db, course)
    before = R.review_status(db, course.path)
    e = finding("lexicon", "political", line=7, match="某口号")
    course.version(findings=[a, b, c, e], cov=coverage({"绪论": True, "线性表": True}))
    after = R.review_status(db, course.path)
    assert after.review_id == before.review_id
    assert after.finding(e.id).new
    assert {i.id for i in after.items if i.needs_recheck} == {"P1"}
    assert after.decision.decision == "recommend" and after.decision_outdated
    assert [x.action for x in R.audit_log(db, course.path)][-1] == "sync"
    # nothing changes on a further status call: no more writes
    n = db.execute("SELECT count(*) FROM audit").fetchone()[0]
    R.review_status(db, course.path)
    assert db.execute("SELECT count(*) FROM audit").fetchone()[0] == n


def test_rescan_with_nothing_changed_leaves_the_review_alone(db, course):
    a, b, c = _v1(db, course)
    n = db.execute("SELECT count(*) FROM audit").fetchone()[0]
    course.version(findings=[a, b, c], cov=coverage({"绪论": True, "线性表": True}))
    status = R.review_status(db, course.path)
    assert status.scan_id == db.execute("SELECT max(id) FROM scans").fetchone()[0]
    assert not status.decision_outdated and status.blockers == []
    assert not any(i.needs_recheck for i in status.items)
    assert db.execute("SELECT count(*) FROM audit").fetchone()[0] == n


def test_a_vanished_finding_is_reported_once_not_at_every_rescan(db, course):
    a, b, c = _v1(db, course)
    course.version(findings=[a, c], cov=coverage({"绪论": True, "线性表": True}))
    status = R.review_status(db, course.path)
    assert [i.id for i in status.items if i.needs_recheck] == ["Q5"]
    R.answer_item(db, course.path, "Q5", "pass")
    R.decide(db, course.path, "recommend")
    n = db.execute("SELECT count(*) FROM audit").fetchone()[0]
    course.version(findings=[a, c], cov=coverage({"绪论": True, "线性表": True}))
    status = R.review_status(db, course.path)
    assert not status.decision_outdated and not any(i.needs_recheck for i in status.items)
    assert db.execute("SELECT count(*) FROM audit").fetchone()[0] == n


def test_returning_to_an_earlier_version_resumes_its_review(db, course):
    _v1(db, course)
    first = R.review_status(db, course.path)
    files = dict(FILES, **{"slides.pdf": ("slides", "slides v2")})
    course.version(files=files)
    second = R.review_status(db, course.path)
    R.answer_item(db, course.path, "P1", "fail", "第二版新增了问题")
    a = finding("lexicon", "cheating-ads", line=1)
    b = finding("pii", "personal-data", line=2, match="13800138000")
    c = finding("outdated", "outdated-law", "warning", file="slides.pdf", line=3, match="《合同法》")
    course.version(findings=[a, b, c], cov=coverage({"绪论": True, "线性表": True}))
    again = R.review_status(db, course.path)
    assert again.review_id == first.review_id != second.review_id
    assert again.item("P1").answer == "pass"
    # a third version carries over from the version looked at last (the first), not the second
    files = dict(FILES, **{"slides.pdf": ("slides", "slides v3")})
    course.version(files=files, findings=[a, b, c], cov=coverage({"绪论": True, "线性表": True}))
    third = R.review_status(db, course.path)
    assert third.carried_from == first.review_id
    assert third.item("P1").answer == "pass"


def test_changed_checklist_item_needs_a_recheck(db, course, tmp_path: Path):
    from reviewer.paths import checklists_dir

    custom = tmp_path / "lists"
    custom.mkdir()
    for p in checklists_dir().glob("*.yaml"):
        (custom / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    cls1 = R.load_checklists([custom])
    course.version()
    for item in cls1.items():
        R.answer_item(db, course.path, item.id, "pass", checklists=cls1)
    text = (custom / "quality.yaml").read_text(encoding="utf-8")
    (custom / "quality.yaml").write_text(
        text.replace("en: Has the course a responsible teacher",
                     "en: Does the course have a responsible teacher"), encoding="utf-8")
    cls2 = R.load_checklists([custom])
    assert cls2.digest != cls1.digest
    status = R.review_status(db, course.path, checklists=cls2)
    assert [(i.id, i.changes) for i in status.items if i.needs_recheck] == [("Q1", [{"kind": "item"}])]
