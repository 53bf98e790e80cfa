"""Helpers and fixtures of the signing tests: keys, hand-built statements, trust stores.

Keys are made once per session (they are only read afterwards).  A
"university" U signs; "other" is another institution.  Everything lives in
tmp directories; nothing reaches the network.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from reviewer.ingest.digest import package_digest
from reviewer.signing.digests import digest_files
from reviewer.signing.dsse import Envelope, b64encode
from reviewer.signing.keys import PublicKeyInfo, Signer, load_signer, new_key_pair
from reviewer.signing.sign import countersign, sign_statement
from reviewer.signing.statement import RecommendationInput, build_statement
from reviewer.signing.trust import TrustStore

UNI = "江东理工大学"
OTHER = "北海师范学院"
PASS = "correct horse battery staple"
T0 = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)


@dataclass
class Key:
    signer: Signer
    info: PublicKeyInfo
    key_path: Path
    pub_path: Path


def _make(dir_: Path, name: str, inst: str, role: str, algorithm: str = "ed25519") -> Key:
    key_path, pub_path, info = new_key_pair(dir_, name=name, institution=inst, role=role,
                                            passphrase=PASS, created=T0 - timedelta(days=30),
                                            algorithm=algorithm)
    return Key(load_signer(key_path, PASS), info, key_path, pub_path)


@pytest.fixture(scope="session")
def keys(tmp_path_factory) -> dict[str, Key]:
    d = tmp_path_factory.mktemp("keys")
    return {
        "reviewer": _make(d, "wang", UNI, "reviewer"),
        "committee": _make(d, "li", UNI, "committee"),
        "committee2": _make(d, "zhao", UNI, "committee"),
        "other_reviewer": _make(d, "chen", OTHER, "reviewer"),
        "other_committee": _make(d, "sun", OTHER, "committee"),
    }


@pytest.fixture(scope="session")
def sm2keys(keys, tmp_path_factory) -> dict[str, Key]:
    """SM2 keys under the same names as :func:`keys`, plus the Ed25519 ones as ``ed_<name>``
    (so ``make_envelope(..., committee=("ed_committee",))`` mixes the two profiles)."""
    d = tmp_path_factory.mktemp("sm2keys")
    out = {
        "reviewer": _make(d, "wang", UNI, "reviewer", "sm2"),
        "committee": _make(d, "li", UNI, "committee", "sm2"),
        "committee2": _make(d, "zhao", UNI, "committee", "sm2"),
        "other_reviewer": _make(d, "chen", OTHER, "reviewer", "sm2"),
    }
    out.update({f"ed_{name}": key for name, key in keys.items()})
    return out


@pytest.fixture()
def package(tmp_path) -> Path:
    """A small course package folder with Chinese and nested names."""
    root = tmp_path / "pkg"
    (root / "slides").mkdir(parents=True)
    (root / "transcripts").mkdir()
    (root / "course.yaml").write_text(f"id: ds-2026\ntitle: {{zh: 数据结构, en: Data Structures}}\n"
                                      f"institution: {UNI}\n", encoding="utf-8")
    (root / "slides" / "第1讲.md").write_text("# 绪论\n数据结构研究数据的组织。\n", encoding="utf-8")
    (root / "transcripts" / "lecture 1.srt").write_text(
        "1\n00:00:01,000 --> 00:00:03,000\n大家好\n", encoding="utf-8")
    (root / "诚信承诺书.md").write_text("我承诺独立完成学习。\n", encoding="utf-8")
    return root


def make_input(package: Path, reviewer: Key, **over) -> RecommendationInput:
    files = list(digest_files(package).values())
    fields = dict(
        files=files,
        package_digest=package_digest([(f.path, f.sha256) for f in files]),
        course={"id": "ds-2026", "title": {"zh": "数据结构", "en": "Data Structures"},
                "institution": UNI, "lecturers": ["王建国"], "responsible_teacher": "王建国",
                "term": "2026春", "platform": "中国大学MOOC"},
        decision={"value": "recommend", "comment": "符合要求", "decided_at": T0.isoformat(),
                  "decided_by": "wang"},
        checklist={"id": "core", "version": None, "digest": None, "answers": [
            {"item": "P1", "title": {"zh": "政治方向", "en": "political direction"},
             "blocking": True, "answer": "pass", "comment": None},
            {"item": "Q3", "title": {"zh": "考试监督", "en": "exam supervision"},
             "blocking": False, "answer": "na", "comment": "本校线下考试"}]},
        findings=[
            {"id": "f1", "check": "pii", "rule": "mobile", "severity": "error",
             "file": "slides/第1讲.md", "location": {"line": 2}, "disposition": "false-alarm",
             "reason": "虚构号码"},
            {"id": "f2", "check": "lexicon", "rule": "ads", "severity": "warning", "file": None,
             "location": {}, "disposition": "accepted", "reason": "引用示例"},
            {"id": "f3", "check": "outdated", "rule": "law", "severity": "info", "file": None,
             "location": {}, "disposition": None, "reason": ""}],
        tooling={"tool": "reviewer", "version": "0.1.0", "lexicons_digest": "sha256:" + "1" * 64,
                 "checklists_digest": "sha256:" + "2" * 64},
        reviewer={"name": reviewer.info.name, "institution": reviewer.info.institution,
                  "keyid": reviewer.info.keyid, "role": reviewer.info.role,
                  "public_key": b64encode(reviewer.info.public_key)},
        issued_at=T0, valid_days=365,
    )
    fields.update(over)
    return RecommendationInput(**fields)


def make_envelope(package: Path, keys: dict[str, Key], *, reviewer: str = "reviewer",
                  committee: tuple[str, ...] = ("committee",), **over) -> Envelope:
    env = sign_statement(build_statement(make_input(package, keys[reviewer], **over)),
                         keys[reviewer].signer)
    for name in committee:
        env, _ = countersign(env, keys[name].signer)
    return env


def seeded_signer(seed: int, name: str, role: str, institution: str = UNI) -> Signer:
    """An Ed25519 signer from a fixed seed (deterministic signatures, no key file)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from reviewer.signing.keys import key_id

    private = Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32)
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return Signer(private, PublicKeyInfo(key_id(raw), "ed25519", raw, name, institution, role,
                                         "2026-01-01T00:00:00+00:00"))


def signed_and_countersigned(statement: dict, reviewer: Signer, committee: Signer) -> tuple[Envelope, TrustStore]:
    """``statement`` signed by ``reviewer``, countersigned by ``committee``, and the trust
    store that trusts both for their roles."""
    env = sign_statement(statement, reviewer)
    env, _ = countersign(env, committee)
    trust = TrustStore()
    trust.add(reviewer.info, "reviewer")
    trust.add(committee.info, "committee")
    return env, trust


def trust_for(keys: dict[str, Key], *names: str, roles: dict[str, str] | None = None,
              **add) -> TrustStore:
    store = TrustStore()
    for name in names or ("reviewer", "committee"):
        k = keys[name]
        store.add(k.info, (roles or {}).get(name, k.info.role), **add)
    return store


def complete_review(db, pkg: Path, decision: str = "recommend", comment: str | None = "符合要求") -> None:
    """Review a scanned package to the end: every error and warning a false alarm, every
    item passed, then ``decision``."""
    from reviewer.service import review as rv

    status = rv.review_status(db, pkg)
    for f in status.findings:  # the evidence first: a pass over open errors needs confirming
        if f.severity in ("error", "warning"):
            rv.dispose_finding(db, pkg, f.id, "false-alarm", "示例数据，虚构")
    for item in status.items:
        rv.answer_item(db, pkg, item.id, "pass")
    rv.decide(db, pkg, decision, comment)


def reviewed_course(root: Path, run, holders=(("wang", "reviewer"), ("li", "committee"))):
    """For the command-line tests: key pairs made by ``reviewer keys new`` through ``run``
    (the passphrase from $REVIEWER_PASSPHRASE) in ``root/keys``, and a copy of the sample
    course scanned and reviewed to "recommend" in ``root/state.db``.  Returns (keys
    folder, package, database path)."""
    import shutil

    from reviewer.service.scan import scan
    from reviewer.store import open_db

    kd = root / "keys"
    for name, role in holders:
        r = run(["keys", "new", "--name", name, "--institution", UNI, "--role", role, "--out", kd])
        assert r.exit_code == 0, r.output
    pkg = root / "course"
    shutil.copytree(Path(__file__).resolve().parents[2] / "sample_courses" / "zh-data-structures", pkg)
    dbp = root / "state.db"
    db = open_db(dbp)
    scan(db, pkg)
    complete_review(db, pkg, "recommend", "同意推荐")
    return kd, pkg, dbp


def as_data(env: Envelope) -> dict:
    return json.loads(env.to_json())


@pytest.fixture()
def env(package, keys) -> Envelope:
    return make_envelope(package, keys)


@pytest.fixture()
def trust(keys) -> TrustStore:
    return trust_for(keys)


def check_truncated_signature_text(env: Envelope, trust: TrustStore, at: datetime) -> None:
    """Five characters cut off the committee's signature: unreadable, so its role is missing."""
    from reviewer.signing.verify import verify_envelope

    data = as_data(env)
    data["signatures"][1]["sig"] = data["signatures"][1]["sig"][:-5]
    result = verify_envelope(data, trust, at=at)
    assert result.codes[0] in ("signature.bad_base64", "signature.invalid")
    assert "roles.missing" in result.codes


def check_not_base64_signature(env: Envelope, trust: TrustStore, at: datetime) -> None:
    """The reviewer's signature is not base64 at all: that is the first reason given."""
    from reviewer.signing.verify import verify_envelope

    data = as_data(env)
    data["signatures"][0]["sig"] = "!!!not base64!!!"
    assert verify_envelope(data, trust, at=at).codes[0] == "signature.bad_base64"


def check_swapped_signatures(env: Envelope, trust: TrustStore, at: datetime) -> None:
    """Each role's signature under the other's key id: both invalid, none valid."""
    from reviewer.signing.dsse import Signature
    from reviewer.signing.verify import verify_envelope

    a, b = env.signatures
    swapped = Envelope(env.payload_type, env.payload,
                       [Signature(a.keyid, b.sig), Signature(b.keyid, a.sig)])
    result = verify_envelope(as_data(swapped), trust, at=at)
    assert result.codes == ["signature.invalid", "signature.invalid", "signature.none_valid"]
