"""Answering pass while the item's own evidence holds error findings nobody has disposed of.

Issue 11 item 2: P3 passed with three open 刷课 findings, without a word.  Now
the service refuses (``open-findings``, the findings in ``details``) unless the
caller confirms and comments; the confirmation is audited.
"""

from __future__ import annotations

import pytest

from reviewer.service import review as R
from reviewer.service.review import ReviewError

from tests.review.review_helpers import finding


@pytest.fixture
def three_ads(db, course):
    """P3's evidence (lexicon cheating-ads): three error findings and a warning; a PII error."""
    ads = [finding("lexicon", "cheating-ads", line=n, match=m)
           for n, m in ((1, "代刷网课"), (2, "网课包过"), (3, "代看视频"))]
    warn = finding("lexicon", "cheating-ads", "warning", line=4, match="刷课")
    pii = finding("pii", "phone", line=5, match="13800138000")
    course.version(findings=[*ads, warn, pii])
    return ads, warn, pii


def test_pass_over_open_errors_is_refused_with_the_findings(db, course, three_ads):
    ads, warn, pii = three_ads
    with pytest.raises(ReviewError) as err:
        R.answer_item(db, course.path, "P3", "pass")
    exc = err.value
    assert exc.code == "open-findings" and not exc.usage
    assert "P3" in exc.msg("zh") and "3" in exc.msg("en") and "confirm" in exc.msg("en")
    assert sorted(d["id"] for d in exc.details) == sorted(f.id for f in ads)  # not the warning, not pii
    assert all(d["kind"] == "finding-undisposed" and d["message"]["zh"] and d["message"]["en"]
               for d in exc.details)
    assert any("代刷网课" in d["message"]["zh"] for d in exc.details)
    assert R.review_status(db, course.path).item("P3").answer is None
    assert [e.action for e in R.audit_log(db, course.path)] == ["open"]


def test_confirming_needs_a_comment(db, course, three_ads):
    with pytest.raises(ReviewError) as err:
        R.answer_item(db, course.path, "P3", "pass", "  ", confirm_open_findings=True)
    assert err.value.code == "comment-required" and len(err.value.details) == 3
    assert "comment" in err.value.msg("en") and "说明" in err.value.msg("zh")
    assert R.review_status(db, course.path).item("P3").answer is None


def test_confirmed_pass_is_recorded_and_audited(db, course, three_ads):
    ads, _, _ = three_ads
    state = R.answer_item(db, course.path, "P3", "pass", "三处均为讲解学术诚信的反面案例",
                          confirm_open_findings=True)
    assert (state.answer, state.comment) == ("pass", "三处均为讲解学术诚信的反面案例")
    item = R.review_status(db, course.path).item("P3")
    assert (item.answer, item.comment) == ("pass", "三处均为讲解学术诚信的反面案例")
    entry = R.audit_log(db, course.path)[-1]
    assert entry.action == "answer" and entry.target == "P3"
    assert entry.new["answer"] == "pass"
    assert sorted(entry.new["confirmed_open_findings"]) == sorted(f.id for f in ads)


def test_fail_and_na_are_never_asked(db, course, three_ads):
    R.answer_item(db, course.path, "P3", "fail", "含代刷广告")
    R.answer_item(db, course.path, "P3", "na", "不适用")
    assert R.review_status(db, course.path).item("P3").answer == "na"


def test_an_item_without_open_errors_passes_as_before(db, course, three_ads):
    ads, _, pii = three_ads
    R.answer_item(db, course.path, "P1", "pass")  # no findings in its evidence
    for f in ads[:2]:
        R.dispose_finding(db, course.path, f.id, "false-alarm", "反面案例")
    R.dispose_finding(db, course.path, ads[2].id, "confirmed")  # looked at: a disposition
    state = R.answer_item(db, course.path, "P3", "pass")
    assert state.answer == "pass"
    assert "confirmed_open_findings" not in R.audit_log(db, course.path)[-1].new
    with pytest.raises(ReviewError) as err:  # Q5's evidence is pii: its error is still open
        R.answer_item(db, course.path, "Q5", "pass")
    assert [d["id"] for d in err.value.details] == [pii.id]


def test_one_open_error_left_is_enough_to_ask(db, course, three_ads):
    ads, _, _ = three_ads
    for f in ads[1:]:
        R.dispose_finding(db, course.path, f.id, "accepted", "引用示例")
    with pytest.raises(ReviewError) as err:
        R.answer_item(db, course.path, "P3", "pass")
    assert [d["id"] for d in err.value.details] == [ads[0].id]


def test_import_applies_dispositions_before_answers(db, course, three_ads):
    ads, _, _ = three_ads
    data = {"answers": {"P3": "pass"},
            "dispositions": {f.id: {"disposition": "false-alarm", "reason": "反面案例"} for f in ads}}
    report = R.import_answers(db, course.path, data)
    assert report.ok, report.errors
    assert R.review_status(db, course.path).item("P3").answer == "pass"


def test_import_refuses_a_pass_over_open_errors(db, course, three_ads):
    report = R.import_answers(db, course.path, {"answers": {"P3": "pass", "P1": "pass"}})
    assert [e["entry"] for e in report.errors] == ["answer:P3"]
    assert report.errors[0]["code"] == "open-findings"
    assert report.applied == ["answer:P1"]


def test_an_exported_confirmed_pass_imports_as_the_same_act(db, course, three_ads, tmp_path):
    """The export carries the findings a pass was confirmed past; importing it elsewhere
    (a colleague's machine, a fresh store) records the pass, audited with them."""
    ads, _, _ = three_ads
    R.answer_item(db, course.path, "P3", "pass", "三处均为反面案例", confirm_open_findings=True)
    data = R.export_answers(db, course.path)
    assert sorted(data["answers"]["P3"]["confirmed_open_findings"]) == sorted(f.id for f in ads)
    assert "confirmed_open_findings" not in data["answers"].get("P1", {})

    R.clear_answer(db, course.path, "P3")
    report = R.import_answers(db, course.path, data)
    assert report.ok and "answer:P3" in report.applied, report.errors
    assert R.review_status(db, course.path).item("P3").answer == "pass"
    entry = R.audit_log(db, course.path)[-1]
    assert entry.new["via"] == "import"
    assert sorted(entry.new["confirmed_open_findings"]) == sorted(f.id for f in ads)


def test_an_import_confirms_only_the_findings_it_names(db, course, three_ads):
    ads, _, _ = three_ads
    some = {"answer": "pass", "comment": "看过", "confirmed_open_findings": [ads[0].id, ads[1].id]}
    report = R.import_answers(db, course.path, {"answers": {"P3": some}})
    assert [e["entry"] for e in report.errors] == ["answer:P3"]  # the third is still open
    assert report.errors[0]["code"] == "open-findings"
    all_three = {**some, "confirmed_open_findings": [f.id for f in ads]}
    no_comment = {k: v for k, v in all_three.items() if k != "comment"}
    report = R.import_answers(db, course.path, {"answers": {"P3": no_comment}})
    assert report.errors[0]["code"] == "comment-required"
    for bad in ("all", [1, 2], {"x": 1}):
        report = R.import_answers(db, course.path, {"answers": {"P3": {**all_three,
                                                                       "confirmed_open_findings": bad}}})
        assert report.errors[0]["code"] == "bad-value"
    assert R.review_status(db, course.path).item("P3").answer is None
    assert R.import_answers(db, course.path, {"answers": {"P3": all_three}}).ok
    assert R.review_status(db, course.path).item("P3").answer == "pass"
