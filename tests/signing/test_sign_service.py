"""Signing a reviewed package through the services: refusals, staleness, sequence, countersign."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from reviewer.service import review as rv
from reviewer.service.scan import scan
from reviewer.service.signing import (
    InputError,
    SignRefused,
    countersign_file,
    read_envelope,
    sign_package,
    verify_file,
)
from reviewer.signing.digests import list_files
from reviewer.signing.policy import ReviewSnapshot, sign_refusals
from reviewer.store import open_db

from tests.signing.signing_helpers import PASS, UNI, complete_review, trust_for

SAMPLE = Path(__file__).resolve().parents[2] / "sample_courses" / "zh-data-structures"


@pytest.fixture()
def course(tmp_path) -> tuple[object, Path]:
    """A scanned copy of a sample course with a fresh state DB."""
    pkg = tmp_path / "course"
    shutil.copytree(SAMPLE, pkg)
    db = open_db(tmp_path / "state.db")
    scan(db, pkg)
    return db, pkg


def _sign(db, pkg, key, out, **kw):
    return sign_package(db, pkg, key_path=key.key_path, passphrase=PASS, out=out, **kw)


def _en(exc) -> str:
    return "\n".join(r["en"] for r in exc.value.reasons)


def _refusal(db, pkg, key, out) -> str:
    """Signing is refused: the English message of the refusal."""
    with pytest.raises(SignRefused) as exc:
        _sign(db, pkg, key, out)
    return _en(exc)


def test_unreviewed_package_is_refused_with_every_reason(course, keys, tmp_path):
    db, pkg = course
    status = rv.review_status(db, pkg)
    with pytest.raises(SignRefused) as exc:
        _sign(db, pkg, keys["reviewer"], tmp_path / "rec.json")
    text = _en(exc)
    blocking = [i for i in status.items if i.blocking]
    assert blocking, "the shipped checklists have blocking items"
    for item in blocking:
        assert item.id in text
    errors = [f for f in status.findings if f.severity == "error"]
    assert errors
    assert "no decision has been recorded" in text
    assert len(exc.value.reasons) >= len(blocking) + len(errors) + 1
    assert not (tmp_path / "rec.json").exists()


def test_failed_blocking_item_is_refused(course, keys, tmp_path):
    # A recommendation: a send-back (revise) with a failed item is signed, see test_send_back.py.
    db, pkg = course
    complete_review(db, pkg, "recommend")
    blocking = next(i for i in rv.review_status(db, pkg).items if i.blocking)
    rv.answer_item(db, pkg, blocking.id, "fail", "有问题")
    with pytest.raises(SignRefused) as exc:
        _sign(db, pkg, keys["reviewer"], tmp_path / "rec.json")
    assert blocking.id in _en(exc)


def test_undisposed_error_finding_is_refused(course, keys, tmp_path):
    db, pkg = course
    complete_review(db, pkg)
    err = next(f for f in rv.review_status(db, pkg).findings if f.severity == "error")
    rv.clear_disposition(db, pkg, err.id)
    with pytest.raises(SignRefused) as exc:
        _sign(db, pkg, keys["reviewer"], tmp_path / "rec.json")
    assert len(exc.value.reasons) >= 1
    assert any(err.rule in r["en"] or err.id in r["en"] or err.file in r["en"] for r in exc.value.reasons)


def test_signed_recommendation_verifies(course, keys, tmp_path):
    db, pkg = course
    complete_review(db, pkg)
    rec = tmp_path / "rec.json"
    result = _sign(db, pkg, keys["reviewer"], rec)
    assert result.warnings == []
    countersign_file(rec, key_path=keys["committee"].key_path, passphrase=PASS)
    store_path = tmp_path / "trust.yaml"
    trust_for(keys).save(store_path)
    v = verify_file(rec, store_path, package=pkg)
    assert v.ok, [r.to_dict() for r in v.reasons]
    pred = v.predicate
    status = rv.review_status(db, pkg)
    assert pred["package_digest"] == status.digest
    assert [s["name"] for s in v.statement["subject"]] == list_files(pkg)
    assert pred["course"] == {
        "id": "jdlg-cs2101-ds-2025a", "title": {"zh": "数据结构", "en": "Data Structures"},
        "institution": UNI, "lecturers": ["王建国", "李晓燕"], "responsible_teacher": "王建国",
        "term": "2025秋", "platform": "中国大学MOOC"}
    assert len(pred["checklist"]["answers"]) == len(status.items)
    assert {a["answer"] for a in pred["checklist"]["answers"]} == {"pass"}
    assert pred["decision"]["value"] == "recommend" and pred["decision"]["comment"] == "符合要求"
    errors = [f for f in status.findings if f.severity == "error"]
    assert pred["findings"]["total"]["error"] == len(errors)
    assert all(i["disposition"] == "false-alarm" for i in pred["findings"]["items"])
    assert pred["tooling"]["lexicons_digest"].startswith("sha256:")
    assert pred["tooling"]["checklists_digest"] == status.checklists_digest
    assert pred["reviewer"]["keyid"] == keys["reviewer"].info.keyid
    assert pred["sequence"] == 1 and pred["supersedes"] is None
    issued = datetime.fromisoformat(pred["issued_at"].replace("Z", "+00:00"))
    until = datetime.fromisoformat(pred["valid_until"].replace("Z", "+00:00"))
    assert until - issued == timedelta(days=365)


def test_zip_of_the_package_verifies_like_the_folder(course, keys, tmp_path):
    db, pkg = course
    complete_review(db, pkg)
    rec = tmp_path / "rec.json"
    _sign(db, pkg, keys["reviewer"], rec)
    countersign_file(rec, key_path=keys["committee"].key_path, passphrase=PASS)
    archive = shutil.make_archive(str(tmp_path / "course"), "zip", tmp_path, "course")
    trust_for(keys).save(tmp_path / "trust.yaml")
    assert verify_file(rec, tmp_path / "trust.yaml", package=archive).ok


def test_package_changed_after_review_is_refused(course, keys, tmp_path):
    db, pkg = course
    complete_review(db, pkg)
    with (pkg / "notes" / "课程笔记.md").open("a", encoding="utf-8") as fh:
        fh.write("\n新增一行\n")
    assert "changed after the review" in _refusal(db, pkg, keys["reviewer"], tmp_path / "rec.json")


def test_sequence_and_supersedes(course, keys, tmp_path):
    db, pkg = course
    complete_review(db, pkg)
    first = _sign(db, pkg, keys["reviewer"], tmp_path / "r1.json").statement["predicate"]
    second = _sign(db, pkg, keys["reviewer"], tmp_path / "r2.json").statement["predicate"]
    assert (first["sequence"], second["sequence"]) == (1, 2)
    assert second["supersedes"] == first["id"] and second["id"] != first["id"]
    third = _sign(db, pkg, keys["reviewer"], tmp_path / "r3.json", sequence=7, supersedes="x",
                  audience="学堂在线", valid_days=30).statement["predicate"]
    assert (third["sequence"], third["supersedes"], third["audience"]) == (7, "x", "学堂在线")
    fourth = _sign(db, pkg, keys["reviewer"], tmp_path / "r4.json").statement["predicate"]
    assert fourth["sequence"] == 8 and fourth["supersedes"] == third["id"]


def test_committee_key_cannot_sign(course, keys, tmp_path):
    db, pkg = course
    complete_review(db, pkg)
    assert "needs a reviewer key" in _refusal(db, pkg, keys["committee"], tmp_path / "rec.json")


def test_reviewer_of_another_institution_cannot_sign(course, keys, tmp_path):
    db, pkg = course
    complete_review(db, pkg)
    assert "the course belongs to" in _refusal(db, pkg, keys["other_reviewer"], tmp_path / "rec.json")


def test_not_scanned_is_refused(keys, tmp_path):
    pkg = tmp_path / "course"
    shutil.copytree(SAMPLE, pkg)
    db = open_db(tmp_path / "state.db")
    assert "scan" in _refusal(db, pkg, keys["reviewer"], tmp_path / "rec.json")


def test_wrong_passphrase_is_input_error(course, keys, tmp_path):
    db, pkg = course
    complete_review(db, pkg)
    with pytest.raises(InputError, match="wrong passphrase"):
        sign_package(db, pkg, key_path=keys["reviewer"].key_path, passphrase="nope",
                     out=tmp_path / "rec.json")


def test_revise_decision_is_signed_but_never_verifies(course, keys, tmp_path):
    db, pkg = course
    complete_review(db, pkg, "revise", "请补充第8讲")
    rec = tmp_path / "rec.json"
    result = _sign(db, pkg, keys["reviewer"], rec)
    assert result.warnings and "will not accept" in result.warnings[0]["en"]
    countersign_file(rec, key_path=keys["committee"].key_path, passphrase=PASS)
    trust_for(keys).save(tmp_path / "trust.yaml")
    assert verify_file(rec, tmp_path / "trust.yaml").codes == ["decision.not_recommend"]


def test_outdated_decision_is_refused(course, keys, tmp_path):
    db, pkg = course
    complete_review(db, pkg)
    item = rv.review_status(db, pkg).items[-1]
    rv.answer_item(db, pkg, item.id, "na", "本课程不涉及")
    if not rv.review_status(db, pkg).decision_outdated:
        pytest.skip("the review service does not mark this change as outdating the decision")
    assert "record it again" in _refusal(db, pkg, keys["reviewer"], tmp_path / "rec.json")


# ------------------------------------------------------------------ countersign

@pytest.fixture()
def signed(course, keys, tmp_path) -> Path:
    db, pkg = course
    complete_review(db, pkg)
    rec = tmp_path / "rec.json"
    _sign(db, pkg, keys["reviewer"], rec)
    return rec


def test_countersign_in_place_and_idempotent(signed, keys):
    before = read_envelope(signed)
    target, added = countersign_file(signed, key_path=keys["committee"].key_path, passphrase=PASS)
    assert added and target == signed
    after = read_envelope(signed)
    assert after.payload == before.payload
    assert [s.keyid for s in after.signatures] == [keys["reviewer"].info.keyid, keys["committee"].info.keyid]
    text = signed.read_text(encoding="utf-8")
    _, added = countersign_file(signed, key_path=keys["committee"].key_path, passphrase=PASS)
    assert not added and signed.read_text(encoding="utf-8") == text


def test_countersign_to_another_file(signed, keys, tmp_path):
    original = signed.read_bytes()
    out = tmp_path / "signed2.json"
    countersign_file(signed, key_path=keys["committee"].key_path, passphrase=PASS, out=out)
    assert signed.read_bytes() == original
    assert len(read_envelope(out).signatures) == 2


@pytest.mark.parametrize("who,needle", [("reviewer", "committee key"),
                                        ("other_committee", "belongs to"),
                                        ("other_reviewer", "committee key")])
def test_countersign_refusals(signed, keys, who, needle):
    with pytest.raises(SignRefused) as exc:
        countersign_file(signed, key_path=keys[who].key_path, passphrase=PASS)
    assert needle in _en(exc)


def test_countersign_refuses_a_tampered_envelope(signed, keys):
    data = json.loads(signed.read_text(encoding="utf-8"))
    import base64

    statement = json.loads(base64.b64decode(data["payload"]))
    statement["predicate"]["decision"]["value"] = "recommend"
    statement["predicate"]["sequence"] = 42
    data["payload"] = base64.b64encode(json.dumps(statement).encode()).decode()
    signed.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SignRefused) as exc:
        countersign_file(signed, key_path=keys["committee"].key_path, passphrase=PASS)
    assert "does not match the content" in _en(exc)


def test_countersign_unreadable_file(keys, tmp_path):
    p = tmp_path / "rec.json"
    p.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError):
        countersign_file(p, key_path=keys["committee"].key_path, passphrase=PASS)


# ------------------------------------------------------------------ the pure refusal rules

def _snap(**kw) -> ReviewSnapshot:
    base = dict(package_path="p", reviewed_digest="sha256:" + "a" * 64, blockers=[],
                decision={"value": "recommend"}, answers=[], findings=[])
    return ReviewSnapshot(**(base | kw))


def _refusals(snap, **kw):
    args = dict(current_digest="sha256:" + "a" * 64, signer_role="reviewer",
                signer_institution=UNI, course_institution=UNI) | kw
    return [r["en"] for r in sign_refusals(snap, **args)]


def test_policy_allows_a_complete_review():
    assert _refusals(_snap()) == []


def test_policy_lists_everything_at_once():
    snap = _snap(decision=None, reviewed_digest="sha256:" + "b" * 64,
                 blockers=[{"kind": "item-unanswered", "id": "P1", "message": {"zh": "P1", "en": "P1 unanswered"}}],
                 answers=[{"item": "P1", "blocking": True, "answer": None},
                          {"item": "P2", "blocking": True, "answer": "fail"},
                          {"item": "Q1", "blocking": False, "answer": None}],
                 findings=[{"id": "e1", "check": "pii", "rule": "mobile", "severity": "error",
                            "file": "a.md", "disposition": None},
                           {"id": "w1", "check": "pii", "rule": "mobile", "severity": "warning",
                            "file": "a.md", "disposition": None}])
    got = _refusals(snap, signer_role="committee", course_institution="别的大学")
    assert any("needs a reviewer key" in r for r in got)
    assert any("changed after the review" in r for r in got)
    assert "P1 unanswered" in got and not any(r == "blocking item P1 is unanswered" for r in got)
    assert "blocking item P2 failed" in got
    assert not any("Q1" in r for r in got)
    assert any("e1" in r for r in got) and not any("w1" in r for r in got)
    assert "no decision has been recorded" in got
    assert any("the course belongs to 别的大学" in r for r in got)
    assert len(got) == 7


def test_policy_not_scanned_and_outdated_decision():
    assert any("not been scanned" in r for r in _refusals(_snap(reviewed_digest=None)))
    assert any("record it again" in r for r in _refusals(_snap(decision_outdated=True)))


def test_countersign_refusals_are_bilingual(signed, keys):
    with pytest.raises(SignRefused) as exc:
        countersign_file(signed, key_path=keys["reviewer"].key_path, passphrase=PASS)
    for r in exc.value.reasons:
        assert r["zh"] != r["en"] and any("\u4e00" <= ch <= "\u9fff" for ch in r["zh"])


def test_refusal_comes_before_the_passphrase_prompt(course, keys, tmp_path):
    db, pkg = course
    asked = []
    with pytest.raises(SignRefused):
        sign_package(db, pkg, key_path=keys["reviewer"].key_path,
                     passphrase=lambda: asked.append(1) or PASS, out=tmp_path / "rec.json")
    assert asked == []
    complete_review(db, pkg)
    sign_package(db, pkg, key_path=keys["reviewer"].key_path,
                 passphrase=lambda: asked.append(1) or PASS, out=tmp_path / "rec.json")
    assert asked == [1]


def test_missing_pub_beside_the_key(course, keys, tmp_path):
    db, pkg = course
    lone = tmp_path / "lone.key"
    lone.write_bytes(keys["reviewer"].key_path.read_bytes())
    with pytest.raises(InputError, match="beside"):
        sign_package(db, pkg, key_path=lone, passphrase=PASS, out=tmp_path / "rec.json")


def test_package_unreadable_while_signing_is_an_input_error(course, keys, tmp_path, monkeypatch):
    """The files are read a second time for SM3; a package gone meanwhile is exit 2, not a traceback."""
    import reviewer.service.signing as service

    db, pkg = course
    complete_review(db, pkg)

    def vanished(*_a, **_k):
        raise OSError("the disk went away")

    monkeypatch.setattr(service, "digest_files", vanished)
    with pytest.raises(InputError, match="cannot read the package"):
        _sign(db, pkg, keys["reviewer"], tmp_path / "rec.json")
    assert not (tmp_path / "rec.json").exists()
