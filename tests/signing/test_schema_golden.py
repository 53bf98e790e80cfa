"""The recommendation format is a contract: JSON Schemas and a golden file.

The golden file is made with fixed keys (Ed25519 from fixed seeds; Ed25519
signatures are deterministic), fixed files and fixed times, so any change to
the bytes a recommendation holds shows up here.  It doubles as a test vector
for platforms implementing verification themselves (docs/signing.md).
Regenerate deliberately with ``REVIEWER_UPDATE_GOLDEN=1``.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from reviewer.signing.digests import digest_bytes
from reviewer.signing.dsse import b64encode
from reviewer.signing.keys import Signer
from reviewer.signing.schemas import load_schema
from reviewer.signing.statement import RecommendationInput, build_statement
from reviewer.signing.verify import verify_envelope
from reviewer.ingest.digest import package_digest

from tests.signing.signing_helpers import seeded_signer, signed_and_countersigned

GOLDEN = Path(__file__).parent / "golden"
UNI = "江东理工大学"


def _signer(seed: int, name: str, role: str) -> Signer:
    return seeded_signer(seed, name, role, UNI)


def golden_envelope():
    reviewer, committee = _signer(1, "王老师", "reviewer"), _signer(2, "李主任", "committee")
    files = [digest_bytes("course.yaml", "id: demo-101\ntitle: 示例课程\n".encode()),
             digest_bytes("slides/第1讲.md", "# 第1讲\n".encode()),
             digest_bytes("transcripts/lecture1.srt", b"1\n00:00:01,000 --> 00:00:02,000\nhello\n")]
    inp = RecommendationInput(
        id="6f1c2b1e-7d0a-4c1e-9a55-2f3d1e0b9c44",
        files=files, package_digest=package_digest([(f.path, f.sha256) for f in files]),
        course={"id": "demo-101", "title": "示例课程", "institution": UNI, "lecturers": ["王老师"],
                "responsible_teacher": "王老师", "term": "2026春", "platform": None},
        decision={"value": "recommend", "comment": "同意推荐", "decided_at": "2026-03-01T08:00:00Z",
                  "decided_by": "王老师"},
        checklist={"id": "academic,political,quality", "version": None, "digest": "sha256:" + "c" * 64,
                   "answers": [{"item": "P1", "title": {"zh": "政治方向", "en": "direction"},
                                "blocking": True, "answer": "pass", "comment": None,
                                "answered_at": "2026-03-01T07:00:00Z", "answered_by": "王老师"}]},
        findings=[{"id": "0123456789abcdef", "check": "pii", "rule": "mobile", "severity": "error",
                   "file": "slides/第1讲.md", "location": {"line": 1}, "disposition": "false-alarm",
                   "reason": "示例号码"}],
        tooling={"tool": "reviewer", "version": "0.1.0", "lexicons_digest": "sha256:" + "d" * 64,
                 "checklists_digest": "sha256:" + "c" * 64},
        reviewer={"name": reviewer.info.name, "institution": UNI, "keyid": reviewer.info.keyid,
                  "role": "reviewer", "public_key": b64encode(reviewer.info.public_key)},
        sequence=1, supersedes=None, audience=None,
        issued_at=datetime(2026, 3, 1, 8, 30, tzinfo=timezone.utc), valid_days=365)
    return signed_and_countersigned(build_statement(inp), reviewer, committee)


def test_golden_recommendation():
    env, trust = golden_envelope()
    text = env.to_json()
    path = GOLDEN / "recommendation.json"
    if os.environ.get("REVIEWER_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
        (GOLDEN / "trust.yaml").write_text(trust.dump(), encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
    from reviewer.signing.trust import load_trust

    at = datetime(2026, 6, 1, tzinfo=timezone.utc)
    assert verify_envelope(json.loads(text), load_trust(GOLDEN / "trust.yaml"), at=at).ok


def test_schemas_are_valid_and_describe_the_output():
    env, _ = golden_envelope()
    env_schema, st_schema = load_schema("recommendation"), load_schema("recommendation-statement")
    Draft202012Validator.check_schema(env_schema)
    Draft202012Validator.check_schema(st_schema)
    assert list(Draft202012Validator(env_schema).iter_errors(json.loads(env.to_json()))) == []
    assert list(Draft202012Validator(st_schema).iter_errors(json.loads(env.payload))) == []


@pytest.mark.parametrize("mutate", [
    lambda s: s["predicate"].pop("valid_until"),
    lambda s: s["predicate"]["decision"].update(value="maybe"),
    lambda s: s["subject"][0]["digest"].pop("sm3"),
    lambda s: s["predicate"]["reviewer"].update(role="committee"),
    lambda s: s["predicate"].update(id="not-a-uuid"),
])
def test_statement_schema_rejects(mutate):
    env, _ = golden_envelope()
    statement = json.loads(env.payload)
    mutate(statement)
    assert list(Draft202012Validator(load_schema("recommendation-statement")).iter_errors(statement))


def test_pae_test_vector_for_the_docs():
    """The numbers docs/signing.md quotes for the golden file."""
    env, _ = golden_envelope()
    assert env.pae().startswith(b"DSSEv1 28 application/vnd.in-toto+json %d {" % len(env.payload))


def test_a_recommendation_made_before_groups_still_verifies_and_validates():
    """Recommendations signed before findings were grouped have no ``groups``: still good."""
    text = (GOLDEN / "recommendation-before-groups.json").read_text(encoding="utf-8")
    from reviewer.signing.trust import load_trust

    at = datetime(2026, 6, 1, tzinfo=timezone.utc)
    assert verify_envelope(json.loads(text), load_trust(GOLDEN / "trust.yaml"), at=at).ok
    import base64

    statement = json.loads(base64.b64decode(json.loads(text)["payload"]))
    assert "groups" not in statement["predicate"]["findings"]
    assert list(Draft202012Validator(load_schema("recommendation-statement")).iter_errors(statement)) == []


def test_findings_summary_counts_groups_beside_findings():
    from reviewer.signing.statement import findings_summary

    def f(i, group, severity="error", check="pii"):
        return {"id": f"{i:016x}", "check": check, "rule": "email", "severity": severity,
                "file": f"h{i}.pdf", "location": {"page": 1}, "disposition": "accepted",
                "reason": "教师公开邮箱", "group": group}

    findings = [f(i, "a" * 16) for i in range(20)] + [f(20, "b" * 16), f(21, "b" * 16, "warning")]
    findings.append({**f(22, ""), "check": "completeness", "severity": "info"})  # no group: its own
    summary = findings_summary(findings)
    assert summary["total"] == {"error": 21, "warning": 1, "info": 1}
    assert summary["groups"]["total"] == {"error": 2, "warning": 0, "info": 1}
    assert summary["groups"]["by_check"] == {"completeness": {"error": 0, "warning": 0, "info": 1},
                                             "pii": {"error": 2, "warning": 0, "info": 0}}
    assert {i["group"] for i in summary["items"]} == {"a" * 16, "b" * 16}
