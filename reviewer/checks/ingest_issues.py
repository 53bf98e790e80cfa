"""Check ``ingest``: problems met while reading the package, as findings."""

from __future__ import annotations

from reviewer.checks.model import CheckContext, CheckResult, file_finding
from reviewer.checks.registry import register


@register("ingest")
def check_ingest(ctx: CheckContext) -> CheckResult:
    issues = list(ctx.package.issues)
    for record in ctx.package.files:
        issues.extend(record.issues)
    findings = [
        file_finding(
            issue.file, check="ingest", rule=issue.rule, category="ingest",
            severity=issue.severity, message=issue.message, locator=issue.locator,
        )
        for issue in issues
    ]
    return CheckResult(findings=findings)
