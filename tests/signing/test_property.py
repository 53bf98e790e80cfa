"""Property: no random mutation of a recommendation ever verifies."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reviewer.signing.dsse import Envelope, EnvelopeError, Signature, b64decode, b64encode, envelope_from_dict
from reviewer.signing.verify import verify_envelope

from tests.signing.signing_helpers import T0, make_envelope, trust_for

AT = T0 + timedelta(days=1)
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def signed(keys, tmp_path_factory):
    root = tmp_path_factory.mktemp("prop") / "pkg"
    root.mkdir()
    (root / "course.yaml").write_text("id: p\ntitle: 性质\n", encoding="utf-8")
    (root / "a.md").write_text("内容\n", encoding="utf-8")
    env = make_envelope(root, keys)
    store = trust_for(keys)
    assert verify_envelope(json.loads(env.to_json()), store, at=AT).ok
    return env, store


def mutate(data: bytes, kind: str, pos: int, byte: int) -> bytes:
    if not data:
        return bytes([byte])
    pos %= len(data)
    if kind == "flip":
        return data[:pos] + bytes([data[pos] ^ (1 << (byte % 8))]) + data[pos + 1:]
    if kind == "set":
        return data[:pos] + bytes([byte]) + data[pos + 1:]
    if kind == "insert":
        return data[:pos] + bytes([byte]) + data[pos:]
    if kind == "delete":
        return data[:pos] + data[pos + 1:]
    return data[:pos]  # truncate


MUTATION = st.tuples(st.sampled_from(["flip", "set", "insert", "delete", "truncate"]),
                     st.integers(min_value=0, max_value=1 << 20), st.integers(0, 255))


def _semantics(data) -> tuple | None:
    try:
        env = envelope_from_dict(data)
    except EnvelopeError:
        return None
    return env.payload_type, env.payload, tuple((s.keyid, s.sig and _raw(s.sig)) for s in env.signatures)


def _raw(sig: str):
    try:
        return b64decode(sig)
    except ValueError:
        return sig


@SETTINGS
@given(m=MUTATION)
def test_mutated_payload_bytes_never_verify(signed, m):
    env, store = signed
    payload = mutate(env.payload, *m)
    assume(payload != env.payload)
    forged = Envelope(env.payload_type, payload, list(env.signatures))
    result = verify_envelope(json.loads(forged.to_json()), store, at=AT)
    assert not result.ok
    assert "signature.none_valid" in result.codes


@SETTINGS
@given(m=MUTATION, which=st.integers(0, 1))
def test_mutated_signature_bytes_never_verify(signed, m, which):
    env, store = signed
    sigs = list(env.signatures)
    raw = b64decode(sigs[which].sig)
    new = mutate(raw, *m)
    assume(new != raw)
    sigs[which] = Signature(sigs[which].keyid, b64encode(new))
    result = verify_envelope(json.loads(Envelope(env.payload_type, env.payload, sigs).to_json()),
                             store, at=AT)
    assert not result.ok
    assert "signature.invalid" in result.codes


@SETTINGS
@given(m=MUTATION)
def test_mutated_file_bytes_never_verify(signed, m):
    """Any change of the file's bytes that changes its meaning fails verification."""
    env, store = signed
    original = env.to_json().encode("utf-8")
    text = mutate(original, *m)
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return  # unreadable: `reviewer verify` exits 2
    assume(_semantics(data) != _semantics(json.loads(original)))
    assert not verify_envelope(data, store, at=AT).ok


@SETTINGS
@given(m=MUTATION)
def test_mutated_payload_type_never_verifies(signed, m):
    env, store = signed
    ptype = mutate(env.payload_type.encode(), *m).decode("utf-8", "replace")
    assume(ptype != env.payload_type)
    result = verify_envelope(json.loads(Envelope(ptype, env.payload, list(env.signatures)).to_json()),
                             store, at=AT)
    assert not result.ok


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20)


@SETTINGS
@given(data=JSON)
def test_verify_never_raises_on_any_json(signed, data):
    _, store = signed
    result = verify_envelope(data, store, at=AT)
    assert not result.ok and result.reasons


@SETTINGS
@given(data=st.fixed_dictionaries(
    {"payloadType": st.just("application/vnd.in-toto+json"),
     "payload": JSON.map(lambda v: b64encode(json.dumps(v).encode())),
     "signatures": st.lists(st.fixed_dictionaries({"keyid": st.text(max_size=40), "sig": st.text(max_size=90)}),
                            max_size=3)}))
def test_verify_never_raises_on_envelope_shaped_input(signed, data):
    _, store = signed
    assert not verify_envelope(data, store, at=AT).ok


@SETTINGS
@given(data=JSON | st.fixed_dictionaries({"institutions": JSON, "revoked": JSON, "required_roles": JSON}))
def test_trust_store_parser_only_raises_its_own_error(data):
    from reviewer.signing.trust import TrustStoreError, trust_from_dict

    try:
        trust_from_dict(data)
    except TrustStoreError as exc:
        assert exc.problems
