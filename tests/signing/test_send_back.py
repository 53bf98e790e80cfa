"""A send-back — a signed ``revise`` or ``reject`` — is a formal record (issue 11 item 2).

It signs with the review's blockers open (they are its reasons, carried
grouped in the statement with every answer's comment), countersigns and
verifies; a platform refuses it by name (``decision.not_recommend``), and no
platform can take it for a recommendation: it has its own predicate type.  A
``recommend`` stays refused while anything blocks it.
"""

from __future__ import annotations

import base64
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from reviewer.service import review as rv
from reviewer.service.scan import scan
from reviewer.service.signing import (
    SignRefused, countersign_file, platform_import, read_envelope, report_file, review_snapshot,
    sign_package, verify_file,
)
from reviewer.signing.schemas import load_schema
from reviewer.signing.statement import (
    PREDICATE_TYPE, SEND_BACK_PREDICATE_TYPE, build_statement,
)
from reviewer.store import open_db

from tests.signing.signing_helpers import PASS, UNI, complete_review, make_input, trust_for

SAMPLE = Path(__file__).resolve().parents[2] / "sample_courses" / "zh-data-structures"
COMMENT = "第1讲和第8讲含“代刷网课”广告，请删除后重新提交"


@pytest.fixture()
def course(tmp_path):
    pkg = tmp_path / "course"
    shutil.copytree(SAMPLE, pkg)
    db = open_db(tmp_path / "state.db")
    scan(db, pkg)
    return db, pkg


def send_back(db, pkg, decision: str = "revise") -> None:
    """A review left open where the course fails: P3's adverts undisposed, P1 failed with
    its comment, a non-blocking item answered n/a with its comment, the rest unanswered."""
    rv.answer_item(db, pkg, "P1", "fail", "第8讲片尾有代刷广告")
    rv.answer_item(db, pkg, "Q11", "na", "本课程无在线答疑")
    rv.decide(db, pkg, decision, COMMENT)


def _sign(db, pkg, key, out, **kw):
    return sign_package(db, pkg, key_path=key.key_path, passphrase=PASS, out=out, **kw)


@pytest.fixture()
def countersigned(course, keys, tmp_path) -> Path:
    """A send-back signed by the reviewer and countersigned by the committee, with
    ``trust.yaml`` (both keys) beside it."""
    db, pkg = course
    send_back(db, pkg)
    rec = tmp_path / "rec.json"
    _sign(db, pkg, keys["reviewer"], rec)
    countersign_file(rec, key_path=keys["committee"].key_path, passphrase=PASS)
    trust_for(keys).save(tmp_path / "trust.yaml")
    return rec


def _statement(rec: Path) -> dict:
    return json.loads(read_envelope(rec).payload)


@pytest.mark.parametrize("decision", ["revise", "reject"])
def test_send_back_signs_with_its_blockers_and_comments(course, keys, tmp_path, decision):
    db, pkg = course
    send_back(db, pkg, decision)
    status = rv.review_status(db, pkg)
    assert status.blockers, "a send-back with open blockers"
    rec = tmp_path / "rec.json"
    result = _sign(db, pkg, keys["reviewer"], rec)
    assert "will not accept" in result.warnings[0]["en"] and "退回记录" in result.warnings[0]["zh"]
    statement = _statement(rec)
    assert statement["predicateType"] == SEND_BACK_PREDICATE_TYPE
    pred = statement["predicate"]
    assert pred["decision"]["value"] == decision and pred["decision"]["comment"] == COMMENT
    # every open blocker, grouped as the reviewer works through them
    groups = pred["blockers"]
    assert [g["group"] for g in groups] == [key for key, _ in status.blocker_groups]
    assert [g["group"] for g in groups] == ["unanswered", "items", "findings"]
    assert [(b["kind"], b["id"]) for g in groups for b in g["blockers"]] == \
        [(b.kind, b.id) for _, members in status.blocker_groups for b in members]
    assert all(b["message"]["zh"] and b["message"]["en"] for g in groups for b in g["blockers"])
    assert ("item-failed", "P1") in {(b["kind"], b["id"]) for b in groups[1]["blockers"]}
    # every answer's comment
    answers = {a["item"]: a for a in pred["checklist"]["answers"]}
    assert answers["P1"]["answer"] == "fail" and answers["P1"]["comment"] == "第8讲片尾有代刷广告"
    assert answers["Q11"]["comment"] == "本课程无在线答疑"
    assert answers["P3"]["answer"] is None
    assert list(Draft202012Validator(load_schema("recommendation-statement")).iter_errors(statement)) == []


def test_send_back_countersigns_verifies_and_is_refused_by_name_on_import(course, countersigned,
                                                                         keys, tmp_path):
    _, pkg = course
    rec = countersigned
    assert [s.keyid for s in read_envelope(rec).signatures] == [
        keys["reviewer"].info.keyid, keys["committee"].info.keyid]
    v = verify_file(rec, tmp_path / "trust.yaml", package=pkg)
    assert v.codes == ["decision.not_recommend"]
    assert v.send_back and not v.tampered
    assert all(s.usable for s in v.signatures)
    assert v.to_dict()["send_back"] is True

    [result] = platform_import(open_db(tmp_path / "platform.db"), [rec], tmp_path / "trust.yaml")
    assert result.decision.outcome == "rejected"
    [reason] = result.decision.reasons
    assert reason.code == "decision.not_recommend"
    assert "修改后重新提交" in reason.message("zh") and "revise" in reason.message("zh")
    assert "不是推荐" in reason.message("zh")
    assert "send-back" in reason.message("en") and "not a recommendation" in reason.message("en")


def test_the_report_shows_a_send_back_with_its_blockers(countersigned, tmp_path):
    rec = countersigned
    md = report_file(rec, fmt="md", lang="zh", trust_path=tmp_path / "trust.yaml")
    assert md.startswith("# 课程审核退回记录") and "不是推荐" in md
    assert "签名有效，但这是退回记录" in md
    assert "未回答的检查项" in md and "未通过或须复核的检查项" in md and "未处置或已确认的错误级发现" in md
    assert COMMENT in md and "第8讲片尾有代刷广告" in md
    html = report_file(rec, fmt="html", lang="en")
    assert "Course review send-back" in html and "not a recommendation" in html
    assert "Items not answered" in html and "<code>P3</code>" in html


def test_a_recommendation_carries_no_blockers_and_keeps_its_type(package, keys):
    statement = build_statement(make_input(package, keys["reviewer"]))
    assert statement["predicateType"] == PREDICATE_TYPE and "blockers" not in statement["predicate"]
    with pytest.raises(ValueError, match="blocks"):
        build_statement(make_input(package, keys["reviewer"], blockers=[
            {"kind": "item-unanswered", "id": "P1", "message": {"zh": "P1", "en": "P1"}}]))


def test_recommend_with_blockers_is_still_refused_with_every_reason(course, keys, tmp_path):
    db, pkg = course
    complete_review(db, pkg)
    rv.clear_answer(db, pkg, "A1")
    err = next(f for f in rv.review_status(db, pkg).findings if f.severity == "error")
    rv.clear_disposition(db, pkg, err.id)
    snap = review_snapshot(db, str(pkg))
    assert {b["id"] for b in snap.blockers} == {"A1", err.id}
    with pytest.raises(SignRefused) as exc:
        _sign(db, pkg, keys["reviewer"], tmp_path / "rec.json", snapshot=replace(snap, decision_outdated=False))
    assert [b["id"] for b in exc.value.blockers] == ["A1", err.id]
    assert [r for r in exc.value.reasons] == [b["message"] for b in exc.value.blockers]
    assert "A1" in exc.value.reasons[0]["en"] and err.file in exc.value.reasons[1]["en"]
    assert exc.value.other_reasons == []
    assert not (tmp_path / "rec.json").exists()


def test_a_send_back_without_a_comment_is_refused(course, keys, tmp_path):
    db, pkg = course
    send_back(db, pkg)
    snap = review_snapshot(db, str(pkg))
    silent = replace(snap, decision=dict(snap.decision, comment="  "))
    with pytest.raises(SignRefused) as exc:
        _sign(db, pkg, keys["reviewer"], tmp_path / "rec.json", snapshot=silent)
    [reason] = exc.value.reasons
    assert "no comment" in reason["en"] and "say why" in reason["en"] and "--comment" in reason["en"]
    assert "意见" in reason["zh"]
    assert exc.value.blockers == []
    assert not (tmp_path / "rec.json").exists()


def test_an_outdated_send_back_is_refused(course, keys, tmp_path):
    db, pkg = course
    send_back(db, pkg)
    rv.answer_item(db, pkg, "P2", "pass")
    with pytest.raises(SignRefused) as exc:
        _sign(db, pkg, keys["reviewer"], tmp_path / "rec.json")
    assert any("record it again" in r["en"] for r in exc.value.reasons)


def _tamper(rec: Path, edit) -> None:
    data = json.loads(rec.read_text(encoding="utf-8"))
    statement = json.loads(base64.b64decode(data["payload"]))
    edit(statement)
    data["payload"] = base64.b64encode(json.dumps(statement, ensure_ascii=False).encode()).decode()
    rec.write_text(json.dumps(data), encoding="utf-8")


def _make_it_a_recommendation(statement: dict) -> None:
    statement["predicateType"] = PREDICATE_TYPE
    statement["predicate"]["decision"]["value"] = "recommend"
    del statement["predicate"]["blockers"]


def test_a_send_back_turned_into_a_recommendation_fails_verification(countersigned, keys, tmp_path):
    rec = countersigned
    _tamper(rec, _make_it_a_recommendation)
    v = verify_file(rec, tmp_path / "trust.yaml")
    assert not v.ok and v.tampered
    assert "signature.none_valid" in v.codes and v.statement is None
    [result] = platform_import(open_db(tmp_path / "platform.db"), [rec], tmp_path / "trust.yaml")
    assert result.decision.outcome == "rejected"
    with pytest.raises(SignRefused):
        countersign_file(rec, key_path=keys["committee2"].key_path, passphrase=PASS)


@pytest.mark.parametrize("mutate", [
    lambda s: s["predicate"]["decision"].update(value="recommend"),  # a send-back that recommends
    lambda s: s["predicate"].pop("blockers"),  # a send-back without its reasons
    lambda s: s["predicate"]["blockers"][0].pop("blockers"),
])
def test_the_schema_holds_a_send_back_to_its_shape(package, keys, mutate):
    statement = build_statement(make_input(
        package, keys["reviewer"], decision={"value": "revise", "comment": "改", "decided_at": None,
                                             "decided_by": None},
        blockers=[{"kind": "item-unanswered", "id": "P1", "message": {"zh": "P1 未回答", "en": "P1"}}]))
    validator = Draft202012Validator(load_schema("recommendation-statement"))
    assert list(validator.iter_errors(statement)) == []
    mutate(statement)
    assert list(validator.iter_errors(statement))


def test_the_institution_rule_still_holds_for_a_send_back(course, keys, tmp_path):
    db, pkg = course
    send_back(db, pkg)
    with pytest.raises(SignRefused) as exc:
        _sign(db, pkg, keys["other_reviewer"], tmp_path / "rec.json")
    assert any("the course belongs to" in r["en"] and UNI in r["en"] for r in exc.value.reasons)


# ------------------------------------------------------------------ the commands

def _invoke(args, env=None):
    from click.testing import CliRunner

    from reviewer.cli import cli

    return CliRunner().invoke(cli, [str(a) for a in args], obj={}, env=env,
                              catch_exceptions=False)


def test_the_commands_sign_verify_and_refuse_a_send_back(course, keys, tmp_path):
    db, pkg = course
    send_back(db, pkg)
    dbp = tmp_path / "state.db"
    rec = tmp_path / "rec.json"
    env = {"REVIEWER_PASSPHRASE": PASS}
    r = _invoke(["sign", pkg, "--key", keys["reviewer"].key_path, "--out", rec, "--db", dbp], env)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.rstrip().endswith("revise") and "退回记录" in r.stderr
    r = _invoke(["countersign", rec, "--key", keys["committee"].key_path], env)
    assert r.exit_code == 0, r.stderr
    trust_for(keys).save(tmp_path / "trust.yaml")
    r = _invoke(["verify", rec, "--trust", tmp_path / "trust.yaml", "--lang", "en"])
    assert r.exit_code == 1
    assert "send-back record:" in r.stdout and "SEND-BACK" in r.stdout
    assert "[decision.not_recommend]" in r.stdout and "NOT VALID" not in r.stdout
    r = _invoke(["platform", "import", rec, "--trust", tmp_path / "trust.yaml",
                 "--db", tmp_path / "platform.db"])
    assert r.exit_code == 1 and r.stdout.startswith("rejected")
    assert "[decision.not_recommend] 结论为“修改后重新提交”（revise）：这是退回记录，不是推荐" in r.stdout
    r = _invoke(["report", rec, "--format", "md", "--lang", "en"])
    assert r.stdout.startswith("# Course review send-back") and "Items not answered (" in r.stdout


def test_the_sign_command_lists_a_recommendations_blockers_in_groups(course, keys, tmp_path):
    db, pkg = course
    complete_review(db, pkg)
    rv.answer_item(db, pkg, "P1", "fail", "发现问题")
    rv.clear_answer(db, pkg, "A1")
    r = _invoke(["sign", pkg, "--key", keys["reviewer"].key_path, "--out", tmp_path / "rec.json",
                 "--db", tmp_path / "state.db", "--lang", "en"], {"REVIEWER_PASSPHRASE": PASS})
    assert r.exit_code == 1
    err = r.stderr
    assert "record it again" in err
    assert err.index("record it again") < err.index("Items not answered (1)") \
        < err.index("[A1]") < err.index("Items failed or to recheck (1)") < err.index("[P1]")
    assert not (tmp_path / "rec.json").exists()
