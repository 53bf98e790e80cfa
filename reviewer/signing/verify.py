"""Offline verification of a recommendation (signing room).

The algorithm (``docs/signing.md`` § Verification) in order:

1. Decode the DSSE envelope; the payload type must be in-toto's.
2. For every signature: its ``keyid`` must name a key in the trust store (a
   key id naming a trusted key under another algorithm's label is
   ``signature.wrong_algorithm``); the signature must verify over
   ``PAE(payloadType, payload)`` with the algorithm *the trust store* names
   for that key (Ed25519, or SM2 with SM3).
3. Only if at least one signature verified under a trusted key is the payload
   parsed at all (nothing unauthenticated is read).
4. Statement type, predicate type and the predicate's schema.
5. Each verified signer: institution equal to the course's, key inside its
   validity and not revoked at (or before) the verification time, role
   reviewer for the reviewer the predicate names and committee for every
   countersignature.
6. The required roles are filled by *distinct key holders* (one person holding
   two keys counts once).
7. The recommendation's validity window; the decision is ``recommend`` (a
   send-back — a signed ``revise`` or ``reject``, of its own predicate type —
   verifies up to here and is then refused as ``decision.not_recommend``).
8. With the files of a package: every subject present with the same size,
   SHA-256 and SM3, and no file that is not a subject.

Every failure becomes a :class:`~reviewer.signing.reasons.Reason`; the result
is valid only when there are none.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from reviewer.ingest.digest import package_digest as ingest_digest
from reviewer.signing.digests import FileDigest
from reviewer.signing.dsse import PAYLOAD_TYPE, Envelope, EnvelopeError, b64decode, envelope_from_dict
from reviewer.signing.keys import ALGORITHMS, AlgorithmUnavailable, algorithm_of
from reviewer.signing.reasons import Reason, reason
from reviewer.signing.statement import PREDICATE_TYPES, STATEMENT_TYPE, is_send_back
from reviewer.signing.trust import TrustedKey, TrustStore, parse_time

#: How far in the future an ``issued_at`` may lie (clocks differ between machines).
CLOCK_SKEW = timedelta(minutes=5)
MAX_SCHEMA_ERRORS = 10


#: Reasons that say the bytes are not what was signed (see :attr:`Verification.tampered`).
TAMPERED_CODES = frozenset({"signature.invalid", "signature.bad_base64",
                            "signature.wrong_algorithm"})
TAMPERED_PREFIXES = ("envelope.", "payload.", "statement.", "predicate.", "package.file_")


@dataclass(slots=True)
class SignatureCheck:
    """What became of one signature."""

    index: int
    keyid: str
    valid: bool = False  # verified cryptographically under the trusted key
    usable: bool = False  # valid, and the key may sign this recommendation now
    key: TrustedKey | None = None
    role: str | None = None  # the role this signature plays (reviewer | committee)

    @property
    def state(self) -> str:
        """``ok`` (valid and usable), ``unusable`` (valid, but the key may not sign
        this now), ``untrusted`` (the key is not in the trust store, so the signature
        could not be checked — not a forgery) or ``invalid`` (does not verify under the
        trusted key: altered bytes or a forged signature)."""
        if self.usable:
            return "ok"
        if self.valid:
            return "unusable"
        return "untrusted" if self.key is None else "invalid"

    def to_dict(self) -> dict[str, Any]:
        k = self.key
        return {"index": self.index, "keyid": self.keyid, "valid": self.valid,
                "usable": self.usable, "state": self.state, "role": self.role,
                "holder": {"name": k.name, "institution": k.institution, "role": k.role} if k else None}


@dataclass(slots=True)
class Verification:
    """The verdict: ``ok`` only when ``reasons`` is empty."""

    reasons: list[Reason] = field(default_factory=list)
    signatures: list[SignatureCheck] = field(default_factory=list)
    statement: dict[str, Any] | None = None  # set once authenticated and well-formed
    payload_sha256: str | None = None
    at: datetime | None = None

    @property
    def ok(self) -> bool:
        return not self.reasons and self.statement is not None

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.reasons]

    @property
    def tampered(self) -> bool:
        """The bytes are not what was signed (a signature, the envelope, the statement
        or a package file), as opposed to a refusal by trust or policy: an unknown,
        expired or revoked key, a missing role, a send-back."""
        return any(s.state == "invalid" for s in self.signatures) or any(
            r.code in TAMPERED_CODES or r.code.startswith(TAMPERED_PREFIXES)
            for r in self.reasons)

    @property
    def predicate(self) -> dict[str, Any] | None:
        return self.statement["predicate"] if self.statement else None

    @property
    def send_back(self) -> bool:
        """The authenticated statement is a send-back (a signed ``revise`` or ``reject``)."""
        return is_send_back(((self.predicate or {}).get("decision") or {}).get("value"))

    def to_dict(self) -> dict[str, Any]:
        pred = self.predicate or {}
        course = pred.get("course") or {}
        return {
            "valid": self.ok,
            "tampered": self.tampered,
            "send_back": self.send_back,
            "verified_at": self.at.isoformat() if self.at else None,
            "recommendation": {
                "id": pred.get("id"), "sequence": pred.get("sequence"),
                "course": {"id": course.get("id"), "title": course.get("title"),
                           "institution": course.get("institution")},
                "decision": (pred.get("decision") or {}).get("value"),
                "issued_at": pred.get("issued_at"), "valid_until": pred.get("valid_until"),
            } if self.statement else None,
            "payload_sha256": self.payload_sha256,
            "signatures": [s.to_dict() for s in self.signatures],
            "reasons": [r.to_dict() for r in self.reasons],
        }


@lru_cache(maxsize=1)
def _statement_validator():
    from jsonschema import Draft202012Validator

    from reviewer.signing.schemas import load_schema

    return Draft202012Validator(load_schema("recommendation-statement"))


def schema_problems(statement: Any) -> list[str]:
    """Where ``statement`` breaks ``recommendation-statement.schema.json`` (empty: it fits)."""
    errors = sorted(_statement_validator().iter_errors(statement), key=lambda e: list(e.path))
    return [f"{'/'.join(str(p) for p in e.path) or '(top)'}: {e.message}" for e in errors]


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"duplicate key {k!r}")
        out[k] = v
    return out


def _bad_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_payload(payload: bytes) -> Any:
    """Strict JSON: UTF-8, no duplicate keys, no NaN/Infinity; ``ValueError`` otherwise."""
    try:
        return json.loads(payload.decode("utf-8"), object_pairs_hook=_no_duplicates,
                          parse_constant=_bad_constant)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def _check_signatures(env: Envelope, trust: TrustStore, result: Verification) -> None:
    message = env.pae()
    for i, sig in enumerate(env.signatures, start=1):
        check = SignatureCheck(index=i, keyid=sig.keyid)
        result.signatures.append(check)
        try:
            raw = b64decode(sig.sig)
        except ValueError:
            result.reasons.append(reason("signature.bad_base64", index=i, keyid=sig.keyid))
            continue
        key = trust.key(sig.keyid)
        if key is None:
            relabelled = trust.relabelled(sig.keyid)
            if relabelled is not None:
                # The entry names a trusted key under another algorithm than the one the
                # trust store holds it for: never verified with the label's algorithm.
                check.key = relabelled
                result.reasons.append(reason(
                    "signature.wrong_algorithm", index=i, keyid=sig.keyid,
                    label=algorithm_of(sig.keyid), algorithm=relabelled.algorithm,
                    trusted_keyid=relabelled.keyid))
                continue
            result.reasons.append(reason("key.unknown", index=i, keyid=sig.keyid))
            continue
        check.key = key
        profile = ALGORITHMS[key.algorithm]
        malformed = profile.signature_problem(raw)
        try:
            ok = not malformed and profile.verify(key.public_key, raw, message)
        except AlgorithmUnavailable as exc:  # not checked here, so neither valid nor a forgery
            check.key = None
            result.reasons.append(reason("key.algorithm_unavailable", index=i, keyid=sig.keyid,
                                         algorithm=key.algorithm, detail=str(exc)))
            continue
        if not ok:
            details = {"problem": malformed} if malformed else {}
            result.reasons.append(reason("signature.invalid", index=i, keyid=sig.keyid,
                                         algorithm=key.algorithm, **details))
            continue
        check.valid = True


def _check_statement(statement: Any, result: Verification) -> bool:
    """Type checks and the schema; ``True`` when the predicate may be used."""
    if not isinstance(statement, dict):
        result.reasons.append(reason("payload.malformed", detail="not a JSON object"))
        return False
    if statement.get("_type") != STATEMENT_TYPE:
        result.reasons.append(reason("statement.bad_type", type=statement.get("_type")))
        return False
    if statement.get("predicateType") not in PREDICATE_TYPES:
        result.reasons.append(reason("statement.bad_predicate_type",
                                     predicate_type=statement.get("predicateType")))
        return False
    errors = schema_problems(statement)
    for err in errors[:MAX_SCHEMA_ERRORS]:
        result.reasons.append(reason("predicate.invalid", detail=err))
    if errors:
        return False
    names = [s["name"] for s in statement["subject"]]
    if len(set(names)) != len(names):
        result.reasons.append(reason("predicate.invalid", detail="subject: a file is listed twice"))
        return False
    if statement["predicate"]["file_count"] != len(names):
        result.reasons.append(reason("predicate.invalid", detail="file_count differs from the subjects"))
        return False
    return True


def _check_keys(result: Verification, predicate: dict[str, Any], trust: TrustStore,
                at: datetime) -> None:
    course_inst = predicate["course"]["institution"]
    reviewer_keyid = predicate["reviewer"]["keyid"]
    team = predicate.get("team") or []
    for check in result.signatures:
        if not check.valid or check.key is None:
            continue
        key = check.key
        problems: list[Reason] = []
        expected = ("reviewer" if check.keyid == reviewer_keyid or _team_member(key, team)
                    else "committee")
        check.role = expected
        if key.role != expected:
            problems.append(reason("key.wrong_role", index=check.index, keyid=key.keyid,
                                   role=key.role, expected=expected))
        if key.institution != course_inst:
            problems.append(reason("key.wrong_institution", index=check.index, keyid=key.keyid,
                                   institution=key.institution, course_institution=course_inst))
        if key.not_before and at < key.not_before:
            problems.append(reason("key.not_yet_valid", keyid=key.keyid,
                                   not_before=key.not_before.isoformat()))
        if key.not_after and at > key.not_after:
            problems.append(reason("key.expired", keyid=key.keyid,
                                   not_after=key.not_after.isoformat()))
        revoked = trust.revocation(key.keyid, at)
        if revoked:
            problems.append(reason("key.revoked", keyid=key.keyid, at=revoked.at.isoformat(),
                                   reason=revoked.reason))
        result.reasons.extend(problems)
        check.usable = not problems
    if not any(c.valid and c.keyid == reviewer_keyid for c in result.signatures):
        result.reasons.append(reason("reviewer.not_signed", keyid=reviewer_keyid))


def _team_member(key: TrustedKey, team: list[dict[str, Any]]) -> bool:
    """Whether a trusted reviewer key is a member's of the recommendation's review team
    (by the trust store's name for it, and the member's key id when the team records one)."""
    return key.role == "reviewer" and any(
        m.get("name") == key.name and (not m.get("keyid") or m["keyid"] == key.keyid)
        for m in team)


def _check_reviewers(result: Verification, trust: TrustStore) -> None:
    """``require: {reviewers: N}``: N distinct reviewers (key holders) signed, usable.

    Asked only beyond what ``required_roles`` asks already (``roles.missing`` says that).
    """
    if trust.reviewers <= trust.required().get("reviewer", 0):
        return
    have = len({_holder(c.key) for c in result.signatures
                if c.usable and c.key is not None and c.role == "reviewer"})
    if have < trust.reviewers:
        result.reasons.append(reason("reviewers.too_few", needed=trust.reviewers, have=have))


def _holder(key: TrustedKey) -> tuple[str, str]:
    """Who holds a key: (institution, name); an unnamed key is its own holder."""
    return (key.institution, key.name or key.keyid)


def _check_roles(result: Verification, trust: TrustStore) -> None:
    """Fill each required role slot with a distinct key holder (bipartite matching)."""
    slots = [role for role, n in sorted(trust.required().items()) for _ in range(n)]
    candidates: dict[int, set[tuple[str, str]]] = {}
    for i, role in enumerate(slots):
        candidates[i] = {_holder(c.key) for c in result.signatures
                         if c.usable and c.key is not None and c.role == role}
    owner: dict[tuple[str, str], int] = {}

    def assign(slot: int, seen: set) -> bool:
        for holder in sorted(candidates[slot]):
            if holder in seen:
                continue
            seen.add(holder)
            if holder not in owner or assign(owner[holder], seen):
                owner[holder] = slot
                return True
        return False

    for i in range(len(slots)):
        assign(i, set())
    filled = set(owner.values())
    need = trust.required()
    for role in sorted(need):
        have = sum(1 for i in filled if slots[i] == role)
        if have < need[role]:
            result.reasons.append(reason("roles.missing", role=role, needed=need[role], have=have))


def _check_times(result: Verification, predicate: dict[str, Any], at: datetime) -> None:
    try:
        valid_until = parse_time(predicate["valid_until"])
        issued_at = parse_time(predicate["issued_at"])
    except ValueError as exc:
        result.reasons.append(reason("predicate.invalid", detail=f"time: {exc}"))
        return
    if at > valid_until:
        result.reasons.append(reason("recommendation.expired", valid_until=predicate["valid_until"]))
    if issued_at - at > CLOCK_SKEW:  # not ``at + CLOCK_SKEW``: that overflows near year 9999
        result.reasons.append(reason("recommendation.not_yet_valid", issued_at=predicate["issued_at"]))


def compare_files(subjects: list[dict[str, Any]], disk: dict[str, FileDigest]) -> list[Reason]:
    """Each subject must be on disk with the same size and digests; nothing else may be."""
    out: list[Reason] = []
    signed = {s["name"]: s for s in subjects}
    for name in sorted(signed):
        s = signed[name]
        have = disk.get(name)
        if have is None:
            out.append(reason("package.file_missing", file=name))
            continue
        what = []
        size = s["annotations"]["size"]
        if have.size != size:
            what.append(f"size {size} → {have.size}")
        if have.sha256 != s["digest"]["sha256"]:
            what.append("sha256")
        if have.sm3 != s["digest"]["sm3"]:
            what.append("sm3")
        if what:
            out.append(reason("package.file_differs", file=name, what=", ".join(what)))
    for name in sorted(set(disk) - set(signed)):
        out.append(reason("package.file_extra", file=name))
    return out


def verify_envelope(data: Any, trust: TrustStore, *, at: datetime | None = None,
                    disk_files: dict[str, FileDigest] | None = None,
                    package_digest: Callable[[list[tuple[str, str]]], str] | None = ingest_digest,
                    require_recommend: bool = True) -> Verification:
    """Verify ``data`` (the parsed envelope JSON, or an :class:`Envelope`).

    ``disk_files``: the package's files as found on disk (``--package``).
    ``package_digest``: how a package digest is computed from ``(path,
    sha256)`` pairs (ingest's, ``docs/digest.md``), to check the predicate's
    ``package_digest`` against the subjects; ``None`` skips that check.  ``data`` is never modified.
    """
    at = (at or datetime.now(timezone.utc)).astimezone(timezone.utc)
    result = Verification(at=at)
    try:
        env = data if isinstance(data, Envelope) else envelope_from_dict(data)
    except EnvelopeError as exc:
        result.reasons.append(reason(exc.code, detail=exc.detail))
        return result
    if env.payload_type != PAYLOAD_TYPE:
        result.reasons.append(reason("envelope.bad_payload_type", payload_type=env.payload_type))
    if not env.signatures:
        result.reasons.append(reason("envelope.no_signatures"))
        return result
    _check_signatures(env, trust, result)
    if not any(c.valid for c in result.signatures):
        result.reasons.append(reason("signature.none_valid"))
        return result
    if env.payload_type != PAYLOAD_TYPE:  # reported above; a payload of another type is not read
        return result
    # From here on the payload is authenticated by at least one trusted key.
    result.payload_sha256 = hashlib.sha256(env.payload).hexdigest()
    try:
        statement = parse_payload(env.payload)
    except (UnicodeDecodeError, ValueError) as exc:
        result.reasons.append(reason("payload.malformed", detail=str(exc)))
        return result
    if not _check_statement(statement, result):
        return result
    predicate = statement["predicate"]
    result.statement = statement
    if package_digest is not None:
        pairs = sorted((s["name"], s["digest"]["sha256"]) for s in statement["subject"])
        if package_digest(pairs) != predicate["package_digest"]:
            result.reasons.append(reason("statement.package_digest"))
    _check_keys(result, predicate, trust, at)
    _check_roles(result, trust)
    _check_reviewers(result, trust)
    _check_times(result, predicate, at)
    if require_recommend and predicate["decision"]["value"] != "recommend":
        result.reasons.append(reason("decision.not_recommend", decision=predicate["decision"]["value"]))
    if disk_files is not None:
        result.reasons.extend(compare_files(statement["subject"], disk_files))
    return result
