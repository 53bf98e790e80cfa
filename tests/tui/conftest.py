"""Fixtures for the terminal UI tests: small packages and seeded databases.

``seeded`` builds a tiny course (Markdown notes, an SRT transcript, a manifest)
in ``tmp_path``, ingests it with the real ingest code and records a scan with
findings placed on real segments (``finding_at``), so the UI shows real text
and locators without depending on which lexicons are installed.  ``big``
records 10,000 findings the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from reviewer.checks.model import CoverageReport, Finding, TopicCoverage, finding_at

NOTES = """# 第一章 绪论

数据结构研究数据的组织方式。
本课程讲授线性表、栈和队列。
代刷网课请加微信 abc123，包过。
毒品的危害是医学课程的常见话题。

## 1.2 算法分析

时间复杂度用大 O 表示。
"""

SRT = """1
00:00:01,000 --> 00:00:04,000
同学们好，今天讲栈和队列。

2
00:00:04,500 --> 00:00:08,000
栈是后进先出的线性表。

3
00:01:02,500 --> 00:01:05,000
考试答案可以在群里找到。
"""

MANIFEST = """id: test-course-001
title:
  zh: 测试课程
  en: Test course
institution: 测试大学
lecturers: [王老师]
responsible_teacher: 王老师
date: '2025-09-01'
language: zh
"""

#: (word, check, rule, category, severity) placed where the word occurs.
PLANTED = [
    ("代刷网课", "lexicon", "cheating-ads-1", "cheating-ads", "error"),
    ("毒品", "lexicon", "drugs-1", "gambling-drugs", "warning"),
    ("微信 abc123", "pii", "wechat", "contact", "warning"),
    ("考试答案", "lexicon", "exam-leak-1", "cheating-ads", "error"),
    ("时间复杂度", "outdated", "old-term", "outdated", "info"),
]


def make_package(root: Path, name: str = "course") -> Path:
    """Write the small course into ``root/name`` and return its path."""
    pkg = root / name
    (pkg / "notes").mkdir(parents=True, exist_ok=True)
    (pkg / "transcripts").mkdir(exist_ok=True)
    (pkg / "course.yaml").write_text(MANIFEST, encoding="utf-8")
    (pkg / "notes" / "讲义.md").write_text(NOTES, encoding="utf-8")
    (pkg / "transcripts" / "第01讲.srt").write_text(SRT, encoding="utf-8")
    return pkg


def planted_findings(package) -> list[Finding]:
    out = []
    for seg in package.segments():
        for word, check, rule, category, severity in PLANTED:
            start = seg.text.find(word)
            if start >= 0:
                out.append(finding_at(seg, start, start + len(word), check=check, rule=rule,
                                      category=category, severity=severity,
                                      message={"zh": f"发现“{word}”", "en": f"found '{word}'"}))
    return out


def many_findings(package, n: int) -> list[Finding]:
    """``n`` findings spread over the package's segments (distinct ids, each its own
    group: a rule apiece, so the table has ``n`` rows)."""
    segs = [s for s in package.segments() if len(s.text) >= 4]
    severities = ("error", "warning", "info")
    checks = ("lexicon", "pii", "outdated")
    out = []
    for i in range(n):
        seg = segs[i % len(segs)]
        out.append(finding_at(seg, 0, 2, check=checks[i % 3], rule=f"rule-{i}",
                              category=f"cat-{i % 5}", severity=severities[(i // 3) % 3],
                              message={"zh": f"第 {i} 条", "en": f"number {i}"}, occurrence=i))
    return out


def coverage_for(package) -> CoverageReport:
    notes = next(s for s in package.segments() if "线性表" in s.text)
    return CoverageReport(topics=[
        TopicCoverage("线性表", True, 0.91, [{"file": notes.file, "location": notes.locator.to_dict(),
                                              "text": notes.text}]),
        TopicCoverage("图的遍历", False, 0.12, []),
    ])


def record_scan(db_path: Path, pkg: Path, findings_fn=planted_findings) -> int:
    """Ingest ``pkg`` and store a finished scan with ``findings_fn(package)``."""
    from reviewer.ingest.package import EXTRACTOR_VERSIONS, load_package
    from reviewer.service.scan import package_key
    from reviewer.store import open_db
    from reviewer.store import packages as store

    package = load_package(pkg)
    db = open_db(db_path)
    try:
        package_id = store.save_package(db, package_key(pkg), package, EXTRACTOR_VERSIONS)
        scan_id = store.start_scan(db, package_id, package.digest, "test", {}, "")
        store.finish_scan(db, scan_id, findings_fn(package), coverage_for(package), 0,
                          len(package.files))
    finally:
        db.conn.close()
    return scan_id


@dataclass
class Seeded:
    db: Path
    pkg: Path


@pytest.fixture
def seeded(tmp_path, monkeypatch) -> Seeded:
    """A scanned small course; HOME is ``tmp_path`` so paths show as ``~/course``."""
    monkeypatch.setenv("HOME", str(tmp_path))
    pkg = make_package(tmp_path)
    db = tmp_path / "state.db"
    record_scan(db, pkg)
    return Seeded(db, pkg)


@pytest.fixture
def big(tmp_path, monkeypatch) -> Seeded:
    monkeypatch.setenv("HOME", str(tmp_path))
    pkg = make_package(tmp_path)
    db = tmp_path / "state.db"
    record_scan(db, pkg, lambda p: many_findings(p, 10_000))
    return Seeded(db, pkg)
