"""Helpers for the review tests: a store with hand-built package versions.

``course`` builds package versions in a fresh database without ingesting
anything: files (path → role, content), a manifest and findings, recorded
with the store's own ``save_package`` / ``start_scan`` / ``finish_scan`` —
the same calls the scan service makes.  Finding ids are the real stable ids
(``file_finding``), so a finding that stays put keeps its id across versions.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from reviewer.checks.model import CoverageReport, Finding, TopicCoverage, file_finding
from reviewer.ingest.model import FileRecord, Locator, Package
from reviewer.store.packages import finish_scan, save_package, start_scan

MANIFEST: dict[str, Any] = {
    "id": "t-101", "title": {"zh": "测试课程", "en": "Test course"}, "institution": "测试大学",
    "lecturers": ["张三"], "responsible_teacher": "李四", "platform": "测试平台",
    "term": "2025秋", "date": "2025-09-01", "credit_hours": 2, "hours": 32, "language": "zh",
    "exam": {"supervision": ["face-recognition"], "by_university": True},
    "integrity_pledge": "pledge.md", "platform_security_level": 3,
}

FILES: dict[str, tuple[str, str]] = {
    "syllabus.md": ("syllabus", "第一章 绪论\n第二章 线性表\n"),
    "t1.srt": ("transcript", "1\n00:00:01,000 --> 00:00:02,000\n大家好\n"),
    "slides.pdf": ("slides", "slides v1"),
    "pledge.md": ("other", "诚信承诺"),
}


def finding(check: str, category: str, severity: str = "error", *, file: str = "t1.srt",
            line: int = 1, match: str = "代刷网课", rule: str | None = None) -> Finding:
    return file_finding(file, check=check, rule=rule or f"{check}-rule", category=category,
                        severity=severity, message={"zh": f"{category} 问题", "en": f"{category} problem"},
                        match=match, locator=Locator(line=line))


def coverage(covered: dict[str, bool]) -> CoverageReport:
    return CoverageReport([TopicCoverage(t, c, 1.0 if c else 0.1) for t, c in covered.items()])


class Course:
    """One package location in one database; :meth:`version` records a scan of a version."""

    def __init__(self, db, path: Path):
        self.db = db
        self.path = str(path)
        self.key = str(Path(path).resolve())

    def version(self, files: dict[str, tuple[str, str]] | None = None,
                findings: list[Finding] | None = None, manifest: dict | None = None,
                cov: CoverageReport | None = None) -> int:
        files = FILES if files is None else files
        records = [FileRecord(path=p, size=len(c.encode()), sha256=hashlib.sha256(c.encode()).hexdigest(),
                              role=role, format="txt") for p, (role, c) in sorted(files.items())]
        digest = "sha256:" + hashlib.sha256("".join(
            f"{r.sha256}  {r.path}\n" for r in records).encode()).hexdigest()
        package = Package(source=self.path, kind="dir", files=records, digest=digest,
                          manifest=dict(MANIFEST if manifest is None else manifest))
        package_id = save_package(self.db, self.key, package, {})
        scan_id = start_scan(self.db, package_id, digest, "test", {}, "sha256:rules")
        finish_scan(self.db, scan_id, list(findings or []), cov, 0, len(records))
        return scan_id


