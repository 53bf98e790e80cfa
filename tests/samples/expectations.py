"""Reading the sample courses' seeded-problem expectations (room: tests).

``sample_courses/expected/<pkg>.yaml`` lists the problems the checks must find
(``findings``) and innocent text they must not flag (``decoys``, each naming the
checks that must leave it alone and optionally ``tolerate_severity``: severities
that don't count, e.g. an ``info`` note where context lowered a term).  This module
validates that file's shape and says whether a reported finding satisfies an
expectation, so the end-to-end test over the scan service can reuse it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

CHECKS = ("ingest", "lexicon", "pii", "outdated", "coverage", "completeness")
LOCATION_KINDS = ("page", "slide", "cue", "paragraph", "line")
SEVERITIES = ("error", "warning", "info")
#: Where text in a picture came from (``location.source``): OCR or a QR code.
SOURCES = ("ocr", "qr")


class ExpectationError(ValueError):
    """The expectations file is malformed; the message names the entry."""


def validate(doc: Any, source: str = "expectations") -> list[str]:
    """Every problem with an expectations document, as one-line messages (empty: valid)."""
    errors: list[str] = []
    if not isinstance(doc, dict):
        return [f"{source}: top level must be a mapping"]
    if not isinstance(doc.get("package"), str) or not doc["package"]:
        errors.append(f"{source}: 'package' must be a non-empty string")
    for section, text_key in (("findings", "match"), ("decoys", "text")):
        entries = doc.get(section)
        if not isinstance(entries, list):
            errors.append(f"{source}: '{section}' must be a list")
            continue
        for i, entry in enumerate(entries):
            where = f"{source}: {section}[{i}]"
            if not isinstance(entry, dict):
                errors.append(f"{where}: must be a mapping")
                continue
            if not isinstance(entry.get("file"), str) or not entry["file"]:
                errors.append(f"{where}: 'file' must be a non-empty string")
            if not isinstance(entry.get(text_key), str) or not entry[text_key]:
                errors.append(f"{where}: '{text_key}' must be a non-empty string")
            if section == "findings" and entry.get("check") not in CHECKS:
                errors.append(f"{where}: 'check' must be one of {', '.join(CHECKS)}")
            if section == "decoys":
                checks = entry.get("checks")
                if not isinstance(checks, list) or not checks or any(c not in CHECKS for c in checks):
                    errors.append(f"{where}: 'checks' must be a non-empty list of check names")
            tolerate = entry.get("tolerate_severity", [])
            if not isinstance(tolerate, list) or any(t not in SEVERITIES for t in tolerate):
                errors.append(f"{where}: 'tolerate_severity' must be a list of {', '.join(SEVERITIES)}")
            loc = entry.get("location")
            if section == "decoys" and loc is None:
                errors.append(f"{where}: a decoy needs a 'location'")
            if loc is not None:
                errors.extend(f"{where}: {e}" for e in _location_errors(loc))
    return errors


def _location_errors(loc: Any) -> list[str]:
    if not isinstance(loc, dict) or not loc:
        return ["'location' must be a non-empty mapping"]
    source = loc.get("source")
    if source is not None and source not in SOURCES:
        return [f"'location.source' must be one of {', '.join(SOURCES)}"]
    kinds = [k for k in LOCATION_KINDS if k in loc]
    if source is not None and "line" in kinds and len(kinds) == 2:
        kinds.remove("line")  # text in a picture: its line there, inside the page or slide
    if len(kinds) != 1:
        return [f"'location' needs exactly one of {', '.join(LOCATION_KINDS)}"]
    for key in {kinds[0], "line"} & set(loc):
        value = loc[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            return [f"'location.{key}' must be a positive integer"]
    extra = set(loc) - {kinds[0], "notes", "line", "source"}
    if extra:
        return [f"unknown location keys: {', '.join(sorted(extra))}"]
    return []


def load(path: Path) -> dict[str, Any]:
    """Read and validate one expectations file; raises :class:`ExpectationError`."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ExpectationError(f"{path.name}: not valid YAML: {exc}") from exc
    errors = validate(doc, path.name)
    if errors:
        raise ExpectationError("; ".join(errors))
    return doc


def _location_matches(expected: dict[str, Any] | None, actual: dict[str, Any]) -> bool:
    if not expected:
        return True
    return all(actual.get(k) == v for k, v in expected.items())


def satisfies(finding: dict[str, Any], expected: dict[str, Any]) -> bool:
    """Whether a finding (in the JSON report's form) is the seeded problem ``expected``."""
    if finding.get("check") != expected["check"] or finding.get("file") != expected["file"]:
        return False
    if expected.get("category") and finding.get("category") != expected["category"]:
        return False
    if expected.get("rule") and finding.get("rule") != expected["rule"]:
        return False
    if not _location_matches(expected.get("location"), finding.get("location") or {}):
        return False
    needle = expected["match"]
    if needle in (finding.get("match") or ""):
        return True
    if expected.get("location") is None:  # whole-file problems: the match may be in the message
        message = finding.get("message")
        texts = list(message.values()) if isinstance(message, dict) else [str(message or "")]
        return any(needle in t for t in texts)
    return False


def flags_decoy(finding: dict[str, Any], decoy: dict[str, Any]) -> bool:
    """Whether a finding covers a decoy's text that no listed check may flag.

    Findings whose severity the decoy lists under ``tolerate_severity`` (e.g. an
    ``info`` note where context lowered the severity) don't count.
    """
    if finding.get("check") not in decoy["checks"] or finding.get("file") != decoy["file"]:
        return False
    if finding.get("severity") in decoy.get("tolerate_severity", []):
        return False
    if not _location_matches(decoy["location"], finding.get("location") or {}):
        return False
    match = finding.get("match") or ""
    return bool(match) and (match in decoy["text"] or decoy["text"] in match)


def evaluate(findings: list[dict[str, Any]], doc: dict[str, Any]
             ) -> tuple[list[dict[str, Any]], list[tuple[dict[str, Any], list[dict[str, Any]]]]]:
    """``(seeded problems no finding satisfies, [(decoy, findings flagging it)])`` for one package.

    ``findings`` are in the JSON report's form (``reviewer scan --format json``).
    """
    missed = [e for e in doc["findings"] if not any(satisfies(f, e) for f in findings)]
    flagged = []
    for decoy in doc["decoys"]:
        hits = [f for f in findings if flags_decoy(f, decoy)]
        if hits:
            flagged.append((decoy, hits))
    return missed, flagged
