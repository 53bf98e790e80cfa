"""A review team's recommendation: every member signs the same statement (``cosign``), the
committee countersigns, and a trust policy can require N reviewers (issue 11)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from reviewer.service import review as rv
from reviewer.service import team as tm
from reviewer.service.scan import scan
from reviewer.service.signing import (
    SignRefused, cosign_file, countersign_file, read_envelope, sign_package, verify_file,
)
from reviewer.signing.dsse import Envelope, Signature
from reviewer.signing.sign import SigningError, cosign, countersign
from reviewer.signing.trust import TrustStoreError, trust_from_dict
from reviewer.signing.verify import verify_envelope
from reviewer.store import open_db

from tests.signing.signing_helpers import PASS, T0, UNI, _make, make_envelope, trust_for

SAMPLE = Path(__file__).resolve().parents[2] / "sample_courses" / "zh-data-structures"
NOW = T0.replace(day=2)


@pytest.fixture(scope="module")
def team_keys(keys, tmp_path_factory):
    d = tmp_path_factory.mktemp("team-keys")
    return {**keys, "liu": _make(d, "liu", UNI, "reviewer"), "zhou": _make(d, "zhou", UNI, "reviewer"),
            "outsider": _make(d, "qian", UNI, "reviewer")}


def _team(*names, keyids=None):
    return [{"name": n, "role": "chair" if i == 0 else "reviewer", "institution": UNI,
             "keyid": (keyids or {}).get(n), "answers": {"P1": {"answer": "pass", "comment": None}}}
            for i, n in enumerate(names)]


def _trust(team_keys, reviewers=1, *names):
    store = trust_for(team_keys, *(names or ("reviewer", "liu", "zhou", "committee")))
    store.reviewers = reviewers
    return store


@pytest.fixture
def team_env(package, team_keys):
    return make_envelope(package, team_keys, committee=(), team=_team("wang", "liu", "zhou"))


def test_every_member_signs_and_n_reviewers_verify(team_env, team_keys):
    env, added = cosign(team_env, team_keys["liu"].signer)
    assert added
    env, _ = cosign(env, team_keys["zhou"].signer)
    env, _ = countersign(env, team_keys["committee"].signer)
    assert env.payload == team_env.payload and len(env.signatures) == 4
    result = verify_envelope(env, _trust(team_keys, 3), at=NOW)
    assert result.ok, [r.to_dict() for r in result.reasons]
    assert [s.role for s in result.signatures] == ["reviewer", "reviewer", "reviewer", "committee"]


def test_too_few_reviewers_is_a_named_reason(team_env, team_keys):
    env, _ = cosign(team_env, team_keys["liu"].signer)
    env, _ = countersign(env, team_keys["committee"].signer)
    result = verify_envelope(env, _trust(team_keys, 3), at=NOW)
    assert result.codes == ["reviewers.too_few"] and not result.tampered
    assert result.reasons[0].message("zh") == "需要 3 名审核人签名，只有 2 名"
    assert verify_envelope(env, _trust(team_keys, 2), at=NOW).ok


def test_duplicate_signer_counts_once(team_env, team_keys):
    env, _ = cosign(team_env, team_keys["liu"].signer)
    again, added = cosign(env, team_keys["liu"].signer)
    assert not added and again is env
    # the same signature pasted twice is still one reviewer
    doubled = Envelope(env.payload_type, env.payload, [*env.signatures, env.signatures[-1]])
    doubled, _ = countersign(doubled, team_keys["committee"].signer)
    result = verify_envelope(doubled, _trust(team_keys, 3), at=NOW)
    assert "reviewers.too_few" in result.codes
    assert result.reasons[result.codes.index("reviewers.too_few")].details == {"needed": 3, "have": 2}


def test_tampered_cosignature_is_caught(team_env, team_keys):
    env, _ = cosign(team_env, team_keys["liu"].signer)
    env, _ = countersign(env, team_keys["committee"].signer)
    liu = env.signatures[1]
    forged = Signature(keyid=liu.keyid, sig=env.signatures[0].sig)  # wang's bytes under liu's id
    bad = Envelope(env.payload_type, env.payload, [env.signatures[0], forged, env.signatures[2]])
    result = verify_envelope(bad, _trust(team_keys, 2), at=NOW)
    assert result.tampered and "signature.invalid" in result.codes
    assert "reviewers.too_few" in result.codes


def test_cosign_refusals(package, team_env, team_keys):
    with pytest.raises(SigningError) as err:  # not in the team
        cosign(team_env, team_keys["outsider"].signer)
    assert "qian" in err.value.reasons[0]["en"] and "not in the review team" in err.value.reasons[0]["en"]
    with pytest.raises(SigningError) as err:  # a committee key is not a member's
        cosign(team_env, team_keys["committee"].signer)
    assert any("reviewer key" in r["en"] for r in err.value.reasons)
    with pytest.raises(SigningError):  # another institution
        cosign(team_env, team_keys["other_reviewer"].signer)
    solo = make_envelope(package, team_keys, committee=())
    with pytest.raises(SigningError) as err:  # no team: nothing to co-sign
        cosign(solo, team_keys["liu"].signer)
    assert "no review team" in err.value.reasons[0]["en"]
    pinned = make_envelope(package, team_keys, committee=(),
                           team=_team("wang", "liu", keyids={"liu": team_keys["zhou"].info.keyid}))
    with pytest.raises(SigningError) as err:  # the team records another key for liu
        cosign(pinned, team_keys["liu"].signer)
    assert "records" in err.value.reasons[0]["en"]


def test_an_outsider_reviewer_signature_does_not_count(team_env, team_keys):
    outsider = team_keys["outsider"]
    sig = Signature(keyid=outsider.info.keyid, sig=__import__("reviewer.signing.dsse", fromlist=["b64encode"])
                    .b64encode(outsider.signer.sign(team_env.pae())))
    env = Envelope(team_env.payload_type, team_env.payload, [*team_env.signatures, sig])
    env, _ = countersign(env, team_keys["committee"].signer)
    result = verify_envelope(env, _trust(team_keys, 2, "reviewer", "outsider", "committee"), at=NOW)
    assert "key.wrong_role" in result.codes and "reviewers.too_few" in result.codes


def test_trust_store_require_reviewers(team_keys):
    store = _trust(team_keys, 3)
    again = trust_from_dict(yaml.safe_load(store.dump()))
    assert again.reviewers == 3 and yaml.safe_load(store.dump())["require"] == {"reviewers": 3}
    assert "require" not in yaml.safe_load(_trust(team_keys, 1).dump())
    for bad in ({"reviewers": 0}, {"reviewers": "3"}, {"reviewers": True}, {"judges": 2}, [3]):
        with pytest.raises(TrustStoreError) as err:
            trust_from_dict({"require": bad})
        assert "require" in str(err.value)


# ---------------------------------------------------------------- the whole team flow

@pytest.fixture
def reviewed_by_team(tmp_path, team_keys):
    pkg = tmp_path / "course"
    shutil.copytree(SAMPLE, pkg)
    db = open_db(tmp_path / "state.db")
    scan(db, pkg)
    tm.add_member(db, pkg, "wang", chair=True, keyid=team_keys["reviewer"].info.keyid, actor="wang")
    tm.add_member(db, pkg, "liu", actor="wang")
    status = rv.review_status(db, pkg)
    for f in status.findings:  # the evidence first: a pass over open errors needs confirming
        if f.severity in ("error", "warning"):
            rv.dispose_finding(db, pkg, f.id, "false-alarm", "示例数据，虚构", actor="liu")
    for who in ("wang", "liu"):
        for item in status.items:
            if (who, item.id) == ("liu", "A2"):
                rv.answer_item(db, pkg, "A2", "fail", "第3讲内容过时", actor="liu")
            elif (who, item.id) == ("liu", "Q11"):
                rv.answer_item(db, pkg, "Q11", "na", "无在线辅导", actor="liu")
            else:
                rv.answer_item(db, pkg, item.id, "pass", actor=who)
    assert [d.item for d in tm.disagreements(db, pkg)] == ["A2", "Q11"]
    tm.resolve(db, pkg, "A2", "pass", "已核对，内容现行", actor="wang")
    tm.resolve(db, pkg, "Q11", "pass", "有助教答疑", actor="wang")
    rv.decide(db, pkg, "recommend", "符合要求", actor="wang")
    return db, pkg


def test_team_recommendation_signed_by_all(reviewed_by_team, team_keys, tmp_path):
    db, pkg = reviewed_by_team
    rec = tmp_path / "rec.json"
    with pytest.raises(SignRefused) as err:  # a reviewer outside the team cannot issue it
        sign_package(db, pkg, key_path=team_keys["outsider"].key_path, passphrase=PASS, out=rec)
    assert "not in the review team" in "\n".join(r["en"] for r in err.value.reasons)
    result = sign_package(db, pkg, key_path=team_keys["reviewer"].key_path, passphrase=PASS, out=rec)
    pred = result.statement["predicate"]
    team = {m["name"]: m for m in pred["team"]}
    assert team["wang"]["role"] == "chair" and team["liu"]["answers"]["A2"] == {
        "answer": "fail", "comment": "第3讲内容过时"}
    answers = {a["item"]: a for a in pred["checklist"]["answers"]}
    assert (answers["A2"]["answer"], answers["A2"]["answered_by"]) == ("pass", "wang")
    assert pred["decision"]["decided_by"] == "wang"

    trust_path = tmp_path / "trust.yaml"
    store = _trust(team_keys, 2)
    store.save(trust_path)
    assert "reviewers.too_few" in verify_file(rec, trust_path).codes  # not yet signed by all
    _, added = cosign_file(rec, key_path=team_keys["liu"].key_path, passphrase=PASS)
    assert added
    _, added = cosign_file(rec, key_path=team_keys["liu"].key_path, passphrase=PASS)
    assert not added  # a duplicate signer adds nothing
    countersign_file(rec, key_path=team_keys["committee"].key_path, passphrase=PASS)
    assert len(read_envelope(rec).signatures) == 3
    verdict = verify_file(rec, trust_path, package=pkg)
    assert verdict.ok, [r.to_dict() for r in verdict.reasons]
    store.reviewers = 3
    store.save(trust_path)
    verdict = verify_file(rec, trust_path, package=pkg)
    assert verdict.codes == ["reviewers.too_few"]
    assert json.loads(json.dumps(verdict.to_dict()))["valid"] is False


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_report_names_the_team_their_signatures_and_the_disputes(reviewed_by_team, team_keys,
                                                                    tmp_path, fmt, lang):
    from reviewer.signing.report import render_report

    db, pkg = reviewed_by_team
    rec = tmp_path / "rec.json"
    sign_package(db, pkg, key_path=team_keys["reviewer"].key_path, passphrase=PASS, out=rec)
    trust_path = tmp_path / "trust.yaml"
    _trust(team_keys, 2).save(trust_path)
    signed, unsigned = ("已签名", "未签名") if lang == "zh" else ("signed", "not signed")

    def team_rows(text: str) -> dict[str, str]:
        """Member → the team table's row text (its line in Markdown, its <tr> in HTML)."""
        section = text[text.index("审核组" if lang == "zh" else "Review team"):]
        rows = section.split("\n") if fmt == "md" else section.split("<tr>")
        return {name: next(r for r in rows if f"**{name}**" in r or f"<strong>{name}</strong>" in r)
                for name in ("wang", "liu") if name in section}

    before = render_report(read_envelope(rec), fmt, lang, verification=verify_file(rec, trust_path))
    rows = team_rows(before)
    assert signed in rows["wang"] and unsigned in rows["liu"]  # liu has not cosigned yet
    assert ("组长" if lang == "zh" else "chair") in rows["wang"]

    cosign_file(rec, key_path=team_keys["liu"].key_path, passphrase=PASS)
    after = render_report(read_envelope(rec), fmt, lang, verification=verify_file(rec, trust_path))
    rows = team_rows(after)
    assert signed in rows["liu"] and unsigned not in rows["liu"]
    disputes = after[after.index("组长裁定" if lang == "zh" else "resolved by the chair"):]
    for text in ("A2", "Q11", "第3讲内容过时", "无在线辅导", "已核对，内容现行", "有助教答疑"):
        assert text in disputes
    assert disputes.index("A2") < disputes.index("Q11")  # in checklist order


def test_a_single_reviewers_report_has_no_team_section(package, keys):
    from reviewer.signing.report import render_report

    env = make_envelope(package, keys, committee=())
    for lang, heading in (("zh", "审核组"), ("en", "Review team")):
        assert heading not in render_report(env, "md", lang)
