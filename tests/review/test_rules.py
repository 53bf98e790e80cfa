"""The review rules, through the service API: comments, reasons, blockers, decisions."""

from __future__ import annotations

import pytest

from reviewer.service import review as R
from reviewer.service.review import ReviewError

from tests.review.review_helpers import MANIFEST, finding


def _answer_all(db, path, answer="pass", skip=()):
    for item in R.load_checklists().items():
        if item.id not in skip:
            R.answer_item(db, path, item.id, answer, "已核实" if answer != "pass" else None)


def _audit_count(db) -> int:
    return db.execute("SELECT count(*) FROM audit").fetchone()[0]


def test_unscanned_package_is_refused_with_usage_error(db, tmp_path):
    with pytest.raises(ReviewError) as err:
        R.review_status(db, tmp_path / "never-scanned")
    assert err.value.code == "not-scanned" and err.value.usage
    assert "reviewer scan" in err.value.msg("en") and "reviewer scan" in err.value.msg("zh")


def test_fresh_review_lists_every_item_and_error_finding_as_blockers(db, course):
    err = finding("lexicon", "cheating-ads")
    warn = finding("outdated", "outdated-law", "warning", line=2, match="《合同法》")
    course.version(findings=[err, warn])
    status = R.review_status(db, course.path)
    n_items = len(list(R.load_checklists().items()))
    assert n_items >= 15 and len(status.items) == n_items
    kinds = [(b.kind, b.id) for b in status.blockers]
    assert sum(1 for k, _ in kinds if k == "item-unanswered") == n_items
    assert ("finding-undisposed", err.id) in kinds
    assert all(i != warn.id for _, i in kinds)  # a warning never blocks
    assert {p.checklist for p in status.progress} == {"political", "academic", "quality"}
    assert all(p.answered == 0 and p.total > 0 for p in status.progress)
    assert status.decision is None and not status.can_recommend


@pytest.mark.parametrize("answer", ["fail", "na"])
@pytest.mark.parametrize("comment", [None, "", "   \n"])
def test_fail_and_na_need_a_comment(db, course, answer, comment):
    course.version()
    before = _audit_count(db)
    with pytest.raises(ReviewError) as err:
        R.answer_item(db, course.path, "P1", answer, comment)
    assert err.value.code == "comment-required" and not err.value.usage
    status = R.review_status(db, course.path)
    assert status.item("P1").answer is None
    assert _audit_count(db) == before + 1  # only the "open" row of the first call


def test_pass_needs_no_comment_and_comments_are_trimmed(db, course):
    course.version()
    R.answer_item(db, course.path, "P1", "pass")
    R.answer_item(db, course.path, "P2", "FAIL", "  有低俗用语  ")
    status = R.review_status(db, course.path)
    assert status.item("P1").answer == "pass" and status.item("P1").comment is None
    assert status.item("P2").answer == "fail" and status.item("P2").comment == "有低俗用语"
    assert status.item("P1").actor == "审查人甲"


def test_unknown_item_and_bad_answer_are_usage_errors(db, course):
    course.version()
    with pytest.raises(ReviewError) as err:
        R.answer_item(db, course.path, "Z99", "pass")
    assert err.value.code == "unknown-item" and err.value.usage
    with pytest.raises(ReviewError) as err:
        R.answer_item(db, course.path, "P1", "maybe", "x")
    assert err.value.code == "bad-value" and err.value.usage


def test_dispositions_need_reasons_except_confirmed(db, course):
    a = finding("lexicon", "cheating-ads", line=1)
    b = finding("pii", "personal-data", line=2, match="13800138000")
    course.version(findings=[a, b])
    for disp in ("false-alarm", "accepted"):
        with pytest.raises(ReviewError) as err:
            R.dispose_finding(db, course.path, a.id, disp, "  ")
        assert err.value.code == "reason-required"
    R.dispose_finding(db, course.path, a.id, "false-alarm", "讲解刷课危害的案例")
    R.dispose_finding(db, course.path, b.id[:6], "confirmed")  # unique prefix
    status = R.review_status(db, course.path)
    assert status.finding(a.id).disposition == "false-alarm"
    assert status.finding(a.id).reason == "讲解刷课危害的案例"
    assert status.finding(b.id).disposition == "confirmed"
    with pytest.raises(ReviewError) as err:
        R.dispose_finding(db, course.path, "ffffffffffffffff", "confirmed")
    assert err.value.code == "unknown-finding" and err.value.usage
    with pytest.raises(ReviewError) as err:
        R.dispose_finding(db, course.path, a.id, "ignore", "x")
    assert err.value.code == "bad-value"


def test_recommend_refused_while_blockers_then_allowed(db, course):
    err = finding("lexicon", "cheating-ads")
    course.version(findings=[err])
    with pytest.raises(ReviewError) as refused:
        R.decide(db, course.path, "recommend")
    assert refused.value.code == "blockers" and not refused.value.usage
    assert {d["kind"] for d in refused.value.details} == {"item-unanswered", "finding-undisposed"}
    assert R.review_status(db, course.path).decision is None

    _answer_all(db, course.path, skip=("P3",))
    # P3's evidence is the open error: passing it over that needs a confirmation and a comment
    R.answer_item(db, course.path, "P3", "pass", "该发现另行处置", confirm_open_findings=True)
    status = R.review_status(db, course.path)
    assert [(b.kind, b.id) for b in status.blockers] == [("finding-undisposed", err.id)]
    R.dispose_finding(db, course.path, err.id, "false-alarm", "引用新闻报道，讲解学术诚信")
    assert R.review_status(db, course.path).blockers == []
    decision = R.decide(db, course.path, "recommend")
    assert decision.decision == "recommend"
    status = R.review_status(db, course.path)
    assert status.decision.decision == "recommend" and status.can_recommend
    assert not status.decision_outdated


def test_blocking_fail_blocks_but_nonblocking_fail_and_na_do_not(db, course):
    course.version()
    _answer_all(db, course.path)
    cls = R.load_checklists()
    blocking = next(i for i in cls.items() if i.blocking)
    nonblocking = next(i for i in cls.items() if not i.blocking)
    R.answer_item(db, course.path, nonblocking.id, "fail", "服务一般，但不影响认定")
    R.answer_item(db, course.path, blocking.id, "na", "本课程不涉及地图")
    assert R.review_status(db, course.path).blockers == []
    R.answer_item(db, course.path, blocking.id, "fail", "未配备责任教师")
    blockers = R.review_status(db, course.path).blockers
    assert [(b.kind, b.id) for b in blockers] == [("item-failed", blocking.id)]
    assert blockers[0].message["zh"] and blockers[0].message["en"]


def test_confirmed_error_blocks_accepted_does_not(db, course):
    err = finding("pii", "personal-data", match="110101199003074514")
    course.version(findings=[err])
    R.dispose_finding(db, course.path, err.id, "confirmed", "学生身份证号")
    _answer_all(db, course.path)  # after the disposition: Q5's evidence is looked at
    assert [(b.kind, b.id) for b in R.review_status(db, course.path).blockers] == [
        ("finding-confirmed", err.id)]
    R.dispose_finding(db, course.path, err.id, "accepted", "虚构示例号码，用于讲解校验位")
    assert R.review_status(db, course.path).blockers == []


def test_revise_and_reject_need_a_comment_and_are_allowed_any_time(db, course):
    course.version(findings=[finding("lexicon", "cheating-ads")])
    for decision in ("revise", "reject"):
        with pytest.raises(ReviewError) as err:
            R.decide(db, course.path, decision, " ")
        assert err.value.code == "comment-required"
    R.decide(db, course.path, "revise", "删除第 3 讲中的广告后重新提交")
    status = R.review_status(db, course.path)
    assert status.decision.decision == "revise"
    assert status.decision.comment == "删除第 3 讲中的广告后重新提交"
    R.decide(db, course.path, "reject", "内容陈旧")
    assert R.review_status(db, course.path).decision.decision == "reject"
    with pytest.raises(ReviewError) as err:
        R.decide(db, course.path, "approve")
    assert err.value.code == "bad-value" and err.value.usage


def test_a_change_after_the_decision_marks_it_outdated(db, course):
    course.version()
    _answer_all(db, course.path)
    R.decide(db, course.path, "recommend")
    assert not R.review_status(db, course.path).decision_outdated
    R.answer_item(db, course.path, "P1", "fail", "发现问题")
    status = R.review_status(db, course.path)
    assert status.decision.decision == "recommend" and status.decision_outdated
    assert [b.kind for b in status.blockers] == ["item-failed"]


def test_repeating_the_same_answer_writes_nothing(db, course):
    course.version()
    R.answer_item(db, course.path, "P1", "pass")
    before = _audit_count(db)
    R.answer_item(db, course.path, "P1", "pass")
    assert _audit_count(db) == before
    R.answer_item(db, course.path, "P1", "pass", "抽查第 1-3 讲")
    assert _audit_count(db) == before + 1


def test_clear_answer_and_disposition(db, course):
    err = finding("lexicon", "cheating-ads")
    course.version(findings=[err])
    R.answer_item(db, course.path, "P1", "pass")
    R.dispose_finding(db, course.path, err.id, "confirmed")
    assert R.clear_answer(db, course.path, "P1") is True
    assert R.clear_answer(db, course.path, "P1") is False
    assert R.clear_disposition(db, course.path, err.id) is True
    status = R.review_status(db, course.path)
    assert status.item("P1").answer is None and status.finding(err.id).disposition is None
    actions = [e.action for e in R.audit_log(db, course.path)]
    assert actions[-2:] == ["clear-answer", "clear-disposition"]


def test_notes_are_kept_and_empty_notes_refused(db, course):
    course.version()
    R.add_note(db, course.path, "第 5 讲画面模糊", target="A1")
    with pytest.raises(ReviewError):
        R.add_note(db, course.path, "   ")
    notes = R.review_status(db, course.path).notes
    assert [(n["text"], n["target"], n["actor"]) for n in notes] == [("第 5 讲画面模糊", "A1", "审查人甲")]


def test_item_evidence_links_findings_and_manifest_facts(db, course):
    ads = finding("lexicon", "cheating-ads", line=1)
    pol = finding("lexicon", "political", line=2, match="某口号")
    pii = finding("pii", "personal-data", line=3, match="13800138000")
    manifest = {k: v for k, v in MANIFEST.items()
                if k != "responsible_teacher"}
    manifest["platform_security_level"] = 2
    course.version(findings=[ads, pol, pii], manifest=manifest)
    assert [f.id for f in R.evidence_for(db, course.path, "P3")] == [ads.id]
    assert [f.id for f in R.evidence_for(db, course.path, "P1")] == [pol.id]
    assert [f.id for f in R.evidence_for(db, course.path, "Q5")] == [pii.id]
    status = R.review_status(db, course.path)
    assert status.item("P3").evidence == [ads.id]
    q1 = R.item_evidence(db, course.path, "Q1").facts
    assert [(f.label, f.met) for f in q1] == [("responsible_teacher", False)]
    q6 = R.item_evidence(db, course.path, "Q6").facts
    assert [(f.label, f.value, f.met) for f in q6] == [("platform_security_level", 2, False)]
    q3 = R.item_evidence(db, course.path, "Q3").facts
    assert q3[0].met is True and q3[1].kind == "files"
