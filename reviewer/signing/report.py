"""The printable recommendation report, HTML or Markdown (signing room).

Self-contained: inline CSS with print rules, no scripts, fonts, images or
links to anything outside the file (and a Content-Security-Policy that forbids
fetching any).  Labels come from ``templates/strings.yaml`` (Simplified
Chinese and English) and check names from the message catalogs
(``reviewer/i18n``); the layout from ``templates/report.html.j2`` and
``report.md.j2``.  A report reads the recommendation's content for display;
unless a verification result is passed in, it says plainly that the content
is unverified.

What the committee reads and signs off:

* people are named from their **keys**: a signer by the trust store's entry
  for the key that verified (or, without a trust store, the reviewer by the
  identity the file carries — said to be unverified); the decision by the
  signing reviewer, not by the operating-system account the review recorded;
* every finding with its matched text, context, disposition and reason,
  personal data masked (:mod:`reviewer.signing.mask`); info findings in their
  own section;
* times in Beijing time (UTC+8) by default, or UTC;
* printed at A4 with page numbers and a running header and footer naming the
  recommendation id and the digest of the signed statement.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup

from reviewer import __version__
from reviewer.i18n import CodedError, in_lang, t
from reviewer.signing.dsse import Envelope
from reviewer.signing.mask import Masker, pii_secrets
from reviewer.signing.sign import SigningError, self_check
from reviewer.signing.statement import is_send_back
from reviewer.signing.verify import Verification, parse_payload, schema_problems

TEMPLATES = Path(__file__).resolve().parent / "templates"
FORMATS = ("html", "md")
#: Time zones a report can show times in: Beijing time (the default) or UTC.
TIME_ZONES = {"beijing": timezone(timedelta(hours=8)), "utc": timezone.utc}
DEFAULT_TIME_ZONE = "beijing"
DISPOSITIONS = ("false-alarm", "accepted", "confirmed", None)


@lru_cache(maxsize=None)
def labels(lang: str) -> dict[str, str]:
    data = yaml.safe_load((TEMPLATES / "strings.yaml").read_text(encoding="utf-8"))
    return {k: (v[lang] if v.get(lang) is not None else (v.get("zh") or k)) for k, v in data.items()}


@lru_cache(maxsize=2)
def _env(fmt: str):
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=(fmt == "html"), undefined=jinja2.ChainableUndefined,
        trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=True)


# ---------------------------------------------------------------- small formatters

def format_time(value: Any, lang: str = "zh", tz: str = DEFAULT_TIME_ZONE) -> str:
    """An ISO time of the recommendation as people read it: ``2026-12-07 17:30 (北京时间)``
    / ``2026-12-07 17:30 (Beijing time)`` by default, ``2026-12-07 09:30 UTC`` with
    ``tz="utc"``.  Text that is not a time is returned as it is; ``None`` as ``""``."""
    from reviewer.signing.trust import parse_time

    if value is None or value == "":
        return ""
    if tz not in TIME_ZONES:
        raise ValueError(f"time zone must be one of {', '.join(TIME_ZONES)}")
    try:
        dt = parse_time(value)
    except (ValueError, TypeError):
        return str(value)
    local = dt.astimezone(TIME_ZONES[tz]).strftime("%Y-%m-%d %H:%M")
    if tz == "utc":
        return f"{local} UTC"
    return f"{local} ({labels(lang)['tz_beijing']})"


def check_label(name: Any, lang: str = "zh") -> str:
    """A check's display name from the message catalogs (``pii`` → 个人信息); an unknown
    check keeps its own name."""
    text = t(f"check.{name}", lang)
    return str(name) if text == f"check.{name}" else text


def _location(loc: dict[str, Any] | None, lang: str) -> str:
    if not loc:
        return ""
    from reviewer.ingest.model import Locator

    try:
        return Locator.from_dict(loc).label(lang)
    except (TypeError, ValueError, KeyError):
        return ", ".join(f"{k}={v}" for k, v in loc.items())


def _md_escape(text: Any) -> str:
    s = "" if text is None else str(text)
    for ch in "\\`*_[]<>#|":
        s = s.replace(ch, "\\" + ch)
    return s


def _cell(text: Any) -> str:
    return _md_escape(text).replace("\r", " ").replace("\n", " ")


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal, safe inside ``<style>`` (no quote, backslash,
    line break or ``<`` survives unescaped)."""
    out = []
    for ch in text:
        if ch in '"\\<>&' or ord(ch) < 0x20 or ord(ch) == 0x7f:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


# ---------------------------------------------------------------- people

def _signature_rows(env: Envelope, predicate: dict[str, Any], verification: Verification | None,
                    self_ok: bool, lang: str, L: dict[str, str]) -> list[dict[str, Any]]:
    """One row per signature: role, the holder's name and institution from the key,
    where that identity comes from, and the signature's state."""
    reviewer = predicate.get("reviewer") or {}
    checks = {c.index: c for c in verification.signatures} if verification else {}
    rows = []
    for i, sig in enumerate(env.signatures, start=1):
        check = checks.get(i)
        if check is not None and check.role:
            role = check.role
        elif check is not None and check.key is not None and check.key.role in ("reviewer", "committee"):
            role = check.key.role
        else:
            role = "reviewer" if sig.keyid == reviewer.get("keyid") else "committee"
        name = institution = ""
        if check is not None and check.key is not None:
            name, institution = check.key.name, check.key.institution
            source = "trust"
            status = t(f"verify.signature.{check.state}", lang)
        elif role == "reviewer" and sig.keyid == reviewer.get("keyid"):
            name, institution = str(reviewer.get("name") or ""), str(reviewer.get("institution") or "")
            source = "file"
            if verification is not None:
                status = t(f"verify.signature.{check.state if check else 'untrusted'}", lang)
            else:
                status = L["status_self_ok"] if self_ok else L["invalid_sig"]
        else:
            source = None
            status = (t(f"verify.signature.{check.state if check else 'untrusted'}", lang)
                      if verification is not None else L["status_no_trust"])
        rows.append({"index": i, "keyid": sig.keyid, "role_key": role,
                     "role": L.get(f"role_{role}", role), "name": name or L["signer_unknown"],
                     "known": bool(name), "institution": institution, "source": source,
                     "source_label": L.get(f"source_{source}", "") if source else "",
                     "ok": bool(check.usable) if check is not None else (source == "file" and self_ok),
                     "status": status})
    return rows


def _decider(rows: list[dict[str, Any]], predicate: dict[str, Any], L: dict[str, str]) -> dict[str, Any]:
    """Who decided: the signing reviewer as its key names them.  ``account`` is the
    name the review recorded with the decision (``$REVIEWER_NAME`` or the OS account)
    when it says something else."""
    reviewer = predicate.get("reviewer") or {}
    row = next((r for r in rows if r["keyid"] == reviewer.get("keyid") and r["known"]), None)
    if row is not None:
        name, institution, source = row["name"], row["institution"], row["source"]
    else:
        name = str(reviewer.get("name") or "")
        institution, source = str(reviewer.get("institution") or ""), "file"
    recorded = str((predicate.get("decision") or {}).get("decided_by") or "").strip()
    return {"name": name, "institution": institution, "source": source,
            "source_label": L.get(f"source_{source}", ""),
            "account": recorded if recorded and recorded != name else ""}


def _team(predicate: dict[str, Any], signatures: list[dict[str, Any]],
          L: dict[str, str]) -> dict[str, Any] | None:
    """The review team (None for one reviewer): each member with role, institution and
    whether their signature is on the recommendation, and each item the members answered
    differently with every member's answer and comment beside the consolidated one."""
    team = [m for m in predicate.get("team") or [] if isinstance(m, dict)]
    if not team:
        return None
    signed_ids = {r["keyid"]: r for r in signatures if r["role_key"] == "reviewer"}
    signed_names = {r["name"]: r for r in signatures if r["role_key"] == "reviewer" and r["known"]}
    members = []
    for m in team:
        name = str(m.get("name") or "")
        row = signed_ids.get(m.get("keyid")) or signed_names.get(name)
        members.append({"name": name, "role": L.get(f"team_role_{m.get('role')}", str(m.get("role") or "")),
                        "institution": str(m.get("institution") or (row or {}).get("institution") or ""),
                        "keyid": (row or {}).get("keyid") or str(m.get("keyid") or ""),
                        "signed": L["team_signed"] if row else L["team_not_signed"],
                        "ok": bool(row and row["ok"])})
    final = {a.get("item"): a for a in (predicate.get("checklist") or {}).get("answers") or []
             if isinstance(a, dict)}
    items = list(dict.fromkeys(i for m in team for i in (m.get("answers") or {})))
    order = {item: n for n, item in enumerate(final)}
    disputes = []
    for item in sorted(items, key=lambda i: order.get(i, len(order))):
        given = [((m.get("answers") or {}).get(item) or {}) for m in team]
        if len({g.get("answer") for g in given}) < 2:
            continue
        done = final.get(item) or {}
        disputes.append({
            "item": item, "title": done.get("title"),
            "members": [{"name": str(m.get("name") or ""), "answer": g.get("answer"),
                         "comment": g.get("comment") or ""} for m, g in zip(team, given)],
            "answer": done.get("answer"), "comment": done.get("comment") or "",
            "by": done.get("answered_by") or ""})
    return {"members": members, "disputes": disputes}


# ---------------------------------------------------------------- findings

def _finding_rows(items: list[Any], masker: Masker, lang: str, L: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for f in items:
        if not isinstance(f, dict):
            continue
        check = str(f.get("check") or "")
        match = masker.match(f.get("match") or "", check)
        context = masker.text(f.get("context") or "")
        before, hit, after = context, "", ""
        if match and context:
            at = context.find(match)
            if at >= 0:
                before, hit, after = context[:at], match, context[at + len(match):]
        message = f.get("message")
        rows.append({
            "id": f.get("id", ""), "severity": f.get("severity", ""),
            "severity_label": L.get(f"sev_{f.get('severity')}", str(f.get("severity"))),
            "check": check, "check_label": check_label(check, lang), "rule": f.get("rule", ""),
            "file": f.get("file") or L["whole_package"], "location": _location(f.get("location"), lang),
            "match": match, "context": context, "before": before, "hit": hit, "after": after,
            "message": masker.text(in_lang(message, lang)) if message else "",
            "has_detail": "match" in f or "context" in f or "message" in f,
            "disposition": f.get("disposition"),
            "disposition_label": L.get(f"disp_{f.get('disposition') or 'none'}", str(f.get("disposition"))),
            "reason": masker.text(f.get("reason") or ""),
        })
    return rows


def _tally(rows: list[dict[str, Any]], L: dict[str, str]) -> list[dict[str, Any]]:
    counts: dict[Any, int] = {}
    for r in rows:
        counts[r["disposition"]] = counts.get(r["disposition"], 0) + 1
    order = list(DISPOSITIONS) + [d for d in counts if d not in DISPOSITIONS]
    return [{"label": L.get(f"disp_{d or 'none'}", str(d)), "count": counts[d]}
            for d in order if counts.get(d)]


# ---------------------------------------------------------------- the report

class ReportError(CodedError, ValueError):
    """The payload is not a recommendation that can be reported (``errors.report.*``)."""


def render_report(env: Envelope, fmt: str = "html", lang: str = "zh", *,
                  verification: Verification | None = None, rec_name: str = "REC.json",
                  now: datetime | None = None, tz: str = DEFAULT_TIME_ZONE) -> str:
    """The report text.  Raises ``ValueError`` when the payload is not a recommendation
    (or ``fmt`` / ``tz`` is unknown)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    if tz not in TIME_ZONES:
        raise ValueError(f"time zone must be one of {', '.join(TIME_ZONES)}")
    try:
        self_check(env)
        problem = None
    except SigningError as exc:
        problem = "; ".join(r.get(lang) or r["en"] for r in exc.reasons)
    statement = parse_payload(env.payload)
    if not isinstance(statement, dict) or not isinstance(statement.get("predicate"), dict):
        raise ReportError(None, "report.not-statement")
    problems = schema_problems(statement)
    if problems:
        raise ReportError(None, "report.invalid", problems="; ".join(problems[:5]))
    p = statement["predicate"]
    L = labels(lang)
    course = dict(p.get("course") or {})
    decision = (p.get("decision") or {}).get("value", "")
    send_back = is_send_back(decision)
    if verification is None:
        verdict = None
    elif verification.ok:
        verdict = ("ok", L["verified_ok"])
    elif send_back and verification.codes == ["decision.not_recommend"]:
        verdict = ("send-back", L["verified_send_back"])
    else:
        verdict = ("bad", L["verified_bad"])
    report_title = L["title_send_back"] if send_back else L["title"]
    findings = p.get("findings") or {}
    items = findings.get("items") or []
    info_listed = "info_items" in findings
    info_items = findings.get("info_items") or []
    masker = Masker(pii_secrets([f for f in (*items, *info_items) if isinstance(f, dict)]))
    rows = _finding_rows(items, masker, lang, L)
    info_rows = _finding_rows(info_items, masker, lang, L)
    signatures = _signature_rows(env, p, verification, problem is None, lang, L)
    payload_sha256 = hashlib.sha256(env.payload).hexdigest()
    title = in_lang(course.get("title"), lang)
    when = lambda v: format_time(v, lang, tz)  # noqa: E731
    page_css = {key: Markup(_css_string(text)) for key, text in {
        "top_left": f"{report_title} · {title}",
        "top_right": f"{L['rec_id']} {p.get('id', '')}",
        "bottom_left": f"sha256(payload) {payload_sha256}",
        "page_before": L["page_before"], "page_middle": L["page_middle"], "page_after": L["page_after"],
    }.items()}
    ctx = {
        "lang": lang, "L": L, "p": p, "course": course,
        "send_back": send_back, "verdict": verdict, "title": report_title,
        "record_heading": L["send_back_record"] if send_back else L["recommendation"],
        "blocker_groups": (p.get("blockers") or []) if send_back else [],
        "group_label": lambda key, n: t(f"review.blocker_group.{key}", lang, n=n),
        "course_title": title,
        "decision_label": L.get(f"decision_{decision}", decision),
        "subjects": statement.get("subject") or [],
        "signatures": signatures, "decider": _decider(signatures, p, L),
        "team": _team(p, signatures, L),
        "verification": verification, "self_check": problem,
        "verified_at": when(verification.at) if verification is not None and verification.at else "",
        "rec_name": rec_name, "tool_version": __version__,
        "generated": when(now or datetime.now(timezone.utc)),
        "payload_sha256": payload_sha256,
        "by_check": [{"name": name, "label": check_label(name, lang), **c}
                     for name, c in (findings.get("by_check") or {}).items()],
        "rows": rows, "info_rows": info_rows, "info_listed": info_listed,
        "info_total": (findings.get("total") or {}).get("info", 0),
        "info_not_listed": L["info_not_listed"].format(n=(findings.get("total") or {}).get("info", 0)),
        "details_recorded": any(r["has_detail"] for r in rows + info_rows),
        "tally": _tally(rows + info_rows, L),
        "masked": bool(masker.secrets),
        "page_css": page_css,
        "msg": lambda v: in_lang(v, lang), "when": when,
        "masked_text": lambda v: masker.text(v or ""),
        "answer_label": lambda a: L.get(f"answer_{a or 'none'}", str(a)),
        "md": _md_escape, "cell": _cell,
    }
    template = _env(fmt).get_template(f"report.{fmt}.j2")
    return template.render(**ctx)
