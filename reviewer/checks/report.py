"""The scan report as data: the JSON contract and SARIF 2.1.0.

Pure functions from a :class:`~reviewer.ingest.model.Package`, its findings
and coverage to plain dicts; the CLI serialises them.  The JSON form is a
stable contract described by ``reviewer/schemas/report.schema.json``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from reviewer.checks.groups import group_id, group_sizes, severity_group_counts
from reviewer.checks.model import CoverageReport, Finding, severity_counts
from reviewer.ingest.model import Package

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def finding_dict(f: Finding, lang: str = "zh", group_size: int | None = None) -> dict[str, Any]:
    """One finding in the report contract (``group``: the id of its group, see
    :mod:`reviewer.checks.groups`; ``group_size``: how many findings the group has)."""
    out = {
        "id": f.id, "check": f.check, "rule": f.rule, "category": f.category,
        "severity": f.severity, "file": f.file, "location": f.location, "match": f.match,
        "message": f.msg(lang), "context": f.context, "group": group_id(f),
    }
    if group_size is not None:
        out["group_size"] = group_size
    if f.extra.get("continues"):  # a match cut over cues: where it goes on
        out["continues"] = [c["location"] for c in f.extra["continues"]]
    return out


def report_dict(package: Package, findings: Iterable[Finding],
                coverage: CoverageReport | None, *, version: str, lang: str = "zh"
                ) -> dict[str, Any]:
    """The ``reviewer scan --format json`` document.

    ``summary`` counts findings and groups (a group counted by its most severe member).
    """
    findings = list(findings)
    sizes = group_sizes(findings)
    return {
        "tool": {"name": "reviewer", "version": version},
        "package": {
            "id": package.id, "title": package.title, "digest": package.digest,
            "files": [
                {"path": r.path, "sha256": r.sha256, "role": r.role, "format": r.format,
                 "status": r.status, "error": r.error, "units": r.units}
                for r in package.files
            ],
        },
        "findings": [finding_dict(f, lang, sizes[group_id(f)]) for f in findings],
        "summary": {"findings": dict(severity_counts(findings), total=len(findings)),
                    "groups": dict(severity_group_counts(findings), total=len(sizes))},
        "coverage": coverage.to_dict() if coverage is not None else {"ratio": 0.0, "topics": []},
    }


def _region(f: Finding) -> dict[str, Any]:
    region: dict[str, Any] = {}
    loc = f.locator
    # A line of text read from a picture is not a line of the file: no startLine.
    lined = loc is not None and loc.line is not None and not loc.source
    if lined:
        region["startLine"] = loc.line
    start = f.extra.get("start")
    end = f.extra.get("end")
    if isinstance(start, int) and isinstance(end, int) and lined:
        region["startColumn"] = start + 1
        region["endColumn"] = end + 1
    if f.match:
        region["snippet"] = {"text": f.match}
    if f.location:
        region["properties"] = dict(f.location)
    return region


def sarif_dict(package: Package, findings: Iterable[Finding], *, version: str, lang: str = "zh",
               dispositions: Mapping[str, tuple[str, str]] | None = None) -> dict[str, Any]:
    """SARIF 2.1.0: one run, rules with metadata, page/slide/time in region properties.

    ``dispositions`` maps a finding id to ``(disposition, reason)``; findings
    dismissed as false alarms or accepted become ``suppressions``.  Each result
    keeps its own location; its group (findings of one rule and text, see
    :mod:`reviewer.checks.groups`) is ``partialFingerprints.reviewerGroupId``
    and ``properties.group``, with the group's size in ``properties.groupSize``.
    """
    findings = list(findings)
    dispositions = dispositions or {}
    sizes = group_sizes(findings)
    rules: dict[str, dict[str, Any]] = {}
    results = []
    for f in findings:
        gid = group_id(f)
        rule_id = f"{f.check}/{f.rule}"
        if rule_id not in rules:
            rules[rule_id] = {
                "id": rule_id,
                "name": f.rule,
                "shortDescription": {"text": f.msg(lang)},
                "defaultConfiguration": {"level": SARIF_LEVEL.get(f.severity, "warning")},
                "properties": {"check": f.check, "category": f.category},
            }
        location: dict[str, Any] = {}
        if f.file:
            physical: dict[str, Any] = {"artifactLocation": {"uri": f.file, "uriBaseId": "PACKAGE"}}
            region = _region(f)
            if region:
                physical["region"] = region
            location["physicalLocation"] = physical
            if f.locator is not None and f.locator.kind != "file":
                location["logicalLocations"] = [
                    {"fullyQualifiedName": f"{f.file}/{f.locator.key().replace('=', '[')}]"}
                ]
        result: dict[str, Any] = {
            "ruleId": rule_id,
            "level": SARIF_LEVEL.get(f.severity, "warning"),
            "message": {"text": f.msg(lang)},
            # the group: every occurrence of one problem (same rule and text) shares it
            "partialFingerprints": {"reviewerFindingId": f.id, "reviewerGroupId": gid},
            "properties": {"category": f.category, "context": f.context,
                           "group": gid, "groupSize": sizes[gid]},
        }
        if f.locator is not None and f.locator.source:  # read by OCR / from a QR code, not the text layer
            result["properties"]["source"] = f.locator.source
        if location:
            result["locations"] = [location]
            if f.extra.get("continues"):  # the cues a match cut over them goes on into
                result["relatedLocations"] = [
                    {"id": i, "physicalLocation": {
                        "artifactLocation": {"uri": f.file, "uriBaseId": "PACKAGE"},
                        "region": {"properties": dict(c["location"])}},
                     "message": {"text": "continues" if lang == "en" else "续"}}
                    for i, c in enumerate(f.extra["continues"], start=1)]
        disp = dispositions.get(f.id)
        if disp and disp[0] in ("false-alarm", "accepted"):
            result["suppressions"] = [{
                "kind": "external",
                "status": "accepted",
                "justification": f"{disp[0]}: {disp[1]}",
            }]
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "reviewer", "version": version,
                "rules": list(rules.values()),
            }},
            "originalUriBaseIds": {"PACKAGE": {"description": {"text": package.source}}},
            "columnKind": "unicodeCodePoints",
            "properties": {"packageDigest": package.digest, "packageId": package.id},
            "results": results,
        }],
    }
