"""Hostile or odd input is a reason or a clear error, never a traceback."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone

import pytest

from reviewer.service import signing as service
from reviewer.service.signing import InputError, countersign_file, platform_import, report_file, verify_file
from reviewer.signing.dsse import PAYLOAD_TYPE, Envelope, EnvelopeError, Signature, envelope_from_json
from reviewer.files import write_atomic
from reviewer.signing.sign import SigningError, countersign, self_check
from reviewer.signing.statement import PREDICATE_TYPE, STATEMENT_TYPE, statement_bytes
from reviewer.signing.trust import TrustStoreError, parse_time, trust_from_dict
from reviewer.signing.verify import parse_payload, verify_envelope
from reviewer.store import open_db

from tests.signing.signing_helpers import PASS, T0, UNI, as_data

DEEP = b"[" * 200_000 + b"]" * 200_000


# ------------------------------------------------------------------ times out of range

@pytest.mark.parametrize("text", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59"])
def test_time_out_of_range_is_a_value_error(text):
    with pytest.raises(ValueError, match="out of range"):
        parse_time(text)


def test_trust_store_with_out_of_range_time_is_a_trust_store_error(keys):
    info = keys["reviewer"].info
    entry = {"keyid": info.keyid, "public_key": json.loads(json.dumps(info.to_dict()))["public_key"],
             "role": "reviewer", "not_after": "9999-12-31T23:59:59-23:59"}
    with pytest.raises(TrustStoreError, match="out of range"):
        trust_from_dict({"institutions": {UNI: {"keys": [entry]}}})


def test_verify_at_the_end_of_time_does_not_overflow(env, trust):
    at = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc)
    result = verify_envelope(as_data(env), trust, at=at)
    assert "recommendation.expired" in result.codes


# ------------------------------------------------------------------ nesting and size

def test_deeply_nested_json_is_malformed_not_a_recursion_error(tmp_path, trust, keys):
    with pytest.raises(EnvelopeError) as exc:
        envelope_from_json(DEEP)
    assert exc.value.code == "envelope.malformed"
    with pytest.raises(ValueError):
        parse_payload(DEEP)
    rec = tmp_path / "deep.json"
    rec.write_bytes(DEEP)
    trust_path = tmp_path / "trust.yaml"
    trust.save(trust_path)
    with pytest.raises(InputError):
        verify_file(rec, trust_path)
    with pytest.raises(InputError):
        report_file(rec)
    db = open_db(tmp_path / "platform.db")
    [r] = platform_import(db, [rec], trust_path)
    assert [x.code for x in r.decision.reasons] == ["envelope.malformed"]


def test_an_oversized_file_is_refused_unread(tmp_path, trust, monkeypatch, env):
    rec = tmp_path / "big.json"
    rec.write_text(env.to_json(), encoding="utf-8")
    trust_path = tmp_path / "trust.yaml"
    trust.save(trust_path)
    monkeypatch.setattr(service, "MAX_RECOMMENDATION_BYTES", 1000)
    with pytest.raises(InputError, match="larger than"):
        verify_file(rec, trust_path)


def test_a_utf16_file_is_rejected_by_import_not_a_crash(tmp_path, trust, env):
    rec = tmp_path / "utf16.json"
    rec.write_bytes(env.to_json().encode("utf-16"))
    trust_path = tmp_path / "trust.yaml"
    trust.save(trust_path)
    db = open_db(tmp_path / "platform.db")
    [r] = platform_import(db, [rec], trust_path, at=T0 + timedelta(days=1))
    assert r.decision.outcome == "rejected"
    assert [x.code for x in r.decision.reasons] == ["envelope.malformed"]


# ------------------------------------------------------------------ wrong types in the payload

def _odd_envelope(predicate) -> Envelope:
    statement = {"_type": STATEMENT_TYPE, "subject": [], "predicateType": PREDICATE_TYPE,
                 "predicate": predicate}
    return Envelope(PAYLOAD_TYPE, statement_bytes(statement), [Signature("ed25519:00", "AAAA")])


@pytest.mark.parametrize("predicate", [[1], "x", None, {"reviewer": [1]}, {"reviewer": "x"}])
def test_self_check_refuses_wrong_types(predicate, keys, tmp_path):
    env = _odd_envelope(predicate)
    with pytest.raises(SigningError):
        self_check(env)
    with pytest.raises(SigningError):
        countersign(env, keys["committee"].signer)
    rec = tmp_path / "odd.json"
    rec.write_text(env.to_json(), encoding="utf-8")
    with pytest.raises(InputError):
        report_file(rec)


def test_countersign_refuses_a_course_of_the_wrong_type(env, keys, tmp_path):
    statement = json.loads(env.payload)
    statement["predicate"]["course"] = ["not", "a", "mapping"]
    from reviewer.signing.sign import sign_statement

    odd = sign_statement(statement, keys["reviewer"].signer)
    rec = tmp_path / "odd.json"
    rec.write_text(odd.to_json(), encoding="utf-8")
    with pytest.raises(service.SignRefused):
        countersign_file(rec, key_path=keys["committee"].key_path, passphrase=PASS)


# ------------------------------------------------------------------ atomic writes

def test_write_atomic_leaves_no_temporary_file_and_keeps_the_mode(tmp_path):
    target = tmp_path / "k.key"
    write_atomic(target, b"secret", mode=0o600, overwrite=False)
    assert target.read_bytes() == b"secret"
    assert os.stat(target).st_mode & 0o777 == 0o600
    with pytest.raises(FileExistsError):
        write_atomic(target, b"other", mode=0o600, overwrite=False)
    assert target.read_bytes() == b"secret"
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.key"]


def test_deeply_nested_key_and_trust_files_are_clear_errors(tmp_path):
    from reviewer.signing.keys import KeyFileError, load_public
    from reviewer.signing.trust import load_trust

    pub = tmp_path / "k.pub"
    pub.write_bytes(DEEP)
    with pytest.raises(KeyFileError, match="not JSON"):
        load_public(pub)
    store = tmp_path / "trust.yaml"
    store.write_bytes(DEEP)
    with pytest.raises(TrustStoreError, match="not valid YAML"):
        load_trust(store)
