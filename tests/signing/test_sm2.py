"""The SM2 profile as for Ed25519: keys, trust store, sign, countersign, verify, tampering,
platform import, the command line — and the mixed case (SM2 reviewer, Ed25519 committee).

Golden vectors and the OpenSSL cross-check are in ``test_sm2_golden.py``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewer.signing import sm2
from reviewer.signing.digests import digest_files
from reviewer.signing.dsse import Envelope, Signature, b64encode
from reviewer.signing.keys import ALGORITHMS, KeyFileError, load_public, load_signer, new_key_pair
from reviewer.signing.sign import SigningError, countersign, self_check
from reviewer.signing.statement import statement_bytes
from reviewer.signing.trust import TrustStoreError, load_trust, trust_from_dict
from reviewer.signing.verify import verify_envelope

from tests.signing.signing_helpers import (
    PASS, T0, UNI, as_data, check_not_base64_signature, check_swapped_signatures,
    check_truncated_signature_text,
    complete_review, make_envelope, trust_for,
)
from tests.signing.test_verify import ALTERATIONS, _alter

AT = T0 + timedelta(days=1)
GOLDEN = Path(__file__).parent / "golden"


def codes(result) -> set[str]:
    return set(result.codes)


@pytest.fixture()
def sm2env(package, sm2keys) -> Envelope:
    """SM2 reviewer, SM2 committee."""
    return make_envelope(package, sm2keys)


@pytest.fixture()
def sm2trust(sm2keys):
    return trust_for(sm2keys)


# ------------------------------------------------------------------ keys

def test_new_sm2_key_pair_files(tmp_path):
    key_path, pub_path, info = new_key_pair(tmp_path / "k", name="wang", institution=UNI,
                                            role="reviewer", passphrase=PASS, algorithm="sm2")
    assert stat.S_IMODE(os.stat(key_path).st_mode) == 0o600
    pem = key_path.read_text()
    assert pem.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    der = base64.b64decode("".join(pem.strip().splitlines()[1:-1]))
    for oid in ("2a864886f70d01050d",   # PBES2
                "2a864886f70d01050c",   # PBKDF2
                "2a864886f70d0209",     # hmacWithSHA256
                "2a811ccf55016802"):    # SM4-CBC
        assert bytes.fromhex(oid) in der, oid
    pub = json.loads(pub_path.read_text(encoding="utf-8"))
    raw = base64.b64decode(pub["public_key"])
    assert pub["algorithm"] == "sm2" and info.algorithm == "sm2"
    assert len(raw) == 65 and raw[0] == 4 and sm2.public_key_problem(raw) is None
    assert pub["keyid"] == "sm2:" + hashlib.sha256(raw).hexdigest()[:32] == info.keyid
    signer = load_signer(key_path, PASS)
    assert ALGORITHMS["sm2"].verify(raw, signer.sign(b"m"), b"m")
    assert not list(tmp_path.joinpath("k").glob(".*tmp"))


def test_sm2_signatures_are_randomized_der(sm2keys):
    signer = sm2keys["reviewer"].signer
    a, b = signer.sign(b"m"), signer.sign(b"m")
    assert a != b and sm2.signature_problem(a) is None and sm2.signature_problem(b) is None


def test_sm2_wrong_passphrase_is_a_clear_error(sm2keys):
    with pytest.raises(KeyFileError, match="wrong passphrase"):
        load_signer(sm2keys["reviewer"].key_path, "not it")


@pytest.mark.parametrize("key,pub,needle", [
    ("ed_reviewer", "reviewer", "not an SM2 key"),
    ("reviewer", "ed_reviewer", "an SM2 key file"),
    ("reviewer", "committee", "does not belong"),
])
def test_key_and_pub_of_different_keys(sm2keys, tmp_path, key, pub, needle):
    (tmp_path / "x.key").write_bytes(sm2keys[key].key_path.read_bytes())
    (tmp_path / "x.pub").write_bytes(sm2keys[pub].pub_path.read_bytes())
    with pytest.raises(KeyFileError, match=needle):
        load_signer(tmp_path / "x.key", PASS)


def _pub_with(sm2keys, tmp_path, raw: bytes, **change) -> Path:
    data = json.loads(sm2keys["reviewer"].pub_path.read_text(encoding="utf-8"))
    data.update(public_key=b64encode(raw), keyid="sm2:" + hashlib.sha256(raw).hexdigest()[:32])
    data.update(change)
    p = tmp_path / "bad.pub"
    p.write_text(json.dumps(data), encoding="utf-8")
    return p


def test_malformed_sm2_pub_files(sm2keys, tmp_path):
    raw = sm2keys["reviewer"].info.public_key
    x, y = int.from_bytes(raw[1:33], "big"), int.from_bytes(raw[33:], "big")
    compressed = bytes([2 + (y & 1)]) + raw[1:33]
    off_curve = raw[:-1] + bytes([raw[-1] ^ 1])
    x_is_p = b"\x04" + sm2.P.to_bytes(32, "big") + raw[33:]
    assert x < sm2.P
    for bad, needle in ((compressed, "65-byte uncompressed point"), (raw[1:], "65-byte"),
                        (off_curve, "not a point on the SM2 curve"),
                        (x_is_p, "not a point on the SM2 curve"), (b"\x04", "65-byte")):
        with pytest.raises(KeyFileError, match=needle):
            load_public(_pub_with(sm2keys, tmp_path, bad))
    # An SM2 key under an Ed25519 label, and the other way round: the key id names the algorithm.
    with pytest.raises(KeyFileError, match="does not match"):
        load_public(_pub_with(sm2keys, tmp_path, raw, keyid="ed25519:" + hashlib.sha256(raw).hexdigest()[:32]))
    with pytest.raises(KeyFileError):
        load_public(_pub_with(sm2keys, tmp_path, raw, algorithm="ed25519"))


def test_new_key_pair_refuses_an_unknown_algorithm(tmp_path):
    with pytest.raises(ValueError, match="algorithm"):
        new_key_pair(tmp_path, name="a", institution=UNI, role="reviewer", passphrase=PASS,
                     algorithm="rsa")


# ------------------------------------------------------------------ trust store

def test_trust_store_with_sm2_and_ed25519_keys_round_trip(sm2keys, tmp_path):
    store = trust_for(sm2keys, "reviewer", "committee", "ed_committee")
    path = tmp_path / "trust.yaml"
    store.save(path)
    again = load_trust(path)
    assert again.to_dict() == store.to_dict()
    algos = {k.keyid.split(":")[0]: k.algorithm for k in again.keys.values()}
    assert algos == {"sm2": "sm2", "ed25519": "ed25519"}
    assert again.key(sm2keys["reviewer"].info.keyid).public_key == sm2keys["reviewer"].info.public_key


def test_trust_store_refuses_an_sm2_key_off_the_curve(sm2keys):
    raw = sm2keys["reviewer"].info.public_key
    bad = raw[:-1] + bytes([raw[-1] ^ 1])
    entry = {"keyid": "sm2:" + hashlib.sha256(bad).hexdigest()[:32], "algorithm": "sm2",
             "public_key": b64encode(bad), "role": "reviewer"}
    with pytest.raises(TrustStoreError, match="not a point on the SM2 curve"):
        trust_from_dict({"institutions": {UNI: {"keys": [entry]}}})


@pytest.mark.parametrize("algorithm", [["sm2"], {"a": 1}, 2, "SM2"])
def test_trust_store_refuses_an_algorithm_that_is_not_a_known_name(sm2keys, algorithm):
    info = sm2keys["reviewer"].info
    entry = {"keyid": info.keyid, "algorithm": algorithm, "public_key": b64encode(info.public_key),
             "role": "reviewer"}
    with pytest.raises(TrustStoreError, match="unknown algorithm"):
        trust_from_dict({"institutions": {UNI: {"keys": [entry]}}})


def test_trust_store_refuses_an_sm2_key_labelled_ed25519(sm2keys):
    raw = sm2keys["reviewer"].info.public_key
    entry = {"keyid": sm2keys["reviewer"].info.keyid, "algorithm": "ed25519",
             "public_key": b64encode(raw), "role": "reviewer"}
    with pytest.raises(TrustStoreError, match="does not match"):
        trust_from_dict({"institutions": {UNI: {"keys": [entry]}}})


# ------------------------------------------------------------------ verification

def test_sm2_round_trip_is_valid(sm2env, sm2trust, package):
    result = verify_envelope(as_data(sm2env), sm2trust, at=AT, disk_files=digest_files(package))
    assert result.ok, result.codes
    assert [s.keyid.split(":")[0] for s in result.signatures] == ["sm2", "sm2"]
    assert [s.role for s in result.signatures] == ["reviewer", "committee"]
    assert not result.tampered


@pytest.mark.parametrize("reviewer,committee", [("reviewer", "ed_committee"),
                                                ("ed_reviewer", "committee")],
                         ids=["sm2-reviewer+ed25519-committee", "ed25519-reviewer+sm2-committee"])
def test_mixed_profiles(package, sm2keys, reviewer, committee):
    env = make_envelope(package, sm2keys, reviewer=reviewer, committee=(committee,))
    result = verify_envelope(as_data(env), trust_for(sm2keys, reviewer, committee), at=AT,
                             disk_files=digest_files(package))
    assert result.ok, result.codes
    assert [s.role for s in result.signatures] == ["reviewer", "committee"]


def test_committee_members_of_both_profiles(package, sm2keys):
    env = make_envelope(package, sm2keys, committee=("committee2", "ed_committee"))
    store = trust_for(sm2keys, "reviewer", "committee2", "ed_committee")
    store.required_roles = ["reviewer", "committee", "committee"]
    assert verify_envelope(as_data(env), store, at=AT).ok
    # li's SM2 key and li's Ed25519 key are one holder, whatever the algorithms.
    env = make_envelope(package, sm2keys, committee=("committee", "ed_committee"))
    store = trust_for(sm2keys, "reviewer", "committee", "ed_committee")
    store.required_roles = ["reviewer", "committee", "committee"]
    result = verify_envelope(as_data(env), store, at=AT)
    assert result.codes == ["roles.missing"]
    assert result.reasons[0].details == {"role": "committee", "needed": 2, "have": 1}


ALTERED = [a for a in ALTERATIONS if a[0] in ("predicate.decision.value", "predicate.course.institution",
                                             "predicate.reviewer.name", "subject.0.digest.sha256")]


@pytest.mark.parametrize("path,value", ALTERED, ids=[a[0] for a in ALTERED])
def test_any_altered_field_breaks_every_sm2_signature(sm2env, sm2trust, path, value):
    statement = _alter(json.loads(sm2env.payload), path, value)
    forged = Envelope(sm2env.payload_type, statement_bytes(statement), list(sm2env.signatures))
    result = verify_envelope(as_data(forged), sm2trust, at=AT)
    assert result.codes == ["signature.invalid", "signature.invalid", "signature.none_valid"]
    assert result.statement is None and result.tampered


@pytest.mark.parametrize("where", [0, 0.5, -1])
def test_one_changed_payload_byte(sm2env, sm2trust, where):
    payload = bytearray(sm2env.payload)
    payload[int(len(payload) * where) if where != -1 else -1] ^= 0x01
    forged = Envelope(sm2env.payload_type, bytes(payload), list(sm2env.signatures))
    result = verify_envelope(as_data(forged), sm2trust, at=AT)
    assert result.codes == ["signature.invalid", "signature.invalid", "signature.none_valid"]
    assert all(s.state == "invalid" for s in result.signatures)


def _with_committee_sig(env: Envelope, raw: bytes, keyid: str | None = None) -> dict:
    data = as_data(env)
    data["signatures"][1]["sig"] = b64encode(raw)
    if keyid is not None:
        data["signatures"][1]["keyid"] = keyid
    return data


def _committee_raw(env: Envelope) -> bytes:
    return base64.b64decode(env.signatures[1].sig)


def test_changed_signature(sm2env, sm2trust):
    """A flipped bit inside r: still DER, no longer the signature."""
    raw = bytearray(_committee_raw(sm2env))
    raw[10] ^= 0x01
    assert sm2.signature_problem(bytes(raw)) is None
    result = verify_envelope(_with_committee_sig(sm2env, bytes(raw)), sm2trust, at=AT)
    assert codes(result) == {"signature.invalid", "roles.missing"}
    bad = next(r for r in result.reasons if r.code == "signature.invalid")
    assert bad.details["index"] == 2 and "problem" not in bad.details
    assert result.signatures[1].state == "invalid" and result.tampered


def test_swapped_sm2_signatures(sm2env, sm2trust):
    check_swapped_signatures(sm2env, sm2trust, AT)


def test_signature_by_another_sm2_key(sm2env, sm2keys, sm2trust):
    """Another (trusted) committee key's signature under the committee's key id: the wrong key."""
    other = sm2keys["committee2"].signer.sign(sm2env.pae())
    result = verify_envelope(_with_committee_sig(sm2env, other), sm2trust, at=AT)
    assert codes(result) == {"signature.invalid", "roles.missing"}


@pytest.mark.parametrize("env_kind", ["sm2-as-ed25519", "ed25519-as-sm2"])
def test_wrong_algorithm_label(package, sm2keys, env_kind):
    """The committee signature's key id relabelled with the other algorithm: a named reason,
    never a verification with the label's algorithm."""
    committee = "committee" if env_kind == "sm2-as-ed25519" else "ed_committee"
    env = make_envelope(package, sm2keys, committee=(committee,))
    store = trust_for(sm2keys, "reviewer", committee)
    trusted_keyid = sm2keys[committee].info.keyid
    algorithm, fingerprint = trusted_keyid.split(":")
    label = "ed25519" if algorithm == "sm2" else "sm2"
    data = as_data(env)
    data["signatures"][1]["keyid"] = f"{label}:{fingerprint}"
    result = verify_envelope(data, store, at=AT)
    assert codes(result) == {"signature.wrong_algorithm", "roles.missing"}
    wrong = next(r for r in result.reasons if r.code == "signature.wrong_algorithm")
    assert wrong.details == {"index": 2, "keyid": f"{label}:{fingerprint}", "label": label,
                             "algorithm": algorithm, "trusted_keyid": trusted_keyid}
    assert label in wrong.message("en") and algorithm in wrong.message("zh")
    assert result.signatures[1].state == "invalid" and result.tampered
    assert not result.signatures[1].valid


def test_a_label_naming_no_trusted_key_is_unknown(sm2env, sm2trust):
    data = as_data(sm2env)
    data["signatures"][1]["keyid"] = "ed25519:" + "0" * 32
    assert codes(verify_envelope(data, sm2trust, at=AT)) == {"key.unknown", "roles.missing"}


def test_truncated_sm2_signature_bytes(sm2env, sm2trust):
    raw = _committee_raw(sm2env)
    result = verify_envelope(_with_committee_sig(sm2env, raw[:-1]), sm2trust, at=AT)
    assert codes(result) == {"signature.invalid", "roles.missing"}
    bad = next(r for r in result.reasons if r.code == "signature.invalid")
    assert bad.details["problem"].startswith("not DER")
    assert bad.details["problem"] in bad.message("en")


def test_truncated_sm2_signature_text(sm2env, sm2trust):
    check_truncated_signature_text(sm2env, sm2trust, AT)


def test_not_base64_sm2_signature(sm2env, sm2trust):
    check_not_base64_signature(sm2env, sm2trust, AT)


def _der_int(body: bytes) -> bytes:
    return b"\x02" + bytes([len(body)]) + body


def _der_seq(*items: bytes) -> bytes:
    inner = b"".join(items)
    return b"\x30" + bytes([len(inner)]) + inner


def _non_der(good: bytes, ed_sig: bytes) -> dict[str, bytes]:
    r, s = sm2.parse_signature(good)
    rs = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    r_body = r.to_bytes((r.bit_length() + 8) // 8, "big")  # minimal, with a 00 when the top bit is set
    s_body = s.to_bytes((s.bit_length() + 8) // 8, "big")
    assert _der_seq(_der_int(r_body), _der_int(s_body)) == good
    inner = good[2:]
    return {
        "raw r||s (64 bytes)": rs,
        "an Ed25519 signature": ed_sig,
        "trailing byte": good + b"\x00",
        "long-form length": b"\x30\x81" + bytes([len(inner)]) + inner,
        "padded INTEGER": _der_seq(_der_int(b"\x00" + r_body), _der_int(s_body)),
        "negative r": _der_seq(_der_int(b"\x80"), _der_int(b"\x01")),
        "r = 0": sm2.encode_signature(0, s),
        "s = n": sm2.encode_signature(r, sm2.N),
        "empty": b"",
        "one byte": b"\x30",
        "SEQUENCE of one INTEGER": b"\x30\x03\x02\x01\x01",
        "OCTET STRING": b"\x04\x02\x01\x01",
    }


@pytest.mark.parametrize("kind", ["raw r||s (64 bytes)", "an Ed25519 signature", "trailing byte",
                                  "long-form length", "padded INTEGER", "negative r", "r = 0",
                                  "s = n", "empty", "one byte", "SEQUENCE of one INTEGER",
                                  "OCTET STRING"])
def test_non_der_or_wrong_length_sm2_signature(sm2env, sm2keys, sm2trust, kind):
    bad = _non_der(_committee_raw(sm2env), sm2keys["ed_committee"].signer.sign(sm2env.pae()))[kind]
    assert sm2.signature_problem(bad), kind
    result = verify_envelope(_with_committee_sig(sm2env, bad), sm2trust, at=AT)
    if not bad:  # an empty "sig" is empty base64: still a signature that is no signature
        assert codes(result) <= {"signature.invalid", "signature.bad_base64", "roles.missing"}
        return
    assert codes(result) == {"signature.invalid", "roles.missing"}
    reason = next(r for r in result.reasons if r.code == "signature.invalid")
    assert reason.details["problem"] and reason.details["algorithm"] == "sm2"
    assert result.signatures[1].state == "invalid"


def test_ed25519_truncated_signature_names_its_length(env, trust):
    """The Ed25519 profile says the same kind of thing about its signatures."""
    raw = base64.b64decode(env.signatures[1].sig)
    data = as_data(env)
    data["signatures"][1]["sig"] = b64encode(raw[:-1])
    bad = next(r for r in verify_envelope(data, trust, at=AT).reasons if r.code == "signature.invalid")
    assert bad.details["problem"] == "an Ed25519 signature has 64 bytes, not 63"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=90))
def test_any_bytes_as_an_sm2_signature_never_crash(sm2env, sm2trust, raw):
    result = verify_envelope(_with_committee_sig(sm2env, raw), sm2trust, at=AT)
    assert codes(result) <= {"signature.invalid", "roles.missing", "signature.bad_base64"}
    assert not result.ok


def test_sm2_key_missing_from_trust_store(sm2env, sm2keys):
    result = verify_envelope(as_data(sm2env), trust_for(sm2keys, "reviewer"), at=AT)
    assert codes(result) == {"key.unknown", "roles.missing"}
    assert result.signatures[1].state == "untrusted" and not result.tampered


def test_sm2_key_of_wrong_role_and_revoked(sm2env, sm2keys):
    store = trust_for(sm2keys, roles={"committee": "reviewer"})
    assert codes(verify_envelope(as_data(sm2env), store, at=AT)) == {"key.wrong_role", "roles.missing"}
    store = trust_for(sm2keys)
    store.revoke(sm2keys["reviewer"].info.keyid, AT - timedelta(hours=1), "lost")
    assert "key.revoked" in verify_envelope(as_data(sm2env), store, at=AT).codes


# ------------------------------------------------------------------ countersign, self-check, report

def test_countersign_checks_an_sm2_reviewer_signature(package, sm2keys):
    env = make_envelope(package, sm2keys, committee=())
    assert self_check(env)["predicate"]["reviewer"]["keyid"].startswith("sm2:")
    env2, added = countersign(env, sm2keys["ed_committee"].signer)
    assert added
    env3, added = countersign(env2, sm2keys["committee"].signer)
    assert added and len(env3.signatures) == 3
    again, added = countersign(env3, sm2keys["committee"].signer)
    assert not added and again is env3
    broken = Envelope(env.payload_type, env.payload,
                      [Signature(env.signatures[0].keyid, b64encode(b"\x30\x00"))])
    with pytest.raises(SigningError, match="does not match the content"):
        countersign(broken, sm2keys["ed_committee"].signer)


def test_self_check_refuses_an_unknown_reviewer_algorithm(package, sm2keys):
    env = make_envelope(package, sm2keys, committee=())
    statement = json.loads(env.payload)
    statement["predicate"]["reviewer"]["keyid"] = "rsa:" + "0" * 32
    odd = Envelope(env.payload_type, statement_bytes(statement), list(env.signatures))
    with pytest.raises(SigningError, match="unknown algorithm"):
        self_check(odd)


def test_report_of_an_sm2_recommendation(sm2env, sm2trust, tmp_path):
    from reviewer.service.signing import report_file

    rec = tmp_path / "rec.json"
    rec.write_text(sm2env.to_json(), encoding="utf-8")
    trust_path = tmp_path / "trust.yaml"
    sm2trust.save(trust_path)
    html = report_file(rec, fmt="html", lang="en", trust_path=trust_path)
    assert sm2env.signatures[0].keyid in html and "SM2" in html
    md = report_file(rec, fmt="md", lang="zh")
    assert sm2env.signatures[1].keyid in md


# ------------------------------------------------------------------ platform import

def test_platform_imports_an_sm2_recommendation_as_an_ed25519_one(tmp_path, package, sm2keys):
    from reviewer.service.signing import platform_courses, platform_import
    from reviewer.store import open_db

    trust_path = tmp_path / "trust.yaml"
    trust_for(sm2keys, "reviewer", "ed_committee").save(trust_path)
    db = open_db(tmp_path / "platform.db")
    rec = tmp_path / "rec.json"
    rec.write_text(make_envelope(package, sm2keys, committee=("ed_committee",)).to_json(),
                   encoding="utf-8")
    newer = tmp_path / "rec2.json"
    newer.write_text(make_envelope(package, sm2keys, committee=("ed_committee",), sequence=2)
                     .to_json(), encoding="utf-8")
    relabelled = tmp_path / "rec3.json"
    data = json.loads(newer.read_text(encoding="utf-8"))
    data["signatures"][0]["keyid"] = "ed25519:" + data["signatures"][0]["keyid"].split(":")[1]
    relabelled.write_text(json.dumps(data), encoding="utf-8")
    results = platform_import(db, [rec, rec, relabelled, newer], trust_path, at=AT)
    assert [r.decision.outcome for r in results] == ["accepted", "unchanged", "rejected", "superseded"]
    assert "signature.wrong_algorithm" in [x.code for x in results[2].decision.reasons]
    [course] = platform_courses(db, now=AT)
    assert course["sequence"] == 2
    assert [(s["keyid"].split(":")[0], s["role"]) for s in course["signers"]] == [
        ("sm2", "reviewer"), ("ed25519", "committee")]


def test_platform_imports_the_golden_sm2_recommendation(tmp_path):
    from reviewer.service.signing import platform_import
    from reviewer.store import open_db

    from datetime import datetime, timezone

    db = open_db(tmp_path / "platform.db")
    [r] = platform_import(db, [GOLDEN / "recommendation-sm2.json"], GOLDEN / "trust-sm2.yaml",
                          at=datetime(2026, 6, 1, tzinfo=timezone.utc))
    assert r.decision.outcome == "accepted", r.decision.reasons


# ------------------------------------------------------------------ start-up: the library only when used

def test_the_sm2_library_is_imported_only_when_an_sm2_key_is_used():
    code = f"""
import json, sys
from datetime import datetime, timezone
import reviewer.cli, reviewer.service.signing, reviewer.signing.report
from reviewer.signing.trust import load_trust
from reviewer.signing.verify import verify_envelope
at = datetime(2026, 6, 1, tzinfo=timezone.utc)
golden = {str(GOLDEN)!r}
ed = json.load(open(golden + "/recommendation.json", encoding="utf-8"))
assert verify_envelope(ed, load_trust(golden + "/trust.yaml"), at=at).ok
store = load_trust(golden + "/trust-sm2.yaml")   # SM2 entries are checked in plain Python
before = "tongsuopy" in sys.modules
sm = json.load(open(golden + "/recommendation-sm2.json", encoding="utf-8"))
assert verify_envelope(sm, store, at=at).ok
print(before, "tongsuopy" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "True"]


# ------------------------------------------------------------------ the command line

def test_cli_sm2_full_flow(tmp_path, monkeypatch):
    """keys new --algorithm sm2 → sign → countersign (Ed25519) → trust add → verify → platform import."""
    from click.testing import CliRunner

    from reviewer.cli import cli
    from reviewer.service.scan import scan
    from reviewer.store import open_db

    def invoke(*args):
        return CliRunner().invoke(cli, [str(a) for a in args], obj={}, catch_exceptions=False)

    monkeypatch.setenv("REVIEWER_PASSPHRASE", "pw-123")
    kd = tmp_path / "keys"
    r = invoke("keys", "new", "--name", "wang", "--institution", UNI, "--role", "reviewer",
               "--out", kd, "--algorithm", "sm2")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("sm2:")
    r = invoke("keys", "new", "--name", "li", "--institution", UNI, "--role", "committee", "--out", kd)
    assert r.exit_code == 0 and r.stdout.startswith("ed25519:"), r.output  # the default stays Ed25519
    assert json.loads(invoke("keys", "show", kd / "wang.pub").stdout)["algorithm"] == "sm2"
    assert invoke("keys", "new", "--name", "x", "--institution", UNI, "--role", "reviewer",
                  "--out", kd, "--algorithm", "rsa").exit_code == 2

    sample = Path(__file__).resolve().parents[2] / "sample_courses" / "zh-data-structures"
    pkg = tmp_path / "course"
    shutil.copytree(sample, pkg)
    dbp = tmp_path / "state.db"
    db = open_db(dbp)
    scan(db, pkg)
    complete_review(db, pkg, "recommend", "同意推荐")  # dispositions, then answers

    rec = tmp_path / "rec.json"
    r = invoke("sign", pkg, "--key", kd / "wang.key", "--out", rec, "--db", dbp)
    assert r.exit_code == 0, r.output
    r = invoke("countersign", rec, "--key", kd / "li.key")
    assert r.exit_code == 0, r.output
    sigs = json.loads(rec.read_text(encoding="utf-8"))["signatures"]
    assert [s["keyid"].split(":")[0] for s in sigs] == ["sm2", "ed25519"]
    trust = tmp_path / "trust.yaml"
    assert invoke("trust", "add", trust, kd / "wang.pub").exit_code == 0
    assert invoke("trust", "add", trust, kd / "li.pub").exit_code == 0
    assert "algorithm: sm2" in trust.read_text(encoding="utf-8")
    r = invoke("verify", rec, "--trust", trust, "--package", pkg)
    assert r.exit_code == 0, r.output
    r = invoke("platform", "import", rec, "--trust", trust, "--db", tmp_path / "platform.db")
    assert r.exit_code == 0 and r.stdout.startswith("accepted"), r.output

    data = json.loads(rec.read_text(encoding="utf-8"))
    data["signatures"][0]["keyid"] = "ed25519:" + data["signatures"][0]["keyid"].split(":")[1]
    bad = tmp_path / "relabelled.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    r = invoke("verify", bad, "--trust", trust, "--lang", "en")
    assert r.exit_code == 1 and "[signature.wrong_algorithm]" in r.stdout
    r = invoke("verify", bad, "--trust", trust, "--format", "json")
    assert json.loads(r.stdout)["tampered"] is True


# ------------------------------------------------------------------ where tongsuopy has no wheel

def test_without_the_sm2_library_nothing_crashes(sm2env, sm2trust, sm2keys, env, trust, tmp_path,
                                                 monkeypatch):
    """pyproject.toml leaves tongsuopy out where it has no wheel: SM2 is then refused by name."""
    def missing():
        raise sm2.SM2Unavailable("SM2 needs the tongsuopy package, which is not installed here")

    monkeypatch.setattr(sm2, "_lib", missing)
    result = verify_envelope(as_data(sm2env), sm2trust, at=AT)
    assert result.codes == ["key.algorithm_unavailable", "key.algorithm_unavailable",
                            "signature.none_valid"]
    assert not result.tampered and all(s.state == "untrusted" for s in result.signatures)
    assert "tongsuopy" in result.reasons[0].message("en")
    with pytest.raises(KeyFileError, match="tongsuopy"):
        load_signer(sm2keys["reviewer"].key_path, PASS)
    with pytest.raises(ValueError, match="tongsuopy"):
        new_key_pair(tmp_path, name="a", institution=UNI, role="reviewer", passphrase=PASS,
                     algorithm="sm2")
    with pytest.raises(SigningError, match="tongsuopy"):
        self_check(sm2env)
    assert verify_envelope(as_data(env), trust, at=AT).ok  # Ed25519 needs nothing of it
