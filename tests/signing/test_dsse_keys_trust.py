"""The building blocks: PAE, strict base64, key files, the trust store file."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from datetime import datetime, timezone

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from reviewer.signing.dsse import b64decode, envelope_from_json, pae
from reviewer.signing.keys import KeyFileError, load_public, load_signer, new_key_pair
from reviewer.signing.trust import TrustStoreError, load_trust, parse_time, trust_from_dict

from tests.signing.signing_helpers import PASS, UNI


# ------------------------------------------------------------------ PAE and base64

def test_pae_matches_the_dsse_spec_example():
    # From the DSSE protocol document.
    assert pae("http://example.com/HelloWorld", b"hello world") == \
        b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"


def test_pae_counts_bytes_not_characters():
    assert pae("类型", "载荷".encode()) == b"DSSEv1 6 " + "类型".encode() + b" 6 " + "载荷".encode()


def test_pae_of_empty_payload():
    assert pae("t", b"") == b"DSSEv1 1 t 0 "


@pytest.mark.parametrize("text,ok", [("aGk=", True), ("aGk", True), ("aG-_", True), ("aGk=\n", True),
                                     ("aG k=", False), ("aGl=", False), ("a+-_", False), ("%%", False),
                                     (None, False), (3, False)])
def test_strict_base64(text, ok):
    if ok:
        b64decode(text)
    else:
        with pytest.raises(ValueError):
            b64decode(text)


def test_envelope_json_errors():
    from reviewer.signing.dsse import EnvelopeError

    for bad in (b"", b"{", b"\xff\xfe", b"[1]"):
        with pytest.raises(EnvelopeError) as exc:
            envelope_from_json(bad)
        assert exc.value.code == "envelope.malformed"


# ------------------------------------------------------------------ keys

def test_new_key_pair_files(tmp_path):
    key_path, pub_path, info = new_key_pair(tmp_path / "k", name="wang", institution=UNI,
                                            role="reviewer", passphrase=PASS)
    assert stat.S_IMODE(os.stat(key_path).st_mode) == 0o600
    pem = key_path.read_text()
    assert pem.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    pub = json.loads(pub_path.read_text(encoding="utf-8"))
    assert pub["institution"] == UNI and pub["role"] == "reviewer" and pub["name"] == "wang"
    raw = info.public_key
    assert pub["keyid"] == "ed25519:" + hashlib.sha256(raw).hexdigest()[:32]
    Ed25519PublicKey.from_public_bytes(raw)  # a real Ed25519 key
    signer = load_signer(key_path, PASS)
    sig = signer.sign(b"m")
    Ed25519PublicKey.from_public_bytes(raw).verify(sig, b"m")
    assert not list(tmp_path.joinpath("k").glob(".*tmp"))  # no temporary file left behind


def test_wrong_passphrase_is_a_clear_error(keys):
    with pytest.raises(KeyFileError, match="wrong passphrase"):
        load_signer(keys["reviewer"].key_path, "not it")


def test_wrong_passphrase_whose_garbage_passes_the_padding_check(keys, monkeypatch):
    """About one wrong passphrase in 256 decrypts to garbage with valid padding, which
    then fails as ASN.1 (a CI run met it): still 'wrong passphrase', not a parse error."""
    from reviewer.signing import keys as keys_module

    def garbage(data, password):
        raise ValueError("Could not deserialize key data. Details: ASN.1 parsing error: short data")

    monkeypatch.setattr(keys_module.serialization, "load_pem_private_key", garbage)
    with pytest.raises(KeyFileError, match="wrong passphrase"):
        load_signer(keys["reviewer"].key_path, "not it")


def test_an_unencrypted_file_that_is_not_a_key_says_so(tmp_path):
    bad = tmp_path / "x.key"
    bad.write_text("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", encoding="ascii")
    with pytest.raises(KeyFileError, match="not a usable private key"):
        load_signer(bad, "pw", pub_path=tmp_path / "x.pub")


def test_key_files_are_never_overwritten(tmp_path):
    new_key_pair(tmp_path, name="a", institution=UNI, role="reviewer", passphrase=PASS)
    before = (tmp_path / "a.key").read_bytes()
    with pytest.raises(FileExistsError):
        new_key_pair(tmp_path, name="a", institution=UNI, role="reviewer", passphrase=PASS)
    assert (tmp_path / "a.key").read_bytes() == before


@pytest.mark.parametrize("kw", [dict(role="admin"), dict(name="../x"), dict(name=".hidden"),
                                dict(institution=" "), dict(passphrase="")])
def test_new_key_pair_refuses_bad_arguments(tmp_path, kw):
    args = dict(name="a", institution=UNI, role="reviewer", passphrase=PASS) | kw
    with pytest.raises(ValueError):
        new_key_pair(tmp_path, **args)


def test_pub_that_belongs_to_another_key(keys, tmp_path):
    (tmp_path / "x.key").write_bytes(keys["reviewer"].key_path.read_bytes())
    (tmp_path / "x.pub").write_bytes(keys["committee"].pub_path.read_bytes())
    with pytest.raises(KeyFileError, match="does not belong"):
        load_signer(tmp_path / "x.key", PASS)


def test_garbage_key_file(tmp_path):
    (tmp_path / "x.key").write_text("not a key")
    with pytest.raises(KeyFileError):
        load_signer(tmp_path / "x.key", PASS)


@pytest.mark.parametrize("change", [
    {"keyid": "ed25519:" + "0" * 32}, {"public_key": "AAAA"}, {"public_key": "%%%"},
    {"role": "admin"}, {"algorithm": "rsa"}, {"name": ""},
])
def test_malformed_pub_files(keys, tmp_path, change):
    data = json.loads(keys["reviewer"].pub_path.read_text(encoding="utf-8")) | change
    p = tmp_path / "bad.pub"
    p.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(KeyFileError):
        load_public(p)


def test_pub_not_json(tmp_path):
    p = tmp_path / "bad.pub"
    p.write_bytes(b"\x00\x01")
    with pytest.raises(KeyFileError):
        load_public(p)


# ------------------------------------------------------------------ trust store

def test_trust_store_round_trip(keys, tmp_path):
    from tests.signing.signing_helpers import trust_for

    store = trust_for(keys, "reviewer", "committee", "other_reviewer",
                      not_after=datetime(2030, 1, 1, tzinfo=timezone.utc))
    store.revoke(keys["committee"].info.keyid, datetime(2026, 5, 1, tzinfo=timezone.utc), "离职")
    path = tmp_path / "trust.yaml"
    store.save(path)
    again = load_trust(path)
    assert again.to_dict() == store.to_dict()
    assert set(again.to_dict()["institutions"]) == {UNI, "北海师范学院"}
    assert again.revocation(keys["committee"].info.keyid,
                            datetime(2026, 6, 1, tzinfo=timezone.utc)).reason == "离职"


def test_trust_store_dates_may_be_plain_yaml_dates(keys):
    k = keys["reviewer"].info
    data = {"institutions": {UNI: {"keys": [{
        "keyid": k.keyid, "public_key": json.loads(keys["reviewer"].pub_path.read_text())["public_key"],
        "role": "reviewer", "not_before": datetime(2026, 1, 1).date(), "not_after": "2026-12-31"}]}}}
    store = trust_from_dict(data)
    key = store.key(k.keyid)
    assert key.not_after == datetime(2026, 12, 31, 23, 59, 59, tzinfo=timezone.utc)
    assert key.algorithm == "ed25519"


@pytest.mark.parametrize("text,needle", [
    ("institutions: [1, 2]", "institutions must be a mapping"),
    ("- just a list", "top level must be a mapping"),
    ("required_roles: [reviewer, boss]", "required_roles"),
    ("required_roles: []", "required_roles"),
    ("version: 2", "unsupported version"),
    ("surprise: 1", "unknown top-level"),
    ("institutions: {U: {keys: [{keyid: x}]}}", "missing or non-text"),
    ("institutions: {U: {keys: [{keyid: 'ed25519:00', public_key: '%%', role: reviewer}]}}", "not base64"),
    ("institutions: {U: {keys: [{keyid: 'ed25519:00', public_key: 'AAAA', role: reviewer}]}}",
     "does not match"),
    ("institutions: {U: {keys: [{keyid: 'rsa:00', public_key: 'AAAA', role: reviewer, algorithm: rsa}]}}",
     "unknown algorithm"),
    ("institutions: {U: {keys: [{keyid: 'sm2:00', public_key: 'AAAA', role: reviewer, algorithm: sm2}]}}",
     "does not match"),
    ("institutions: {U: {keys: [{keyid: 'x', public_key: 'AAAA', role: judge}]}}", "role"),
    ("revoked: [{keyid: x, at: yesterday}]", "revoked[0]"),
    ("revoked: {a: 1}", "revoked must be a list"),
    ("key: [unclosed", "not valid YAML"),
])
def test_malformed_trust_files(tmp_path, text, needle):
    p = tmp_path / "t.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(TrustStoreError) as exc:
        load_trust(p)
    assert needle in str(exc.value)


def test_trust_file_listing_a_key_twice(keys, tmp_path):
    from tests.signing.signing_helpers import trust_for

    d = trust_for(keys, "reviewer").to_dict()
    entry = d["institutions"][UNI]["keys"][0]
    d["institutions"]["别名大学"] = {"keys": [entry]}
    with pytest.raises(TrustStoreError, match="listed twice"):
        trust_from_dict(d)


def test_trust_file_not_utf8(tmp_path):
    p = tmp_path / "t.yaml"
    p.write_bytes("机构: 甲".encode("gbk"))
    with pytest.raises(TrustStoreError, match="cannot read"):
        load_trust(p)


def test_parse_time_forms():
    assert parse_time("2026-03-01") == datetime(2026, 3, 1, tzinfo=timezone.utc)
    assert parse_time("2026-03-01T08:00:00+08:00") == datetime(2026, 3, 1, 0, 0, tzinfo=timezone.utc)
    assert parse_time("2026-03-01T08:00:00Z").tzinfo is not None
    with pytest.raises(ValueError):
        parse_time("tomorrow")


def test_sm3_standard_test_vectors():
    """GB/T 32905-2016 appendix A: "abc" and "abcd" × 16."""
    from reviewer.signing.digests import digest_bytes, sm3_hex

    assert sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert sm3_hex(b"abcd" * 16) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    d = digest_bytes("a", b"abc")
    assert d.sha256 == hashlib.sha256(b"abc").hexdigest() and d.size == 3
