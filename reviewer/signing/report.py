"""The printable recommendation report, HTML or Markdown (signing room).

Self-contained: inline CSS with print rules, no scripts, fonts, images or
links to anything outside the file.  Labels come from
``templates/strings.yaml`` (Simplified Chinese and English); the layout from
``templates/report.html.j2`` and ``report.md.j2``.  A report reads the
recommendation's content for display; unless a verification result is passed
in, it says plainly that the content is unverified.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from reviewer import __version__
from reviewer.i18n import in_lang, t
from reviewer.signing.dsse import Envelope
from reviewer.signing.sign import SigningError, self_check
from reviewer.signing.statement import is_send_back
from reviewer.signing.verify import Verification, parse_payload, schema_problems

TEMPLATES = Path(__file__).resolve().parent / "templates"
FORMATS = ("html", "md")


@lru_cache(maxsize=None)
def labels(lang: str) -> dict[str, str]:
    data = yaml.safe_load((TEMPLATES / "strings.yaml").read_text(encoding="utf-8"))
    return {k: (v.get(lang) or v.get("zh") or k) for k, v in data.items()}


@lru_cache(maxsize=2)
def _env(fmt: str):
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=(fmt == "html"), undefined=jinja2.ChainableUndefined,
        trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=True)


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


def _signature_rows(env: Envelope, predicate: dict[str, Any], verification: Verification | None,
                    self_ok: bool, L: dict[str, str]) -> list[dict[str, Any]]:
    reviewer = predicate.get("reviewer") or {}
    checks = {c.index: c for c in verification.signatures} if verification else {}
    rows = []
    for i, sig in enumerate(env.signatures, start=1):
        role = "reviewer" if sig.keyid == reviewer.get("keyid") else "committee"
        check = checks.get(i)
        if check is not None and check.key is not None:
            signer = f"{check.key.name} · {check.key.institution}"
            status = L["valid_sig"] if check.usable else L["invalid_sig"]
        else:
            signer = (f"{reviewer.get('name', '')} · {reviewer.get('institution', '')}"
                      if role == "reviewer" else "—")
            status = (L["invalid_sig"] if verification is not None
                      else (L["valid_sig"] if role == "reviewer" and self_ok else L["unknown_sig"]))
        rows.append({"index": i, "keyid": sig.keyid, "role": L.get(f"role_{role}", role),
                     "signer": signer, "status": status})
    return rows


def render_report(env: Envelope, fmt: str = "html", lang: str = "zh", *,
                  verification: Verification | None = None, rec_name: str = "REC.json",
                  now: datetime | None = None) -> str:
    """The report text.  Raises ``ValueError`` when the payload is not a recommendation."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    try:
        self_check(env)
        problem = None
    except SigningError as exc:
        problem = "; ".join(r.get(lang) or r["en"] for r in exc.reasons)
    statement = parse_payload(env.payload)
    if not isinstance(statement, dict) or not isinstance(statement.get("predicate"), dict):
        raise ValueError("the payload is not a recommendation statement")
    problems = schema_problems(statement)
    if problems:
        raise ValueError("not a valid recommendation: " + "; ".join(problems[:5]))
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
    ctx = {
        "lang": lang, "L": L, "p": p, "course": course,
        "send_back": send_back, "verdict": verdict,
        "title": L["title_send_back"] if send_back else L["title"],
        "record_heading": L["send_back_record"] if send_back else L["recommendation"],
        "blocker_groups": (p.get("blockers") or []) if send_back else [],
        "group_label": lambda key, n: t(f"review.blocker_group.{key}", lang, n=n),
        "course_title": in_lang(course.get("title"), lang),
        "decision_label": L.get(f"decision_{decision}", decision),
        "subjects": statement.get("subject") or [],
        "signatures": _signature_rows(env, p, verification, problem is None, L),
        "verification": verification, "self_check": problem,
        "rec_name": rec_name, "tool_version": __version__,
        "generated": (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
        .strftime("%Y-%m-%d %H:%M UTC"),
        "payload_sha256": hashlib.sha256(env.payload).hexdigest(),
        "msg": lambda v: in_lang(v, lang),
        "location": lambda loc: _location(loc, lang),
        "answer_label": lambda a: L.get(f"answer_{a or 'none'}", str(a)),
        "disposition_label": lambda d: L.get(f"disp_{d or 'none'}", str(d)),
        "md": _md_escape, "cell": _cell,
    }
    template = _env(fmt).get_template(f"report.{fmt}.j2")
    return template.render(**ctx)
