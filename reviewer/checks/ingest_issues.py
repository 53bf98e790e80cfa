"""Check ``ingest``: problems met while reading the package, as findings."""

from __future__ import annotations

from collections import Counter

from reviewer.checks.model import CheckContext, CheckResult, file_finding
from reviewer.checks.registry import register


@register("ingest")
def check_ingest(ctx: CheckContext) -> CheckResult:
    issues = list(ctx.package.issues)
    for record in ctx.package.files:
        issues.extend(record.issues)
    # Several issues of one rule at one place (two required manifest fields
    # missing, both at line 1) must not share a finding id: number them.
    seen: Counter[tuple] = Counter()
    findings = []
    for issue in issues:
        place = (issue.rule, issue.file, issue.locator.key() if issue.locator else None)
        findings.append(file_finding(
            issue.file, check="ingest", rule=issue.rule, category="ingest",
            severity=issue.severity, message=issue.message, locator=issue.locator,
            occurrence=seen[place],
        ))
        seen[place] += 1
    return CheckResult(findings=findings)
