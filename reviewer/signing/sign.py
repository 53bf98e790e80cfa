"""Making and extending signed envelopes (signing room).

:func:`sign_statement` wraps a statement into a new DSSE envelope signed by the
reviewer; :func:`countersign` adds a committee signature over the *same*
payload bytes (a proof set: one payload, several signatures).  Before adding
its signature, countersigning checks the envelope's self-consistency — the
reviewer signature must verify under the public key the predicate carries.
That catches corruption and accidental edits; it is **not** trust (an
attacker can replace key and signature together), which only a verifier's
trust store gives.
"""

from __future__ import annotations

from typing import Any

from reviewer.ingest.model import Msg
from reviewer.signing.dsse import PAYLOAD_TYPE, Envelope, Signature, b64decode, b64encode
from reviewer.signing.keys import ALGORITHMS, AlgorithmUnavailable, Signer, algorithm_of, key_id
from reviewer.signing.statement import PREDICATE_TYPES, STATEMENT_TYPE, statement_bytes
from reviewer.signing.verify import parse_payload


class SigningError(ValueError):
    """The envelope can't be (counter)signed; ``reasons`` lists why (bilingual)."""

    def __init__(self, reasons: list[Msg]):
        super().__init__("; ".join(r["en"] for r in reasons))
        self.reasons = reasons


def _m(zh: str, en: str) -> Msg:
    return {"zh": zh, "en": en}


def sign_statement(statement: dict[str, Any], signer: Signer) -> Envelope:
    """A new envelope holding ``statement``, signed by ``signer``."""
    env = Envelope(payload_type=PAYLOAD_TYPE, payload=statement_bytes(statement))
    env.signatures.append(Signature(keyid=signer.info.keyid, sig=b64encode(signer.sign(env.pae()))))
    return env


def self_check(env: Envelope) -> dict[str, Any]:
    """Check the envelope is intact by its own account; returns the statement.

    Raises :class:`SigningError` listing every problem.  Uses the public key
    embedded in the predicate (informational data, not trust).
    """
    if env.payload_type != PAYLOAD_TYPE:
        raise SigningError([_m(f"载荷类型 {env.payload_type!r} 不是 {PAYLOAD_TYPE}",
                                 f"payload type {env.payload_type!r} is not {PAYLOAD_TYPE}")])
    try:
        statement = parse_payload(env.payload)
    except (UnicodeDecodeError, ValueError) as exc:
        raise SigningError([_m(f"载荷不是 JSON：{exc}", f"payload is not JSON: {exc}")]) from exc
    if (not isinstance(statement, dict) or statement.get("_type") != STATEMENT_TYPE
            or statement.get("predicateType") not in PREDICATE_TYPES):
        raise SigningError([_m("载荷不是课程推荐声明", "the payload is not a course recommendation statement")])
    predicate = statement.get("predicate")
    reviewer = predicate.get("reviewer") if isinstance(predicate, dict) else None
    problems = []
    try:
        if not isinstance(reviewer, dict):
            raise ValueError("no reviewer")
        raw = b64decode(reviewer.get("public_key"))
    except ValueError:
        raise SigningError([_m("推荐中没有审核人公钥", "the predicate carries no reviewer public key")]) from None
    # The algorithm is the one the reviewer's key id names: this is the file's own
    # account of itself, not trust (a verifier takes the algorithm from its trust store).
    keyid = reviewer.get("keyid")
    algorithm = algorithm_of(keyid) if isinstance(keyid, str) else ""
    profile = ALGORITHMS.get(algorithm)
    if profile is None:
        raise SigningError([_m(f"审核人的密钥 {keyid} 的算法未知（应为 {'、'.join(ALGORITHMS)}）",
                               f"the reviewer's key {keyid} names an unknown algorithm "
                               f"(known: {', '.join(ALGORITHMS)})")])
    if key_id(raw, algorithm) != keyid:
        problems.append(_m("审核人的密钥指纹与内嵌公钥不符",
                           "the reviewer's key id does not match the embedded public key"))
    message = env.pae()
    found = False
    for i, sig in enumerate(env.signatures, start=1):
        if sig.keyid != keyid:
            continue
        found = True
        try:
            ok = profile.verify(raw, b64decode(sig.sig), message)
        except ValueError:
            ok = False
        except AlgorithmUnavailable as exc:
            raise SigningError([_m(f"无法核验审核人的签名：{exc}",
                                   f"cannot check the reviewer's signature: {exc}")]) from exc
        if not ok:
            problems.append(_m(f"第 {i} 个签名（审核人的）与内容不符",
                               f"signature {i} (the reviewer's) does not match the content"))
    if not found:
        problems.append(_m("缺少审核人的签名", "the reviewer's signature is missing"))
    if problems:
        raise SigningError(problems)
    return statement


def countersign(env: Envelope, signer: Signer) -> tuple[Envelope, bool]:
    """Add ``signer``'s signature over the same payload.

    Returns ``(envelope, added)``; ``added`` is ``False`` when this key had
    already signed (the envelope is returned unchanged).  Raises
    :class:`SigningError` when the envelope is not intact, the key is not a
    committee key, or belongs to another institution than the course.
    """
    statement = self_check(env)
    predicate = statement["predicate"]
    problems = []
    if signer.info.role != "committee":
        problems.append(_m(f"密钥 {signer.info.keyid} 的角色是 {signer.info.role}，会签需要教学委员会（committee）密钥",
                           f"key {signer.info.keyid} has role {signer.info.role}; countersigning needs a committee key"))
    course = predicate.get("course")
    institution = course.get("institution") if isinstance(course, dict) else None
    if signer.info.institution != institution:
        problems.append(_m(f"密钥 {signer.info.keyid} 属于 {signer.info.institution}，课程属于 {institution}",
                           f"key {signer.info.keyid} belongs to {signer.info.institution}, the course to {institution}"))
    if signer.info.keyid == (predicate.get("reviewer") or {}).get("keyid"):
        problems.append(_m("审核人不能会签自己的推荐", "the reviewer cannot countersign their own recommendation"))
    if problems:
        raise SigningError(problems)
    if any(s.keyid == signer.info.keyid for s in env.signatures):
        return env, False
    sig = Signature(keyid=signer.info.keyid, sig=b64encode(signer.sign(env.pae())))
    return Envelope(env.payload_type, env.payload, [*env.signatures, sig]), True


def team_refusals(team: list[dict[str, Any]] | None, info: Any) -> list[Msg]:
    """Why the key ``info`` may not sign for a review ``team`` (empty: it may, or no team).

    A team's recommendation is signed by its members only: the key's holder must be
    a member (by name), with that member's key when the team records one.
    """
    if not team:
        return []
    member = next((m for m in team if m.get("name") == info.name), None)
    names = "、".join(str(m.get("name")) for m in team)
    if member is None:
        return [_m(f"密钥 {info.keyid} 的持有人 {info.name} 不是审核组成员（{names}）",
                   f"the holder of key {info.keyid}, {info.name}, is not in the review team ({names})")]
    if member.get("keyid") and member["keyid"] != info.keyid:
        return [_m(f"审核组记录的 {info.name} 的密钥是 {member['keyid']}，不是 {info.keyid}",
                   f"the review team records {member['keyid']} as {info.name}'s key, not {info.keyid}")]
    return []


def cosign(env: Envelope, signer: Signer) -> tuple[Envelope, bool]:
    """A review team member adds their signature over the same payload.

    Returns ``(envelope, added)``; ``added`` is ``False`` when this key had already
    signed (the envelope is returned unchanged).  Raises :class:`SigningError` when
    the envelope is not intact, the recommendation names no team, or the key is not a
    reviewer key of a member of the team at the course's institution.
    """
    statement = self_check(env)
    predicate = statement["predicate"]
    team = predicate.get("team")
    info = signer.info
    if not team:
        raise SigningError([_m("这份推荐没有审核组：教学委员会请用 reviewer countersign 会签",
                               "this recommendation has no review team: the committee countersigns "
                               "with reviewer countersign")])
    problems = []
    if info.role != "reviewer":
        problems.append(_m(f"密钥 {info.keyid} 的角色是 {info.role}，审核组成员签名需要审核人（reviewer）密钥",
                           f"key {info.keyid} has role {info.role}; a team member signs with a reviewer key"))
    course = predicate.get("course")
    institution = course.get("institution") if isinstance(course, dict) else None
    if info.institution != institution:
        problems.append(_m(f"密钥 {info.keyid} 属于 {info.institution}，课程属于 {institution}",
                           f"key {info.keyid} belongs to {info.institution}, the course to {institution}"))
    problems.extend(team_refusals(team, info))
    if problems:
        raise SigningError(problems)
    if any(s.keyid == info.keyid for s in env.signatures):
        return env, False
    sig = Signature(keyid=info.keyid, sig=b64encode(signer.sign(env.pae())))
    return Envelope(env.payload_type, env.payload, [*env.signatures, sig]), True
