"""The verifier's trust store: which keys a platform trusts, for what (signing room).

A YAML file maintained by the platform (``reviewer trust add/revoke``)::

    version: 1
    required_roles: [reviewer, committee]     # one distinct key holder per entry
    require: {reviewers: 3}                   # optional: distinct reviewers who must sign
                                              # (a review team; default 1)
    institutions:
      北京大学:
        keys:
          - keyid: "ed25519:…"                # or "sm2:…"
            algorithm: ed25519                # or sm2; the verifier's choice, never the file's
            public_key: "<base64 raw key>"    # Ed25519: 32 bytes; SM2: 65-byte point 04‖x‖y
            name: 张老师
            role: reviewer                    # reviewer | committee
            not_before: "2026-01-01T00:00:00+00:00"
            not_after: null                   # or an ISO date/time
    revoked:
      - {keyid: "ed25519:…", at: "2026-05-01T00:00:00+00:00", reason: "laptop lost"}

Parsing is strict: every problem is collected and raised together as a
:class:`TrustStoreError`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Any

import yaml

from reviewer.i18n import CodedError
from reviewer.signing.dsse import b64decode, b64encode
from reviewer.files import write_atomic
from reviewer.signing.keys import ALGORITHMS, PUB_TYPE, ROLES, PublicKeyInfo

DEFAULT_REQUIRED_ROLES = ("reviewer", "committee")


def _problem(code: str, **params: Any) -> CodedError:
    """One problem of a trust store (``errors.trust.<code>``)."""
    return CodedError(None, f"trust.{code}", **params)


class TrustStoreError(CodedError, ValueError):
    """The trust store can't be read or is malformed; ``problems`` lists each issue
    (English text; ``params["problems"]`` holds them as :class:`CodedError` to be said
    in the user's language)."""

    def __init__(self, source: str, problems: list[str | CodedError]):
        coded = [p if isinstance(p, CodedError) else CodedError.of(p if isinstance(p, BaseException)
                                                                      else ValueError(p))
                 for p in problems]
        super().__init__(None, "trust.invalid", source=source, problems=coded)
        self.source = source
        self.problems = [str(p) for p in coded]


class TrustValueError(CodedError, ValueError):
    """A date/time (``errors.time.*``) or an entry value the trust store refuses."""


def parse_time(value: Any, *, end_of_day: bool = False) -> datetime:
    """An ISO date or date-time (YAML may have parsed it already) → aware UTC datetime.

    A bare date means the start of that day in UTC (``end_of_day``: its last
    second).  Naive times are taken as UTC.  Raises ``ValueError`` for anything
    else, including an offset that pushes the time outside the years 1–9999.
    """
    try:
        return _parse_time(value, end_of_day)
    except TrustValueError:
        raise
    except OverflowError as exc:
        raise TrustValueError(None, "time.out-of-range", value=repr(value)) from exc
    except ValueError as exc:
        raise TrustValueError(None, "time.invalid", value=repr(value)) from exc


def _parse_time(value: Any, end_of_day: bool) -> datetime:
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime.combine(value, time(23, 59, 59) if end_of_day else time(0, 0))
    elif isinstance(value, str):
        text = value.strip()
        if len(text) == 10:
            return _parse_time(date.fromisoformat(text), end_of_day)
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    else:
        raise TrustValueError(None, "time.invalid", value=repr(value))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)


def iso(dt: datetime | None) -> str | None:
    return dt.astimezone(timezone.utc).isoformat() if dt else None


@dataclass(slots=True)
class TrustedKey:
    keyid: str
    algorithm: str
    public_key: bytes
    institution: str
    role: str
    name: str = ""
    not_before: datetime | None = None
    not_after: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"keyid": self.keyid, "algorithm": self.algorithm,
                "public_key": b64encode(self.public_key), "name": self.name, "role": self.role,
                "not_before": iso(self.not_before), "not_after": iso(self.not_after)}


@dataclass(slots=True)
class Revocation:
    keyid: str
    at: datetime
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"keyid": self.keyid, "at": iso(self.at), "reason": self.reason}


@dataclass(slots=True)
class TrustStore:
    """Trusted keys by id, revocations and the roles that must sign."""

    keys: dict[str, TrustedKey] = field(default_factory=dict)
    revoked: list[Revocation] = field(default_factory=list)
    required_roles: list[str] = field(default_factory=lambda: list(DEFAULT_REQUIRED_ROLES))
    #: Distinct reviewers (key holders) whose signatures a recommendation needs
    #: (``require: {reviewers: N}``); 1 unless a review team is required.
    reviewers: int = 1

    def key(self, keyid: str) -> TrustedKey | None:
        return self.keys.get(keyid)

    def relabelled(self, keyid: str) -> TrustedKey | None:
        """The trusted key ``keyid`` names under another algorithm's label, if any.

        A key id is ``<algorithm>:<fingerprint>``; the same fingerprint under
        another prefix is this store's key with its algorithm label changed
        (two algorithms' keys never share a fingerprint: it hashes different bytes).
        """
        label, sep, fingerprint = keyid.partition(":")
        if not sep or not fingerprint:
            return None
        for key in self.keys.values():
            algorithm, _, fp = key.keyid.partition(":")
            if fp == fingerprint and algorithm != label:
                return key
        return None

    def revocation(self, keyid: str, at: datetime) -> Revocation | None:
        """The earliest revocation of ``keyid`` in force at ``at`` (revoked at or before)."""
        hits = [r for r in self.revoked if r.keyid == keyid and r.at <= at]
        return min(hits, key=lambda r: r.at) if hits else None

    def required(self) -> Counter:
        return Counter(self.required_roles)

    # -------------------------------------------------------------- maintenance

    def add(self, info: PublicKeyInfo, role: str, *, not_before: datetime | None = None,
            not_after: datetime | None = None) -> bool:
        """Trust ``info`` for ``role``; returns ``False`` when it replaced an entry."""
        if role not in ROLES:
            raise TrustValueError(None, "role-choices", roles=", ".join(ROLES))
        if not_before and not_after and not_after <= not_before:
            raise TrustValueError(None, "trust.window")
        fresh = info.keyid not in self.keys
        self.keys[info.keyid] = TrustedKey(
            keyid=info.keyid, algorithm=info.algorithm, public_key=info.public_key,
            institution=info.institution, role=role, name=info.name,
            not_before=not_before, not_after=not_after)
        return fresh

    def revoke(self, keyid: str, at: datetime, reason: str = "") -> None:
        self.revoked.append(Revocation(keyid=keyid, at=at, reason=reason))

    # -------------------------------------------------------------- file form

    def to_dict(self) -> dict[str, Any]:
        institutions: dict[str, dict[str, list]] = {}
        for k in sorted(self.keys.values(), key=lambda k: (k.institution, k.role, k.name, k.keyid)):
            entry = k.to_dict()
            institutions.setdefault(k.institution, {"keys": []})["keys"].append(entry)
        out: dict[str, Any] = {"version": 1, "required_roles": list(self.required_roles)}
        if self.reviewers != 1:
            out["require"] = {"reviewers": self.reviewers}
        out.update({"institutions": institutions, "revoked": [r.to_dict() for r in self.revoked]})
        return out

    def dump(self) -> str:
        header = ("# reviewer trust store: keys this platform trusts to sign course\n"
                  "# recommendations.  Maintain with `reviewer trust add/revoke`; see docs/signing.md.\n")
        return header + yaml.safe_dump(self.to_dict(), allow_unicode=True, sort_keys=False)

    def save(self, path: str | Path) -> None:
        """Write atomically (temporary file, then rename)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, self.dump().encode("utf-8"))


def _key_from(entry: Any, institution: str, where: str,
              problems: list[CodedError]) -> TrustedKey | None:
    if not isinstance(entry, dict):
        problems.append(_problem("entry-not-mapping", where=where))
        return None
    bad = [f for f in ("keyid", "public_key", "role") if not isinstance(entry.get(f), str)]
    if bad:
        problems.append(_problem("entry-fields", where=where, fields=", ".join(bad)))
        return None
    algorithm = entry.get("algorithm", "ed25519")
    if not isinstance(algorithm, str) or algorithm not in ALGORITHMS:
        problems.append(_problem("entry-algorithm", where=where, algorithm=repr(algorithm),
                                 known=", ".join(ALGORITHMS)))
        return None
    if entry["role"] not in ROLES:
        problems.append(_problem("entry-role", where=where, role=repr(entry["role"]),
                                 roles=", ".join(ROLES)))
        return None
    try:
        raw = b64decode(entry["public_key"])
    except ValueError as exc:
        problems.append(_problem("entry-base64", where=where, reason=str(exc)))
        return None
    expected = ALGORITHMS[algorithm].key_id(raw)
    if entry["keyid"] != expected:
        problems.append(_problem("entry-keyid", where=where, keyid=entry["keyid"],
                                 expected=expected))
        return None
    bad_key = ALGORITHMS[algorithm].public_key_problem(raw)
    if bad_key:
        problems.append(_problem("entry-key", where=where, reason=bad_key))
        return None
    times = {}
    for name in ("not_before", "not_after"):
        value = entry.get(name)
        if value in (None, ""):
            times[name] = None
            continue
        try:
            times[name] = parse_time(value, end_of_day=(name == "not_after"))
        except ValueError as exc:
            problems.append(_problem("entry-time", where=where, field=name, reason=exc))
            return None
    return TrustedKey(keyid=entry["keyid"], algorithm=algorithm, public_key=raw,
                      institution=institution, role=entry["role"],
                      name=str(entry.get("name") or ""), **times)


def trust_from_dict(data: Any, source: str = "trust store") -> TrustStore:
    """Build a :class:`TrustStore` from parsed YAML; raises :class:`TrustStoreError`."""
    problems: list[CodedError] = []
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise TrustStoreError(source, [_problem("not-mapping")])
    if data.get("type") == PUB_TYPE or {"keyid", "public_key"} <= set(data):
        raise TrustStoreError(source, [_problem("is-public-key")])
    unknown = set(data) - {"version", "required_roles", "require", "institutions", "revoked"}
    if unknown:
        problems.append(_problem("unknown-fields", fields=", ".join(sorted(map(str, unknown)))))
    if data.get("version", 1) != 1:
        problems.append(_problem("version", version=repr(data.get("version"))))
    roles = data.get("required_roles", list(DEFAULT_REQUIRED_ROLES))
    if not isinstance(roles, list) or not roles or any(r not in ROLES for r in roles):
        problems.append(_problem("required-roles", roles=", ".join(ROLES)))
        roles = list(DEFAULT_REQUIRED_ROLES)
    store = TrustStore(required_roles=list(roles))
    require = data.get("require") or {}
    if not isinstance(require, dict) or set(require) - {"reviewers"}:
        problems.append(_problem("require"))
    else:
        n = require.get("reviewers", 1)
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            problems.append(_problem("reviewers", value=repr(n)))
        else:
            store.reviewers = n
    institutions = data.get("institutions") or {}
    if not isinstance(institutions, dict):
        problems.append(_problem("institutions"))
        institutions = {}
    for inst, body in institutions.items():
        if not isinstance(body, dict) or not isinstance(body.get("keys", []), list):
            problems.append(_problem("institution-body", institution=str(inst)))
            continue
        for i, entry in enumerate(body.get("keys") or []):
            key = _key_from(entry, str(inst), f"institutions.{inst}.keys[{i}]", problems)
            if key is None:
                continue
            if key.keyid in store.keys:
                problems.append(_problem("key-twice", where=f"institutions.{inst}.keys[{i}]",
                                         keyid=key.keyid))
                continue
            store.keys[key.keyid] = key
    revoked = data.get("revoked") or []
    if not isinstance(revoked, list):
        problems.append(_problem("revoked-list"))
        revoked = []
    for i, entry in enumerate(revoked):
        if not isinstance(entry, dict) or not isinstance(entry.get("keyid"), str):
            problems.append(_problem("revoked-keyid", index=i))
            continue
        try:
            at = parse_time(entry.get("at"))
        except ValueError as exc:
            problems.append(_problem("revoked-at", index=i, reason=exc))
            continue
        store.revoked.append(Revocation(entry["keyid"], at, str(entry.get("reason") or "")))
    if problems:
        raise TrustStoreError(source, problems)
    return store


def load_trust(path: str | Path, *, missing_ok: bool = False) -> TrustStore:
    """Read a trust store file (``missing_ok``: a missing file is an empty store)."""
    path = Path(path)
    if missing_ok and not path.exists():
        return TrustStore()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TrustStoreError(str(path), [_problem("unreadable", reason=exc)]) from exc
    try:
        data = yaml.safe_load(text)
    except (yaml.YAMLError, RecursionError) as exc:
        raise TrustStoreError(str(path), [_problem("not-yaml", reason=exc)]) from exc
    return trust_from_dict(data, str(path))
