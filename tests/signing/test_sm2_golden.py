"""SM2 golden vectors and the OpenSSL 3 cross-check.

Four independent witnesses that the SM2 profile signs what GB/T 32918 says:

1. the standard's own example (GB/T 32918.5-2017 appendix A.2, the recommended
   curve with the default ID ``1234567812345678``): its key, Z value, digest and
   signature — our code verifies the standard's signature, computes its Z, and
   the plain-Python reference (``sm2_reference.py``) reproduces its ``r, s``
   from its ``k``;
2. ``golden/sm2-vector.json``: a fixed key and message with a signature made
   once by OpenSSL 3 (SM2 signatures are randomized, so the golden is a stored
   signature that must keep verifying);
3. ``golden/recommendation-sm2.json`` with ``golden/trust-sm2.yaml``: the golden
   recommendation signed by an SM2 reviewer (signature made by OpenSSL) and
   countersigned by the Ed25519 committee key of the Ed25519 golden — the mixed
   case, a test vector for platforms;
4. OpenSSL itself, when the ``openssl`` binary supports SM2: it verifies what we
   sign, we verify what it signs, it reads our key files and we read its.

Regenerate 2 and 3 deliberately with ``REVIEWER_UPDATE_GOLDEN=1`` (needs OpenSSL 3 with SM2).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from reviewer.signing import sm2
from reviewer.signing.dsse import Envelope, Signature, b64encode, pae
from reviewer.signing.keys import ALGORITHMS, PublicKeyInfo, Signer, key_id, load_signer, new_key_pair
from reviewer.signing.sign import countersign
from reviewer.signing.statement import statement_bytes
from reviewer.signing.trust import TrustStore, load_trust
from reviewer.signing.verify import verify_envelope

from tests.signing import sm2_reference as ref
from tests.signing.signing_helpers import PASS, UNI
from tests.signing.test_schema_golden import _signer as ed25519_signer
from tests.signing.test_schema_golden import golden_envelope

GOLDEN = Path(__file__).parent / "golden"
UPDATE = bool(os.environ.get("REVIEWER_UPDATE_GOLDEN"))
DISTID = b"1234567812345678"

# GB/T 32918.5-2017 appendix A.2 (= GM/T 0003.5-2012): signature on the recommended curve.
STD_D = 0x3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8
STD_PUBLIC = bytes.fromhex("04"
                           "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"
                           "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13")
STD_MESSAGE = b"message digest"
STD_Z = bytes.fromhex("B2E14C5C79C6DF5B85F4FE7ED8DB7A262B9DA7E07CCB0EA9F4747B8CCDA8A4F3")
STD_E = bytes.fromhex("F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640")
STD_K = 0x59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21
STD_R = 0xF5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3
STD_S = 0xB1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA

#: SubjectPublicKeyInfo header for an SM2 point: id-ecPublicKey with the SM2 curve's OID.
SPKI_PREFIX = bytes.fromhex("3059301306072a8648ce3d020106082a811ccf5501822d034200")

AT = datetime(2026, 6, 1, tzinfo=timezone.utc)


# ------------------------------------------------------------------ OpenSSL

def _openssl_sm2_missing() -> str | None:
    """Why OpenSSL can't take part (``None``: it can)."""
    exe = shutil.which("openssl")
    if not exe:
        return "no openssl binary on PATH"
    try:
        version = subprocess.run([exe, "version"], capture_output=True, text=True, timeout=30).stdout
        algos = subprocess.run([exe, "list", "-public-key-algorithms"], capture_output=True,
                               text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        return f"openssl does not run: {exc}"
    m = re.match(r"OpenSSL (\d+)\.", version)
    if not m or int(m.group(1)) < 3:
        return f"openssl is not OpenSSL 3 ({version.strip() or 'no version'}): pkeyutl -rawin -digest needs 3.0"
    if "sm2" not in algos.lower():
        return f"{version.strip()} has no SM2 (openssl list -public-key-algorithms)"
    return None


OPENSSL_MISSING = _openssl_sm2_missing()
needs_openssl = pytest.mark.skipif(OPENSSL_MISSING is not None,
                                   reason=f"OpenSSL cross-check skipped: {OPENSSL_MISSING}")


def spki_pem(public_raw: bytes) -> bytes:
    body = base64.encodebytes(SPKI_PREFIX + public_raw).decode("ascii")
    return f"-----BEGIN PUBLIC KEY-----\n{body}-----END PUBLIC KEY-----\n".encode("ascii")


def openssl(*args, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["openssl", *map(str, args)], capture_output=True, timeout=60,
                          env={**os.environ, **(env or {})})


def openssl_sign(key_pem: Path, message: bytes, tmp: Path, passphrase: str | None = None) -> bytes:
    """``openssl pkeyutl -sign -rawin -digest sm3 -pkeyopt distid:1234567812345678``."""
    msg, sig = tmp / "ossl-msg.bin", tmp / "ossl-sig.der"
    msg.write_bytes(message)
    extra = ["-passin", "env:SM2_TEST_PASS"] if passphrase is not None else []
    out = openssl("pkeyutl", "-sign", "-inkey", key_pem, *extra, "-rawin", "-digest", "sm3",
                  "-pkeyopt", "distid:1234567812345678", "-in", msg, "-out", sig,
                  env={"SM2_TEST_PASS": passphrase or ""})
    assert out.returncode == 0, out.stderr.decode(errors="replace")
    return sig.read_bytes()


def openssl_verify(public_raw: bytes, message: bytes, signature: bytes, tmp: Path) -> bool:
    """``openssl pkeyutl -verify -pubin -rawin -digest sm3 -pkeyopt distid:1234567812345678``."""
    pub, msg, sig = tmp / "ossl-pub.pem", tmp / "ossl-vmsg.bin", tmp / "ossl-vsig.der"
    pub.write_bytes(spki_pem(public_raw))
    msg.write_bytes(message)
    sig.write_bytes(signature)
    out = openssl("pkeyutl", "-verify", "-pubin", "-inkey", pub, "-rawin", "-digest", "sm3",
                  "-pkeyopt", "distid:1234567812345678", "-in", msg, "-sigfile", sig)
    ok = out.returncode == 0 and b"Signature Verified Successfully" in out.stdout
    assert ok or out.returncode == 1, out.stderr.decode(errors="replace")
    return ok


def _plain_pem(d: int, tmp: Path) -> Path:
    path = tmp / "fixed-sm2.pem"
    path.write_bytes(sm2.private_pem(sm2.from_scalar(d), None))
    return path


# ------------------------------------------------------------------ 1. the standard's example

def test_the_library_derives_the_standards_public_key():
    assert sm2.public_raw(sm2.from_scalar(STD_D)) == STD_PUBLIC
    assert ref.public_key(ref.SM2P256, STD_D) == ref.parse_point(STD_PUBLIC)
    assert sm2.public_key_problem(STD_PUBLIC) is None


def test_z_and_digest_of_the_standards_example():
    """Z with the default ID and e = SM3(Z ‖ M), as GB/T 32918.5 prints them."""
    assert sm2.z_value(STD_PUBLIC) == STD_Z
    assert sm2.z_value(STD_PUBLIC, DISTID) == STD_Z
    assert ref.z_value(ref.SM2P256, DISTID, ref.parse_point(STD_PUBLIC)) == STD_Z
    assert ref.sm3(STD_Z + STD_MESSAGE) == STD_E


def test_the_standards_signature_verifies_under_our_code():
    sig = sm2.encode_signature(STD_R, STD_S)
    profile = ALGORITHMS["sm2"]
    assert profile.verify(STD_PUBLIC, sig, STD_MESSAGE)
    assert not profile.verify(STD_PUBLIC, sig, b"message digesT")
    assert not profile.verify(STD_PUBLIC, sm2.encode_signature(STD_R, STD_S ^ 1), STD_MESSAGE)
    # The ID is part of what is signed: the same signature under another ID is another equation.
    point = ref.parse_point(STD_PUBLIC)
    assert ref.verify(ref.SM2P256, point, DISTID, STD_MESSAGE, STD_R, STD_S)
    assert not ref.verify(ref.SM2P256, point, b"ALICE123@YAHOO.COM", STD_MESSAGE, STD_R, STD_S)


def test_the_reference_reproduces_the_standards_signature_from_its_k():
    assert ref.sign_with_k(ref.SM2P256, STD_D, DISTID, STD_MESSAGE, STD_K) == (STD_R, STD_S)


def test_our_signatures_verify_under_the_reference():
    signer = sm2.from_scalar(STD_D)
    for message in (b"", b"x", STD_MESSAGE, pae("application/vnd.in-toto+json", b"{}")):
        r, s = ref.parse_der(sm2.sign(signer, message))
        assert ref.verify(ref.SM2P256, ref.parse_point(STD_PUBLIC), DISTID, message, r, s)


# ------------------------------------------------------------------ 2. the stored OpenSSL vector

VECTOR_MESSAGE = pae("application/vnd.in-toto+json", b"{}")  # "DSSEv1 28 application/vnd.in-toto+json 2 {}"


def _vector(tmp: Path) -> dict:
    path = GOLDEN / "sm2-vector.json"
    if UPDATE or not path.exists():
        if OPENSSL_MISSING:
            pytest.skip(f"cannot regenerate {path.name}: {OPENSSL_MISSING}")
        sig = openssl_sign(_plain_pem(STD_D, tmp), VECTOR_MESSAGE, tmp)
        version = openssl("version").stdout.decode().split()[:2]
        data = {
            "description": "SM2 with SM3 (GB/T 32918), default distinguishing ID. A fixed key (the "
                           "GB/T 32918.5 appendix A.2 example key) and message, signed once by "
                           "OpenSSL; SM2 signatures are randomized, so this signature must keep "
                           "verifying rather than be reproduced.",
            "curve": "sm2p256v1 (GB/T 32918.5-2017)",
            "distid": DISTID.decode(),
            "private_key": f"{STD_D:064x}",
            "public_key": STD_PUBLIC.hex(),
            "keyid": key_id(STD_PUBLIC, "sm2"),
            "message": VECTOR_MESSAGE.decode(),
            "z": sm2.z_value(STD_PUBLIC).hex(),
            "e": ref.sm3(sm2.z_value(STD_PUBLIC) + VECTOR_MESSAGE).hex(),
            "signature": sig.hex(),
            "made_by": f"{' '.join(version)}: openssl pkeyutl -sign -rawin -digest sm3 "
                       "-pkeyopt distid:1234567812345678",
        }
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return json.loads(path.read_text(encoding="utf-8"))


def test_golden_vector_signed_by_openssl_verifies(tmp_path):
    v = _vector(tmp_path)
    public = bytes.fromhex(v["public_key"])
    message = v["message"].encode("utf-8")
    sig = bytes.fromhex(v["signature"])
    assert v["distid"] == DISTID.decode() and message == VECTOR_MESSAGE
    assert sm2.public_raw(sm2.from_scalar(int(v["private_key"], 16))) == public
    assert v["keyid"] == key_id(public, "sm2") == "sm2:" + hashlib.sha256(public).hexdigest()[:32]
    assert sm2.z_value(public).hex() == v["z"]
    assert ref.sm3(bytes.fromhex(v["z"]) + message).hex() == v["e"]
    assert ALGORITHMS["sm2"].verify(public, sig, message)
    r, s = ref.parse_der(sig)
    assert ref.verify(ref.SM2P256, ref.parse_point(public), DISTID, message, r, s)
    assert not ALGORITHMS["sm2"].verify(public, sig, message + b" ")


# ------------------------------------------------------------------ 3. the golden SM2 recommendation

def sm2_reviewer_info() -> PublicKeyInfo:
    return PublicKeyInfo(key_id(STD_PUBLIC, "sm2"), "sm2", STD_PUBLIC, "王老师", UNI, "reviewer",
                         "2026-01-01T00:00:00+00:00")


def golden_sm2_payload() -> bytes:
    """The Ed25519 golden's statement with the SM2 reviewer in its predicate."""
    env, _ = golden_envelope()
    statement = json.loads(env.payload)
    info = sm2_reviewer_info()
    statement["predicate"]["reviewer"] = {"name": info.name, "institution": UNI, "keyid": info.keyid,
                                          "role": "reviewer", "public_key": b64encode(info.public_key)}
    return statement_bytes(statement)


def _golden_recommendation(tmp: Path) -> tuple[str, TrustStore]:
    path, trust_path = GOLDEN / "recommendation-sm2.json", GOLDEN / "trust-sm2.yaml"
    committee = ed25519_signer(2, "李主任", "committee")
    if UPDATE or not path.exists():
        if OPENSSL_MISSING:
            pytest.skip(f"cannot regenerate {path.name}: {OPENSSL_MISSING}")
        env = Envelope("application/vnd.in-toto+json", golden_sm2_payload())
        sig = openssl_sign(_plain_pem(STD_D, tmp), env.pae(), tmp)
        env.signatures.append(Signature(sm2_reviewer_info().keyid, b64encode(sig)))
        env, _ = countersign(env, committee)
        trust = TrustStore()
        trust.add(sm2_reviewer_info(), "reviewer")
        trust.add(committee.info, "committee")
        path.write_text(env.to_json(), encoding="utf-8")
        trust_path.write_text(trust.dump(), encoding="utf-8")
    return path.read_text(encoding="utf-8"), load_trust(trust_path)


def test_golden_sm2_recommendation(tmp_path):
    text, trust = _golden_recommendation(tmp_path)
    data = json.loads(text)
    payload = base64.b64decode(data["payload"])
    assert payload == golden_sm2_payload()  # the statement format has not drifted
    result = verify_envelope(data, trust, at=AT)
    assert result.ok, result.codes
    assert [(s.keyid.split(":")[0], s.role) for s in result.signatures] == [
        ("sm2", "reviewer"), ("ed25519", "committee")]
    # The reviewer's signature (OpenSSL's) also verifies under the reference ...
    message = pae(data["payloadType"], payload)
    r, s = ref.parse_der(base64.b64decode(data["signatures"][0]["sig"]))
    assert ref.verify(ref.SM2P256, ref.parse_point(STD_PUBLIC), DISTID, message, r, s)
    # ... and the committee's is the deterministic Ed25519 signature of the golden's committee key.
    committee = ed25519_signer(2, "李主任", "committee")
    assert data["signatures"][1] == {"keyid": committee.info.keyid,
                                     "sig": b64encode(committee.sign(message))}
    stored = yaml.safe_load((GOLDEN / "trust-sm2.yaml").read_text(encoding="utf-8"))
    keys = {k["keyid"]: k["algorithm"] for inst in stored["institutions"].values() for k in inst["keys"]}
    assert keys == {sm2_reviewer_info().keyid: "sm2", committee.info.keyid: "ed25519"}


def test_the_ed25519_golden_files_are_untouched():
    """Adding SM2 changed nothing in an Ed25519 recommendation or trust store."""
    env, trust = golden_envelope()
    assert env.to_json() == (GOLDEN / "recommendation.json").read_text(encoding="utf-8")
    assert trust.dump() == (GOLDEN / "trust.yaml").read_text(encoding="utf-8")


# ------------------------------------------------------------------ 4. OpenSSL, both ways

@needs_openssl
def test_openssl_verifies_what_we_sign(tmp_path):
    _, _, info = new_key_pair(tmp_path, name="wang", institution=UNI, role="reviewer",
                              passphrase=PASS, algorithm="sm2")
    signer = load_signer(tmp_path / "wang.key", PASS)
    for message in (b"", STD_MESSAGE, pae("application/vnd.in-toto+json", "载荷".encode())):
        sig = signer.sign(message)
        assert openssl_verify(info.public_key, message, sig, tmp_path)
        assert not openssl_verify(info.public_key, message + b"!", sig, tmp_path)


@needs_openssl
def test_we_verify_what_openssl_signs_with_our_encrypted_key_file(tmp_path):
    """OpenSSL reads our NAME.key (PKCS#8, PBES2, SM4-CBC) with the passphrase and signs."""
    _, _, info = new_key_pair(tmp_path, name="wang", institution=UNI, role="reviewer",
                              passphrase=PASS, algorithm="sm2")
    text = openssl("pkey", "-in", tmp_path / "wang.key", "-passin", "env:SM2_TEST_PASS", "-noout",
                   "-text", env={"SM2_TEST_PASS": PASS})
    assert text.returncode == 0, text.stderr
    message = pae("application/vnd.in-toto+json", b'{"a":1}')
    sig = openssl_sign(tmp_path / "wang.key", message, tmp_path, passphrase=PASS)
    assert ALGORITHMS["sm2"].verify(info.public_key, sig, message)
    assert not ALGORITHMS["sm2"].verify(info.public_key, sig, message[:-1])
    wrong = openssl("pkey", "-in", tmp_path / "wang.key", "-passin", "pass:wrong", "-noout")
    assert wrong.returncode != 0


@needs_openssl
def test_we_read_an_openssl_made_key(tmp_path):
    """A key OpenSSL generated and encrypted (PKCS#8, PBES2) loads and signs under our code."""
    plain = tmp_path / "o.pem"
    assert openssl("genpkey", "-algorithm", "SM2", "-out", plain).returncode == 0
    enc = tmp_path / "o.key"
    out = openssl("pkcs8", "-topk8", "-v2", "sm4-cbc", "-in", plain, "-out", enc,
                  "-passout", "env:SM2_TEST_PASS", env={"SM2_TEST_PASS": PASS})
    assert out.returncode == 0, out.stderr
    private = sm2.load_private(enc.read_bytes(), PASS.encode())
    raw = sm2.public_raw(private)
    info = PublicKeyInfo(key_id(raw, "sm2"), "sm2", raw, "o", UNI, "reviewer")
    sig = Signer(private, info).sign(STD_MESSAGE)
    assert openssl_verify(raw, STD_MESSAGE, sig, tmp_path)


@needs_openssl
def test_verifying_a_recommendation_by_hand_as_the_docs_say(tmp_path):
    """docs/signing.md § SM2: payload → PAE, trust-store key → PEM, openssl pkeyutl -verify."""
    text, _ = _golden_recommendation(tmp_path)
    env = json.loads(text)
    payload = base64.b64decode(env["payload"])
    ptype = env["payloadType"].encode()
    (tmp_path / "pae.bin").write_bytes(b"DSSEv1 %d %b %d %b" % (len(ptype), ptype, len(payload), payload))
    trusted = load_trust(GOLDEN / "trust-sm2.yaml").key(env["signatures"][0]["keyid"])
    der = SPKI_PREFIX + base64.b64decode(b64encode(trusted.public_key))
    (tmp_path / "pub.der").write_bytes(der)
    assert openssl("pkey", "-pubin", "-inform", "DER", "-in", tmp_path / "pub.der",
                   "-out", tmp_path / "pub.pem").returncode == 0
    (tmp_path / "sig.der").write_bytes(base64.b64decode(env["signatures"][0]["sig"]))
    out = openssl("pkeyutl", "-verify", "-pubin", "-inkey", tmp_path / "pub.pem", "-rawin",
                  "-digest", "sm3", "-pkeyopt", "distid:1234567812345678",
                  "-in", tmp_path / "pae.bin", "-sigfile", tmp_path / "sig.der")
    assert out.returncode == 0 and b"Signature Verified Successfully" in out.stdout, out
