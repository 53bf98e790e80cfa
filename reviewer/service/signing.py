"""Use cases of the signing room: keys, sign, countersign, report, verify, trust, platform.

The CLI (``reviewer/cli/signing.py``) and the TUI call these; they read and
write files and open stores, and leave the rules to ``reviewer.signing``.
Errors the user must fix in their input raise :class:`InputError` (exit 2);
refusals that list reasons raise :class:`SignRefused` (exit 1).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from reviewer import __version__
from reviewer.i18n import CodedError, bilingual
from reviewer.ingest.model import Msg
from reviewer.signing.digests import FileDigest, digest_files
from reviewer.signing.dsse import Envelope, EnvelopeError, b64encode, envelope_from_dict, load_json
from reviewer.files import write_text
from reviewer.signing.keys import KeyFileError, PublicKeyInfo, load_public, load_signer, new_key_pair
from reviewer.signing.platform import Held, ImportDecision, course_key, decide
from reviewer.signing.policy import ReviewSnapshot, sign_refusals
from reviewer.signing.sign import SigningError, cosign, countersign, sign_statement, team_refusals
from reviewer.signing.statement import (
    DEFAULT_VALID_DAYS, RecommendationInput, build_statement, is_send_back,
)
from reviewer.signing.trust import TrustStore, TrustStoreError, load_trust, parse_time
from reviewer.signing.verify import Verification, verify_envelope

PASSPHRASE_ENV = "REVIEWER_PASSPHRASE"
#: A recommendation file larger than this is refused unread (a real one with
#: ten thousand files and findings is a few MiB).
MAX_RECOMMENDATION_BYTES = 64 << 20


class InputError(CodedError, ValueError):
    """Unreadable or unusable input (exit 2); ``code`` and ``params`` say it in the
    user's language (:func:`reviewer.i18n.error_text`), the message in English."""


class SignRefused(RuntimeError):
    """Signing (or countersigning) is refused; ``reasons`` are bilingual messages.

    ``blockers`` are the review's blockers among them (``{kind, id, message}``), so
    that a shell can show them grouped (:func:`reviewer.review.model.group_blockers`)
    after the other reasons.
    """

    def __init__(self, reasons: list[Msg], blockers: list[dict[str, Any]] | None = None):
        super().__init__("; ".join(r.get("en", "") for r in reasons))
        self.reasons = reasons
        self.blockers = list(blockers or [])

    @property
    def other_reasons(self) -> list[Msg]:
        """The reasons that are not one of :attr:`blockers`."""
        listed = [b["message"] for b in self.blockers]
        return [r for r in self.reasons if r not in listed]


def write_text_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and a rename; :class:`InputError` when the place is unusable."""
    try:
        write_text(path, text)
    except OSError as exc:
        raise InputError(None, "file.unwritable", path=str(path), reason=exc) from exc


# ---------------------------------------------------------------- keys

def make_keys(out_dir: str | Path, *, name: str, institution: str, role: str,
              passphrase: str, algorithm: str = "ed25519") -> tuple[Path, Path, PublicKeyInfo]:
    """``reviewer keys new``: NAME.key (encrypted, 0600) and NAME.pub in ``out_dir``.

    ``algorithm``: ``ed25519`` (default) or ``sm2`` (SM2 with SM3, docs/signing.md).
    """
    try:
        return new_key_pair(out_dir, name=name, institution=institution, role=role,
                            passphrase=passphrase, algorithm=algorithm)
    except CodedError as exc:  # a bad name, role …, or a key file that exists
        raise InputError.of(exc) from exc
    except OSError as exc:
        raise InputError(None, "file.unwritable", path=str(exc.filename or out_dir),
                         reason=exc) from exc


Passphrase = str | Callable[[], str]


def _signer(key_path: str | Path, passphrase: Passphrase):
    """Decrypt the key; ``passphrase`` may be a callable asked only now (a prompt)."""
    secret = passphrase() if callable(passphrase) else passphrase
    try:
        return load_signer(key_path, secret)
    except KeyFileError as exc:
        raise InputError.of(exc) from exc


def _public_beside(key_path: str | Path) -> PublicKeyInfo:
    try:
        return load_public(Path(key_path).with_suffix(".pub"))
    except KeyFileError as exc:
        raise InputError(None, "key.pub-beside", reason=exc) from exc


# ---------------------------------------------------------------- reading review state

def _names(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        value = [value]
    out = []
    for v in value:
        if isinstance(v, dict):
            v = v.get("name")
        if v:
            out.append(str(v))
    return out


def course_from_manifest(manifest: dict[str, Any] | None, package_id: str, title: str,
                         institution: str) -> dict[str, Any]:
    """The predicate's ``course``: the manifest's identity, people reduced to names."""
    m = manifest or {}
    raw_title = m.get("title")
    if isinstance(raw_title, dict):
        title_out: Any = {k: str(v) for k, v in raw_title.items() if k in ("zh", "en") and v}
    else:
        title_out = str(raw_title or title)
    responsible = _names(m.get("responsible_teacher"))
    return {
        "id": str(m.get("id") or package_id),
        "title": title_out or title,
        "institution": str(m.get("institution") or institution),
        "lecturers": _names(m.get("lecturers")),
        "responsible_teacher": responsible[0] if responsible else None,
        "term": str(m["term"]) if m.get("term") else None,
        "platform": str(m["platform"]) if m.get("platform") else None,
    }


def _rules_digest(directory: Path) -> str | None:
    """Digest of the shipped rule files (same construction as a package digest)."""
    from reviewer.ingest.digest import package_digest

    if not directory.is_dir():
        return None
    import hashlib

    pairs = [(p.relative_to(directory).as_posix(), hashlib.sha256(p.read_bytes()).hexdigest())
             for p in sorted(directory.rglob("*")) if p.is_file()]
    return package_digest(pairs)


def review_snapshot(db, path: str) -> ReviewSnapshot:
    """What the review service knows about the package at ``path``.

    Raises :class:`SignRefused` when there is no review to sign (not scanned).
    """
    from reviewer.review.errors import ReviewError
    from reviewer.service import review as review_service
    from reviewer.store import packages as pstore

    try:
        status = review_service.review_status(db, path)
    except ReviewError as exc:
        raise SignRefused([exc.message]) from exc
    scan = pstore.latest_scan(db, status.package_id)
    return snapshot_from_status(status, str(path),
                                rules_digest=scan.get("rules_digest") if scan else None)


def snapshot_from_status(status: Any, path: str, *, rules_digest: str | None = None) -> ReviewSnapshot:
    """Adapt :class:`reviewer.service.review.ReviewStatus` to a :class:`ReviewSnapshot`."""
    blockers = [{"kind": b.kind, "id": b.id, "message": dict(b.message)} for b in status.blockers]
    answers = [{
        "item": it.id, "checklist": it.checklist, "title": dict(it.question),
        "blocking": bool(it.blocking), "answer": it.answer, "comment": it.comment,
        "answered_at": it.updated_at or None, "answered_by": it.actor or None,
    } for it in status.items]
    findings = [{
        "id": f.id, "check": f.check, "rule": f.rule, "severity": f.severity, "file": f.file,
        "location": dict(f.location or {}), "disposition": f.disposition, "reason": f.reason or "",
        "group": getattr(f, "group", "") or f.id,
        # shown to the committee; findings_summary masks the personal data in them
        "match": f.match or "", "context": getattr(f, "context", "") or "",
        "message": dict(f.message) if isinstance(f.message, dict) else (f.message or ""),
    } for f in status.findings]
    d = status.decision
    decision = ({"value": d.decision, "comment": d.comment, "decided_at": d.decided_at or None,
                 "decided_by": d.actor or None} if d else None)
    team = None
    if getattr(status, "team", None):  # each member's own answers beside the consolidated ones
        team = [{"name": m.name, "role": m.role, "institution": m.institution or None,
                 "keyid": m.keyid,
                 "answers": {it.id: {"answer": a.answer, "comment": a.comment}
                             for it in status.items for a in it.members
                             if a.member == m.name and a.answer is not None}}
                for m in status.team]
    return ReviewSnapshot(
        package_path=path, reviewed_digest=status.digest, blockers=blockers,
        decision=decision, decision_outdated=bool(status.decision_outdated),
        answers=answers, findings=findings,
        checklist={"id": ",".join(sorted({it.checklist for it in status.items})) or None,
                   "version": None, "digest": status.checklists_digest},
        lexicons_digest=rules_digest, checklists_digest=status.checklists_digest,
        team=team,
    )


# ---------------------------------------------------------------- sign

@dataclass(slots=True)
class SignResult:
    envelope: Envelope
    statement: dict[str, Any]
    out: Path
    warnings: list[Msg] = field(default_factory=list)


def sign_package(db, path: str | Path, *, key_path: str | Path, passphrase: Passphrase, out: str | Path,
                 audience: str | None = None, sequence: int | None = None,
                 supersedes: str | None = None, valid_days: int = DEFAULT_VALID_DAYS,
                 now: datetime | None = None, snapshot: ReviewSnapshot | None = None) -> SignResult:
    """``reviewer sign``: re-read the package, check the review, write the envelope.

    Raises :class:`SignRefused` listing every reason when something blocks,
    :class:`InputError` for an unusable key or package.  Everything is checked
    (with the identity in ``NAME.pub``) before the passphrase is asked for.
    """
    from reviewer.ingest.package import load_package
    from reviewer.ingest.sources import PackageError
    from reviewer.paths import checklists_dir, lexicons_dir
    from reviewer.store import platform as store

    pub = _public_beside(key_path)
    if valid_days < 1:
        raise InputError(None, "at-least-1", option="--valid-days")
    if sequence is not None and sequence < 1:
        raise InputError(None, "at-least-1", option="--sequence")
    snap = snapshot if snapshot is not None else review_snapshot(db, str(path))
    try:
        package = load_package(path)
    except PackageError as exc:
        raise InputError.of(exc) from exc
    course = course_from_manifest(package.manifest, package.id, package.title, pub.institution)
    manifest_inst = (package.manifest or {}).get("institution")
    refusals = sign_refusals(snap, current_digest=package.digest, signer_role=pub.role,
                             signer_institution=pub.institution,
                             course_institution=str(manifest_inst) if manifest_inst else None)
    unreadable = [f.path for f in package.files if not f.sha256]
    for p in unreadable:
        refusals.append(bilingual("signing.refuse.no_digest", file=p))
    refusals.extend(team_refusals(snap.team, pub))
    send_back = is_send_back((snap.decision or {}).get("value"))
    if refusals:
        raise SignRefused(refusals, [] if send_back else snap.blockers)
    digests = package_files(path, [f.path for f in package.files])
    changed = [f.path for f in package.files
               if f.path not in digests or digests[f.path].sha256 != f.sha256]
    if changed:
        raise SignRefused([bilingual("signing.refuse.changed_while_signing",
                                     files=", ".join(changed))])
    signer = _signer(key_path, passphrase)
    previous = store.last_issued(db, course["institution"], course["id"])
    seq = sequence if sequence is not None else (previous["sequence"] + 1 if previous else 1)
    if supersedes is None and previous and sequence is None:
        supersedes = previous["id"]
    info = signer.info
    inp = RecommendationInput(
        files=list(digests.values()), package_digest=package.digest, course=course,
        decision=snap.decision or {}, findings=snap.findings,
        checklist={"id": snap.checklist.get("id"), "version": snap.checklist.get("version"),
                   "digest": snap.checklist.get("digest") or snap.checklists_digest,
                   "answers": snap.answers},
        tooling={"tool": "reviewer", "version": __version__,
                 "lexicons_digest": snap.lexicons_digest or _rules_digest(lexicons_dir()),
                 "checklists_digest": snap.checklists_digest or _rules_digest(checklists_dir())},
        reviewer={"name": info.name, "institution": info.institution, "keyid": info.keyid,
                  "role": info.role, "public_key": b64encode(info.public_key)},
        sequence=seq, supersedes=supersedes, audience=audience or None,
        issued_at=now, valid_days=valid_days, team=snap.team,
        blockers=snap.blockers if send_back else [])
    statement = build_statement(inp)
    env = sign_statement(statement, signer)
    out = Path(out)
    write_text_atomic(out, env.to_json())
    import hashlib

    pred = statement["predicate"]
    store.record_issued(db, {
        "id": pred["id"], "institution": course["institution"], "course_id": course["id"],
        "sequence": seq, "supersedes": supersedes, "audience": pred["audience"],
        "package_path": str(Path(path).resolve()), "package_digest": package.digest,
        "decision": pred["decision"]["value"], "keyid": info.keyid, "issued_at": pred["issued_at"],
        "valid_until": pred["valid_until"], "out_path": str(out.resolve()),
        "payload_sha256": hashlib.sha256(env.payload).hexdigest()})
    warnings = []
    if send_back:
        warnings.append(bilingual("signing.warning.send_back", decision=pred["decision"]["value"],
                                  n=sum(len(g["blockers"]) for g in pred["blockers"])))
    return SignResult(envelope=env, statement=statement, out=out, warnings=warnings)


# ---------------------------------------------------------------- countersign

def read_json_file(path: str | Path) -> tuple[bytes, Any]:
    """The bytes of a recommendation file and their JSON.

    :class:`InputError` when the file can't be read, is larger than
    :data:`MAX_RECOMMENDATION_BYTES`, or is not JSON (hostile nesting included).
    """
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_RECOMMENDATION_BYTES + 1)
    except OSError as exc:
        raise InputError(None, "file.unreadable", path=str(path), reason=exc) from exc
    if len(raw) > MAX_RECOMMENDATION_BYTES:
        raise InputError(None, "rec.too-large", path=str(path), mib=MAX_RECOMMENDATION_BYTES >> 20)
    try:
        return raw, load_json(raw)
    except EnvelopeError as exc:
        raise _unusable(path, exc) from exc


def _unusable(path: str | Path, exc: EnvelopeError) -> InputError:
    """The file at ``path`` is no DSSE envelope: the reason code, and why in words."""
    return InputError(None, "rec.unusable", path=str(path), kind=exc.code,
                      reason=exc.said or exc.detail)


def read_envelope(path: str | Path) -> Envelope:
    """Read a recommendation file; :class:`InputError` when it can't be decoded at all."""
    _, data = read_json_file(path)
    try:
        return envelope_from_dict(data)
    except EnvelopeError as exc:
        raise _unusable(path, exc) from exc


def _add_signature(rec_path, key_path, passphrase: Passphrase, out, how) -> tuple[Path, bool]:
    """Add the signature ``how(envelope, signer)`` makes; write in place unless ``out``."""
    env = read_envelope(rec_path)
    signer = _signer(key_path, passphrase)
    try:
        new, added = how(env, signer)
    except SigningError as exc:
        raise SignRefused(exc.reasons) from exc
    target = Path(out) if out else Path(rec_path)
    if added or out:
        write_text_atomic(target, new.to_json())
    return target, added


def countersign_file(rec_path: str | Path, *, key_path: str | Path, passphrase: Passphrase,
                     out: str | Path | None = None) -> tuple[Path, bool]:
    """``reviewer countersign``: add the committee signature (in place unless ``out``)."""
    return _add_signature(rec_path, key_path, passphrase, out, countersign)


def cosign_file(rec_path: str | Path, *, key_path: str | Path, passphrase: Passphrase,
                out: str | Path | None = None) -> tuple[Path, bool]:
    """``reviewer cosign``: a review team member adds their signature (in place unless ``out``)."""
    return _add_signature(rec_path, key_path, passphrase, out, cosign)


# ---------------------------------------------------------------- verify

def read_trust(path: str | Path, *, missing_ok: bool = False) -> TrustStore:
    try:
        return load_trust(path, missing_ok=missing_ok)
    except TrustStoreError as exc:
        raise InputError.of(exc) from exc


def package_files(package: str | Path, paths: list[str] | None = None) -> dict[str, FileDigest]:
    """SHA-256 and SM3 of the package's files (``paths``: only these); :class:`InputError` if unreadable."""
    from reviewer.ingest.sources import PackageError

    try:
        return digest_files(package, paths)
    except (PackageError, OSError) as exc:
        raise InputError(None, "package.unreadable", path=str(package), reason=exc) from exc


def verify_file(rec_path: str | Path, trust_path: str | Path, *, package: str | Path | None = None,
                at: datetime | None = None) -> Verification:
    """``reviewer verify``: every reason the recommendation is not acceptable (none: valid).

    Unreadable input (file, trust store, package) raises :class:`InputError`;
    a file that is readable but not a valid envelope is a reason, not an error.
    """
    trust = read_trust(trust_path)
    _, data = read_json_file(rec_path)
    disk = package_files(package) if package is not None else None
    return verify_envelope(data, trust, at=at, disk_files=disk)


# ---------------------------------------------------------------- trust store

def _save_trust(store: TrustStore, path: str | Path) -> None:
    write_text_atomic(Path(path), store.dump())


def trust_add(trust_path: str | Path, pub_path: str | Path, *, role: str | None = None,
              not_before: str | None = None, not_after: str | None = None) -> tuple[PublicKeyInfo, bool]:
    """``reviewer trust add``: trust a key for a role (creates the file)."""
    store = read_trust(trust_path, missing_ok=True)
    try:
        info = load_public(pub_path)
    except KeyFileError as exc:
        raise InputError.of(exc) from exc
    try:
        nb = parse_time(not_before) if not_before else (parse_time(info.created) if info.created else None)
        na = parse_time(not_after, end_of_day=True) if not_after else None
        fresh = store.add(info, role or info.role, not_before=nb, not_after=na)
    except ValueError as exc:
        raise InputError.of(exc) from exc
    _save_trust(store, trust_path)
    return info, fresh


def trust_revoke(trust_path: str | Path, keyid: str, *, reason: str = "",
                 at: str | None = None) -> bool:
    """``reviewer trust revoke``; returns whether the key is in the store."""
    store = read_trust(trust_path)
    try:
        when = parse_time(at) if at else datetime.now(timezone.utc).replace(microsecond=0)
    except ValueError as exc:
        raise InputError.of(exc) from exc
    store.revoke(keyid, when, reason)
    _save_trust(store, trust_path)
    return store.key(keyid) is not None


# ---------------------------------------------------------------- platform

@dataclass(slots=True)
class ImportResult:
    source: str
    decision: ImportDecision
    recommendation_id: str | None = None
    course: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "recommendation_id": self.recommendation_id,
                "course": self.course, **self.decision.to_dict()}


def _held(row: dict[str, Any] | None) -> Held | None:
    if row is None:
        return None
    return Held(id=row["id"], sequence=row["sequence"], payload_sha256=row["payload_sha256"],
                status=row["status"])


def import_one(db, source: str | Path, trust: TrustStore, platform: str | None,
               at: datetime | None = None) -> ImportResult:
    """Verify one file and apply the platform's import rules; logs the attempt."""
    from reviewer.signing.reasons import reason
    from reviewer.store import platform as store

    source = str(source)
    try:
        raw, data = read_json_file(source)
        envelope_text = raw.decode("utf-8")  # stored as text; JSON may also arrive as UTF-16
    except (InputError, UnicodeDecodeError) as exc:
        decision = ImportDecision("rejected", [reason("envelope.malformed", detail=str(exc))])
        store.log_import(db, source, None, decision.outcome, [r.to_dict() for r in decision.reasons])
        return ImportResult(source, decision)
    verification = verify_envelope(data, trust, at=at)
    pred = verification.predicate
    current = same = None
    if verification.ok and pred:
        inst, cid = course_key(pred)
        current = _held(store.current_for_course(db, inst, cid))
        same = _held(store.recommendation(db, pred["id"]))
    decision = decide(verification, platform=platform, current=current, same_id=same)
    rec_id = pred.get("id") if pred else None
    course = ({"institution": pred["course"]["institution"], "id": pred["course"]["id"]}
              if pred else None)
    if decision.outcome in ("accepted", "superseded"):
        signers = [{"keyid": c.keyid, "name": c.key.name, "institution": c.key.institution,
                    "role": c.key.role} for c in verification.signatures if c.usable and c.key]
        title = pred["course"]["title"]
        store.accept(db, {
            "id": pred["id"], "institution": pred["course"]["institution"],
            "course_id": pred["course"]["id"],
            "title": json.dumps(title, ensure_ascii=False) if isinstance(title, dict) else title,
            "sequence": pred["sequence"], "supersedes": pred.get("supersedes"),
            "audience": pred.get("audience"), "decision": pred["decision"]["value"],
            "issued_at": pred["issued_at"], "valid_until": pred["valid_until"],
            "package_digest": pred["package_digest"], "payload_sha256": verification.payload_sha256,
            "signers": json.dumps(signers, ensure_ascii=False),
            "envelope": envelope_text, "source": source}, decision.replaces)
    store.log_import(db, source, rec_id, decision.outcome, [r.to_dict() for r in decision.reasons])
    return ImportResult(source, decision, rec_id, course)


def platform_import(db, sources: list[str | Path], trust_path: str | Path, *,
                    platform: str | None = None, at: datetime | None = None) -> list[ImportResult]:
    """``reviewer platform import``: each file in turn; a bad file never stops the rest.

    ``platform`` names this platform; given once it is remembered in the
    database and used when later imports omit it.
    """
    from reviewer.store import platform as store

    trust = read_trust(trust_path)
    if platform:
        known = store.platform_name(db)
        if known and known != platform:
            raise InputError(None, "platform.other-name", known=repr(known), name=repr(platform))
        if not known:
            store.set_platform_name(db, platform)
    name = platform or store.platform_name(db)
    return [import_one(db, s, trust, name, at) for s in sources]


def platform_courses(db, now: datetime | None = None) -> list[dict[str, Any]]:
    """``reviewer platform list``: one entry per course, its current recommendation."""
    from reviewer.store import platform as store

    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    out = []
    for row in store.current_list(db):
        title: Any = row["title"]
        if isinstance(title, str) and title.startswith("{"):
            try:
                title = json.loads(title)
            except json.JSONDecodeError:
                pass
        out.append({
            "institution": row["institution"], "course_id": row["course_id"], "title": title,
            "recommendation_id": row["id"], "sequence": row["sequence"],
            "supersedes": row["supersedes"], "audience": row["audience"],
            "decision": row["decision"], "issued_at": row["issued_at"],
            "valid_until": row["valid_until"], "expired": parse_time(row["valid_until"]) < now,
            "package_digest": row["package_digest"], "accepted_at": row["accepted_at"],
            "signers": json.loads(row["signers"]),
        })
    return out


# ---------------------------------------------------------------- report

def report_file(rec_path: str | Path, *, fmt: str = "html", lang: str = "zh",
                trust_path: str | Path | None = None, now: datetime | None = None,
                tz: str = "beijing") -> str:
    """``reviewer report``: the printable report text (HTML or Markdown).

    With ``trust_path`` the signatures are verified and each signer is named by the
    trust store; ``tz`` is ``beijing`` (the default) or ``utc``.
    """
    from reviewer.signing.report import render_report

    env = read_envelope(rec_path)
    verification = None
    if trust_path is not None:
        verification = verify_envelope(env, read_trust(trust_path), at=now)
    try:
        return render_report(env, fmt, lang, verification=verification,
                             rec_name=Path(rec_path).name, now=now, tz=tz)
    except ValueError as exc:
        raise InputError(None, "report.unusable", path=str(rec_path), reason=exc) from exc


def report_pdf(rec_path: str | Path, out: str | Path, *, lang: str = "zh",
               trust_path: str | Path | None = None, now: datetime | None = None,
               tz: str = "beijing", browser: str | None = None):
    """``reviewer report --format pdf``: the HTML report printed by a headless Chromium.

    Returns a :class:`reviewer.service.printing.PrintResult`; :class:`InputError`
    when the recommendation is unusable, there is no browser (saying how to get
    one) or the browser fails.
    """
    from reviewer.service.printing import PrintError, html_to_pdf

    html = report_file(rec_path, fmt="html", lang=lang, trust_path=trust_path, now=now, tz=tz)
    try:
        return html_to_pdf(html, out, browser=browser)
    except PrintError as exc:
        raise InputError.of(exc) from exc
    except OSError as exc:
        raise InputError(None, "file.unwritable", path=str(out), reason=exc) from exc
