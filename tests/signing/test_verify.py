"""Verification: a valid round trip, and each tampering rejected with the right reason."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest

from reviewer.signing.digests import digest_files
from reviewer.signing.dsse import Envelope, Signature, b64encode
from reviewer.signing.sign import sign_statement
from reviewer.signing.statement import build_statement, statement_bytes
from reviewer.signing.verify import verify_envelope

from tests.signing.signing_helpers import (
    T0,
    UNI,
    as_data,
    check_not_base64_signature,
    check_swapped_signatures,
    check_truncated_signature_text,
    make_envelope,
    make_input,
    trust_for,
)

AT = T0 + timedelta(days=1)


def codes(result) -> set[str]:
    return set(result.codes)


def test_round_trip_is_valid(env, trust, package):
    result = verify_envelope(as_data(env), trust, at=AT, disk_files=digest_files(package))
    assert result.ok, result.codes
    pred = result.predicate
    assert pred["course"]["institution"] == UNI
    assert pred["decision"]["value"] == "recommend"
    assert [s.role for s in result.signatures] == ["reviewer", "committee"]
    assert all(s.usable for s in result.signatures)
    subjects = {s["name"] for s in result.statement["subject"]}
    assert subjects == {"course.yaml", "slides/第1讲.md", "transcripts/lecture 1.srt", "诚信承诺书.md"}
    for s in result.statement["subject"]:
        assert len(s["digest"]["sha256"]) == 64 and len(s["digest"]["sm3"]) == 64


def test_input_is_not_modified(env, trust):
    data = as_data(env)
    before = json.dumps(data, sort_keys=True)
    verify_envelope(data, trust, at=AT)
    assert json.dumps(data, sort_keys=True) == before


def test_statement_and_predicate_types(env):
    st = json.loads(env.payload)
    assert st["_type"] == "https://in-toto.io/Statement/v1"
    assert st["predicateType"] == "https://reviewer.example/course-recommendation/v1"
    assert env.payload_type == "application/vnd.in-toto+json"


# ------------------------------------------------------------------ the package on disk

def _files_of(package):
    return sorted(p for p in package.rglob("*") if p.is_file())


@pytest.mark.parametrize("which", range(4))
def test_one_changed_byte_in_any_file(env, trust, package, which):
    target = _files_of(package)[which]
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    result = verify_envelope(as_data(env), trust, at=AT, disk_files=digest_files(package))
    rel = target.relative_to(package).as_posix()
    assert [r.code for r in result.reasons] == ["package.file_differs"]
    assert result.reasons[0].details["file"] == rel
    assert "sha256" in result.reasons[0].details["what"] and "sm3" in result.reasons[0].details["what"]


def test_missing_and_extra_files_are_named(env, trust, package):
    (package / "诚信承诺书.md").unlink()
    (package / "slides" / "new.md").write_text("x", encoding="utf-8")
    result = verify_envelope(as_data(env), trust, at=AT, disk_files=digest_files(package))
    got = {(r.code, r.details["file"]) for r in result.reasons}
    assert got == {("package.file_missing", "诚信承诺书.md"), ("package.file_extra", "slides/new.md")}


def test_size_change_is_reported(env, trust, package):
    (package / "course.yaml").write_bytes((package / "course.yaml").read_bytes() + b"\n")
    result = verify_envelope(as_data(env), trust, at=AT, disk_files=digest_files(package))
    assert result.codes == ["package.file_differs"]
    assert "size" in result.reasons[0].details["what"]


# ------------------------------------------------------------------ the payload

def _alter(statement: dict, path: str, value) -> dict:
    node = statement
    keys = path.split(".")
    for k in keys[:-1]:
        node = node[int(k)] if isinstance(node, list) else node[k]
    last = keys[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return statement


ALTERATIONS = [
    ("predicate.decision.value", "reject"),
    ("predicate.decision.comment", "改过"),
    ("predicate.course.id", "other-course"),
    ("predicate.course.institution", "北海师范学院"),
    ("predicate.course.title", "另一门课"),
    ("predicate.sequence", 99),
    ("predicate.supersedes", "00000000-0000-4000-8000-000000000000"),
    ("predicate.audience", "学堂在线"),
    ("predicate.valid_until", "2099-01-01T00:00:00Z"),
    ("predicate.issued_at", "2026-03-02T08:00:00Z"),
    ("predicate.package_digest", "sha256:" + "0" * 64),
    ("predicate.reviewer.name", "冒名者"),
    ("predicate.checklist.answers.0.answer", "fail"),
    ("predicate.findings.items.0.disposition", "confirmed"),
    ("predicate.tooling.version", "9.9.9"),
    ("subject.0.digest.sha256", "0" * 64),
    ("subject.1.digest.sm3", "f" * 64),
    ("subject.2.annotations.size", 1),
    ("subject.0.name", "renamed.yaml"),
]


@pytest.mark.parametrize("path,value", ALTERATIONS, ids=[a[0] for a in ALTERATIONS])
def test_any_altered_field_breaks_every_signature(env, trust, path, value):
    statement = _alter(json.loads(env.payload), path, value)
    forged = Envelope(env.payload_type, statement_bytes(statement), list(env.signatures))
    result = verify_envelope(as_data(forged), trust, at=AT)
    assert not result.ok
    assert result.codes == ["signature.invalid", "signature.invalid", "signature.none_valid"]
    assert result.statement is None  # nothing unauthenticated was read


def test_reencoded_payload_with_same_meaning_still_breaks(env, trust):
    """DSSE signs bytes, not meaning: pretty-printing the same JSON is a different payload."""
    statement = json.loads(env.payload)
    forged = Envelope(env.payload_type, json.dumps(statement, indent=1).encode(), list(env.signatures))
    assert "signature.none_valid" in verify_envelope(as_data(forged), trust, at=AT).codes


def test_swapped_signatures(env, trust):
    check_swapped_signatures(env, trust, AT)


def test_signature_from_another_recommendation(env, trust, package, keys):
    other = make_envelope(package, keys, sequence=2)
    mixed = Envelope(env.payload_type, env.payload, [env.signatures[0], other.signatures[1]])
    result = verify_envelope(as_data(mixed), trust, at=AT)
    assert "signature.invalid" in result.codes
    assert result.reasons[0].details["index"] == 2
    assert "roles.missing" in result.codes


def test_truncated_signature_bytes(env, trust):
    raw = base64.b64decode(env.signatures[1].sig)
    cut = Envelope(env.payload_type, env.payload,
                   [env.signatures[0], Signature(env.signatures[1].keyid, b64encode(raw[:-1]))])
    result = verify_envelope(as_data(cut), trust, at=AT)
    assert set(result.codes) == {"signature.invalid", "roles.missing"}


def test_truncated_signature_text(env, trust):
    check_truncated_signature_text(env, trust, AT)


def test_not_base64_signature(env, trust):
    check_not_base64_signature(env, trust, AT)


def test_bad_base64_payload(env, trust):
    data = as_data(env)
    data["payload"] = data["payload"][:-3] + "%%%"
    assert verify_envelope(data, trust, at=AT).codes == ["envelope.bad_base64"]


def test_noncanonical_base64_payload_is_refused(trust, keys, package):
    for pad in range(3):  # a payload length that leaves spare bits in the last character
        env = make_envelope(package, keys, decision={"value": "recommend", "comment": "x" * pad})
        if len(env.payload) % 3:
            break
    data = as_data(env)
    text = data["payload"].rstrip("=")
    # Flip an unused low bit of the last character: same bytes under lenient decoders.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    last = alphabet.index(text[-1])
    data["payload"] = text[:-1] + alphabet[last ^ 1] + "=" * (-len(text) % 4)
    assert base64.b64decode(data["payload"]) == env.payload
    assert verify_envelope(data, trust, at=AT).codes == ["envelope.bad_base64"]


def test_url_safe_base64_is_accepted(env, trust):
    data = as_data(env)
    data["payload"] = base64.urlsafe_b64encode(env.payload).decode().rstrip("=")
    assert verify_envelope(data, trust, at=AT).ok


def test_wrong_payload_type(env, trust):
    data = as_data(env)
    data["payloadType"] = "application/json"
    result = verify_envelope(data, trust, at=AT)
    assert "envelope.bad_payload_type" in result.codes
    assert result.statement is None


@pytest.mark.parametrize("data", [[], "x", {"payload": "", "signatures": []},
                                  {"payloadType": "application/vnd.in-toto+json", "payload": "", "signatures": "x"},
                                  {"payloadType": "application/vnd.in-toto+json", "payload": "",
                                   "signatures": [{"keyid": 3, "sig": ""}]}])
def test_malformed_envelopes(data, trust):
    assert verify_envelope(data, trust, at=AT).codes == ["envelope.malformed"]


def test_no_signatures(env, trust):
    data = as_data(env)
    data["signatures"] = []
    assert verify_envelope(data, trust, at=AT).codes == ["envelope.no_signatures"]


# ------------------------------------------------------------------ keys and roles

def test_key_missing_from_trust_store(env, keys):
    store = trust_for(keys, "reviewer")
    result = verify_envelope(as_data(env), store, at=AT)
    assert codes(result) == {"key.unknown", "roles.missing"}
    assert [r.details["role"] for r in result.reasons if r.code == "roles.missing"] == ["committee"]


def test_no_trusted_key_at_all(env, keys):
    result = verify_envelope(as_data(env), trust_for(keys, "other_reviewer"), at=AT)
    assert result.codes == ["key.unknown", "key.unknown", "signature.none_valid"]


def test_key_of_wrong_role(env, keys):
    store = trust_for(keys, roles={"committee": "reviewer"})
    result = verify_envelope(as_data(env), store, at=AT)
    assert codes(result) == {"key.wrong_role", "roles.missing"}
    wrong = next(r for r in result.reasons if r.code == "key.wrong_role")
    assert wrong.details["keyid"] == keys["committee"].info.keyid
    assert wrong.details["expected"] == "committee"


def test_reviewer_key_trusted_only_as_committee(env, keys):
    store = trust_for(keys, roles={"reviewer": "committee"})
    result = verify_envelope(as_data(env), store, at=AT)
    assert "key.wrong_role" in result.codes and "roles.missing" in result.codes


def test_key_of_wrong_institution(package, keys):
    env = make_envelope(package, keys, committee=())
    foreign = keys["other_committee"]
    env.signatures.append(Signature(foreign.info.keyid, b64encode(foreign.signer.sign(env.pae()))))
    store = trust_for(keys, "reviewer", "other_committee")
    result = verify_envelope(as_data(env), store, at=AT)
    assert codes(result) == {"key.wrong_institution", "roles.missing"}


def test_recommendation_of_other_institution_signed_by_its_own_reviewer(package, keys):
    """A foreign reviewer signing a course that names our university is refused."""
    env = make_envelope(package, keys, reviewer="other_reviewer", committee=())
    store = trust_for(keys, "other_reviewer")
    result = verify_envelope(as_data(env), store, at=AT)
    assert "key.wrong_institution" in result.codes


def test_revoked_key(env, keys):
    store = trust_for(keys)
    store.revoke(keys["committee"].info.keyid, AT - timedelta(hours=1), "lost laptop")
    result = verify_envelope(as_data(env), store, at=AT)
    assert codes(result) == {"key.revoked", "roles.missing"}
    assert next(r for r in result.reasons if r.code == "key.revoked").details["reason"] == "lost laptop"


def test_revoked_exactly_at_verification_time_is_unusable(env, keys):
    store = trust_for(keys)
    store.revoke(keys["reviewer"].info.keyid, AT)
    assert "key.revoked" in verify_envelope(as_data(env), store, at=AT).codes


def test_revocation_in_the_future_does_not_apply_yet(env, keys):
    store = trust_for(keys)
    store.revoke(keys["reviewer"].info.keyid, AT + timedelta(days=1))
    assert verify_envelope(as_data(env), store, at=AT).ok
    assert "key.revoked" in verify_envelope(as_data(env), store, at=AT + timedelta(days=2)).codes


def test_key_validity_window(env, keys):
    store = trust_for(keys, not_before=AT + timedelta(days=1))
    assert {"key.not_yet_valid"} <= codes(verify_envelope(as_data(env), store, at=AT))
    store = trust_for(keys, not_after=AT - timedelta(days=1))
    assert {"key.expired"} <= codes(verify_envelope(as_data(env), store, at=AT))


def test_expired_recommendation(env, trust):
    result = verify_envelope(as_data(env), trust, at=T0 + timedelta(days=366))
    assert result.codes == ["recommendation.expired"]


def test_recommendation_from_the_future(env, trust):
    result = verify_envelope(as_data(env), trust, at=T0 - timedelta(days=1))
    assert result.codes == ["recommendation.not_yet_valid"]


def test_decision_must_be_recommend(package, keys, trust):
    env = make_envelope(package, keys, decision={"value": "revise", "comment": "补充材料"})
    assert verify_envelope(as_data(env), trust, at=AT).codes == ["decision.not_recommend"]


def test_required_roles_count_distinct_holders(package, keys):
    env = make_envelope(package, keys, committee=("committee", "committee2"))
    store = trust_for(keys, "reviewer", "committee", "committee2")
    store.required_roles = ["reviewer", "committee", "committee"]
    assert verify_envelope(as_data(env), store, at=AT).ok
    # The same committee key twice is one holder, not two.
    dup = make_envelope(package, keys)
    dup.signatures.append(dup.signatures[1])
    result = verify_envelope(as_data(dup), store, at=AT)
    assert result.codes == ["roles.missing"]
    assert result.reasons[0].details == {"role": "committee", "needed": 2, "have": 1}


def test_one_person_with_two_keys_is_one_holder(package, keys, tmp_path):
    """The reviewer's own committee key (same name and institution) does not count twice."""
    from reviewer.signing.keys import load_signer, new_key_pair

    from tests.signing.signing_helpers import PASS

    kp, _, info = new_key_pair(tmp_path, name=keys["reviewer"].info.name, institution=UNI,
                               role="committee", passphrase=PASS)
    own = load_signer(kp, PASS)
    env = make_envelope(package, keys, committee=())
    env.signatures.append(Signature(info.keyid, b64encode(own.sign(env.pae()))))
    store = trust_for(keys, "reviewer")
    store.add(info, "committee")
    result = verify_envelope(as_data(env), store, at=AT)
    assert result.codes == ["roles.missing"]


def test_reviewer_named_in_predicate_must_sign(package, keys):
    """A committee-only envelope: the reviewer named inside never signed."""
    env = make_envelope(package, keys)
    env.signatures = env.signatures[1:]
    result = verify_envelope(as_data(env), trust_for(keys), at=AT)
    assert {"reviewer.not_signed", "roles.missing"} <= codes(result)


def test_single_required_role(env, keys):
    store = trust_for(keys, "reviewer")
    store.required_roles = ["reviewer"]
    env.signatures = env.signatures[:1]
    assert verify_envelope(as_data(env), store, at=AT).ok


# ------------------------------------------------------------------ statement content

def test_schema_violation_signed_by_trusted_key(package, keys, trust):
    statement = build_statement(make_input(package, keys["reviewer"]))
    del statement["predicate"]["course"]["institution"]
    statement["predicate"]["sequence"] = 0
    env = sign_statement(statement, keys["reviewer"].signer)
    result = verify_envelope(as_data(env), trust, at=AT)
    assert set(result.codes) == {"predicate.invalid"}
    assert len(result.reasons) == 2
    assert result.statement is None


def test_wrong_predicate_type_signed_by_trusted_key(package, keys, trust):
    statement = build_statement(make_input(package, keys["reviewer"]))
    statement["predicateType"] = "https://slsa.dev/provenance/v1"
    env = sign_statement(statement, keys["reviewer"].signer)
    assert verify_envelope(as_data(env), trust, at=AT).codes == ["statement.bad_predicate_type"]


def test_payload_not_json_signed_by_trusted_key(keys, trust):
    env = Envelope("application/vnd.in-toto+json", b"\xff\xfe not json")
    env.signatures.append(Signature(keys["reviewer"].info.keyid,
                                    b64encode(keys["reviewer"].signer.sign(env.pae()))))
    assert verify_envelope(as_data(env), trust, at=AT).codes == ["payload.malformed"]


def test_duplicate_json_keys_in_payload_are_refused(keys, trust):
    env = Envelope("application/vnd.in-toto+json", b'{"_type": 1, "_type": 2}')
    env.signatures.append(Signature(keys["reviewer"].info.keyid,
                                    b64encode(keys["reviewer"].signer.sign(env.pae()))))
    assert verify_envelope(as_data(env), trust, at=AT).codes == ["payload.malformed"]


def test_package_digest_must_match_subjects(package, keys, trust):
    env = make_envelope(package, keys, package_digest="sha256:" + "a" * 64)
    assert verify_envelope(as_data(env), trust, at=AT).codes == ["statement.package_digest"]


def test_every_reason_listed_at_once(package, keys):
    env = make_envelope(package, keys, decision={"value": "reject", "comment": "不合格"})
    store = trust_for(keys, roles={"committee": "reviewer"})
    store.revoke(keys["reviewer"].info.keyid, AT - timedelta(days=1))
    (package / "course.yaml").write_text("changed", encoding="utf-8")
    result = verify_envelope(as_data(env), store, at=T0 + timedelta(days=400),
                             disk_files=digest_files(package))
    assert {"key.wrong_role", "key.revoked", "roles.missing", "recommendation.expired",
            "decision.not_recommend", "package.file_differs"} <= codes(result)
    for r in result.reasons:
        assert r.message("zh") and r.message("en") and "?" not in r.message("en")


@pytest.mark.parametrize("field,value", [("file_count", 99), ("subject", "dup")])
def test_subject_list_consistency(package, keys, trust, field, value):
    statement = build_statement(make_input(package, keys["reviewer"]))
    if value == "dup":
        statement["subject"].append(statement["subject"][0])
        statement["predicate"]["file_count"] += 1
    else:
        statement["predicate"][field] = value
    env = sign_statement(statement, keys["reviewer"].signer)
    result = verify_envelope(as_data(env), trust, at=AT)
    assert result.codes == ["predicate.invalid"]
