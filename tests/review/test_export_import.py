"""Export and import of answers: a round trip, and bad entries reported while the rest apply."""

from __future__ import annotations

import pytest
import yaml

from tests.review.review_helpers import Course, finding
from reviewer.service import review as R
from reviewer.service.review import ReviewError
from reviewer.store import open_db


def _state(db, path):
    s = R.review_status(db, path)
    return ({i.id: (i.answer, i.comment) for i in s.items if i.answer},
            {f.id: (f.disposition, f.reason) for f in s.findings if f.disposition},
            [(n["text"], n["target"]) for n in s.notes])


def test_round_trip_reproduces_answers_dispositions_and_notes(db, course, tmp_path):
    a = finding("lexicon", "cheating-ads", line=1)
    b = finding("pii", "personal-data", line=2, match="13800138000")
    c = finding("outdated", "outdated-law", "warning", line=3, match="《合同法》")
    course.version(findings=[a, b, c])
    R.answer_item(db, course.path, "P1", "pass")
    R.answer_item(db, course.path, "A2", "fail", "引用已废止的《合同法》讲现行规定")
    R.answer_item(db, course.path, "P4", "na", "无地图")
    R.dispose_finding(db, course.path, a.id, "false-alarm", "讲解学术诚信")
    R.dispose_finding(db, course.path, b.id, "confirmed")
    R.dispose_finding(db, course.path, c.id, "accepted", "法律史对比")
    R.add_note(db, course.path, "第 3 讲需要复看", target="A1")
    R.decide(db, course.path, "revise", "修改后再交")
    exported = R.export_answers(db, course.path)
    text = yaml.safe_dump(exported, allow_unicode=True, sort_keys=False)

    db2 = open_db(tmp_path / "elsewhere.db")
    Course(db2, tmp_path / "course").version(findings=[a, b, c])
    report = R.import_answers(db2, course.path, yaml.safe_load(text))
    assert report.ok and len(report.applied) == 3 + 3 + 1
    assert _state(db2, course.path) == _state(db, course.path)
    assert any("decision" in w["en"] for w in report.warnings)
    assert R.review_status(db2, course.path).decision is None  # never imported
    assert all(e.new.get("via") == "import" for e in R.audit_log(db2, course.path)
               if e.action in ("answer", "dispose"))
    # importing again changes nothing
    again = R.import_answers(db2, course.path, yaml.safe_load(text))
    assert again.applied == [] and len(again.unchanged) == 7


def test_bad_entries_are_reported_and_the_rest_applied(db, course):
    a = finding("lexicon", "cheating-ads", line=1)
    course.version(findings=[a])
    data = {
        "answers": {
            "P1": "pass",                              # short form
            "P2": {"answer": "fail"},                  # no comment
            "P3": {"answer": "fail", "comment": "有代刷广告"},
            "NOPE": {"answer": "pass"},                # unknown item
            "P4": {"answer": "sometimes", "comment": "x"},  # bad value
            "P5": ["pass"],                            # wrong shape
        },
        "dispositions": {
            a.id: {"disposition": "false-alarm"},      # no reason
            "feedfacefeedface": {"disposition": "confirmed"},  # unknown finding
        },
        "notes": ["一条备注", {"text": "  "}],
    }
    report = R.import_answers(db, course.path, data)
    assert sorted(report.applied) == ["answer:P1", "answer:P3", "note:#1"]
    codes = {e["entry"]: e["code"] for e in report.errors}
    assert codes == {
        "answer:P2": "comment-required", "answer:NOPE": "unknown-item",
        "answer:P4": "bad-value", "answer:P5": "bad-value",
        f"disposition:{a.id}": "reason-required",
        "disposition:feedfacefeedface": "unknown-finding", "note:#2": "empty-note",
    }
    assert all(set(e["message"]) == {"zh", "en"} for e in report.errors)
    answers, disps, notes = _state(db, course.path)
    assert answers == {"P1": ("pass", None), "P3": ("fail", "有代刷广告")}
    assert disps == {} and notes == [("一条备注", None)]


def test_list_form_and_version_mismatch_warning(db, course):
    course.version()
    data = {"package": {"digest": "sha256:" + "0" * 64},
            "answers": [{"item": "P1", "answer": "pass"}, {"answer": "pass"}]}
    report = R.import_answers(db, course.path, data)
    assert report.applied == ["answer:P1"]
    assert [e["entry"] for e in report.errors] == ["answer:#2"]
    assert any("another version" in w["en"] for w in report.warnings)


@pytest.mark.parametrize("data", [None, [], "answers", {"answers": 3}])
def test_malformed_import_data_is_a_usage_error(db, course, data):
    course.version()
    with pytest.raises(ReviewError) as err:
        R.import_answers(db, course.path, data)
    assert err.value.usage and err.value.code == "bad-import"


def test_a_note_target_that_is_not_an_id_is_reported_not_a_crash(db, course):
    course.version(findings=[])
    report = R.import_answers(db, course.path, {"notes": [
        {"text": "看列表", "target": ["P1"]}, {"text": "看映射", "target": {"a": 1}},
        {"text": "数字编号", "target": 12}, {"text": "无目标"}]})
    assert [e["entry"] for e in report.errors] == ["note:#1", "note:#2"]
    assert all(e["code"] == "bad-value" for e in report.errors)
    assert report.applied == ["note:#3", "note:#4"]
    assert [(n["text"], n["target"]) for n in R.review_status(db, course.path).notes] == \
        [("数字编号", "12"), ("无目标", None)]
