"""pii, outdated, coverage and completeness on hostile input: odd manifests, odd text."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.checks.completeness import check_completeness
from reviewer.checks.coverage import check_coverage
from reviewer.checks.model import CheckContext
from reviewer.checks.outdated import check_outdated
from reviewer.checks.pii import check_pii
from reviewer.checks.rulefile import parse_rule_text
from reviewer.ingest.model import FileRecord, Locator, Package, Segment

LEXICONS = Path(__file__).resolve().parents[2] / "lexicons"


@pytest.fixture(scope="module")
def rules() -> dict:
    out = {}
    for name in ("pii", "currency", "coverage"):
        parsed = parse_rule_text((LEXICONS / f"{name}.yaml").read_text(encoding="utf-8"), name)
        out[parsed.kind] = [parsed.rules]
    return out


ODD_TEXTS = [
    "", " ", "\n\n\n", "\x00\x01\x02", "\ufeff\u200b\u200d", "🙂" * 50, "a" * 70_000,
    "1" * 70_000, "学号" * 5000 + "2021012345", "微信" * 3000, "截至" * 4000 + "2010年",
    "\ud800 lone surrogate", "İstanbul ﬁ ⑸ Ⅻ ⼤学 ＡＢＣ１２３", "# \n## \n### 第1周\n第\n1.\n（一）",
]

HOSTILE_MANIFESTS = [
    {"files": "course.yaml", "responsible_teacher": 5, "topics": {"a": 1}, "hours": [1],
     "credit_hours": "three", "integrity_pledge": ["x"], "date": "yesterday"},
    {"files": [None, 3, {"path": None}, {"path": ""}, {"role": "syllabus"}],
     "topics": [None, {"title": None}, {"title": {"fr": "x"}}, ""], "hours": -4},
    {"files": [{"path": "../../etc/passwd"}, "/abs/path", "C:\\\\x.txt"],
     "responsible_teacher": {"name": ""}, "topics": ["x" * 10_000]},
    {},
]


def _package(manifest) -> Package:
    segs = [Segment("t/odd.srt", i, Locator(cue=i + 1, start_ms=i * 1000, end_ms=i * 1000 - 5), t)
            for i, t in enumerate(ODD_TEXTS)]
    syl = [Segment("syllabus.md", i, Locator(line=i + 1), t) for i, t in enumerate(ODD_TEXTS)]
    files = [
        FileRecord("t/odd.srt", 1, "a", role="transcript", format="srt", segments=segs,
                   meta={"created": "D:", "modified": "0000-00-00"}),
        FileRecord("syllabus.md", 1, "b", role="syllabus", format="md", segments=syl),
        FileRecord("s/x.pptx", 1, "c", role="slides", format="pptx", units=-3),
        FileRecord("s/y.pdf", 1, "d", role="slides", format="pdf", status="error", units=5),
    ]
    return Package(source="/p", kind="dir", files=files, digest="sha256:0", manifest=manifest)


@pytest.mark.parametrize("manifest", HOSTILE_MANIFESTS + [None])
def test_hostile_packages_never_crash_a_check(rules, manifest):
    ctx = CheckContext(package=_package(manifest), rules=rules,
                       options={"outdated_years": "x", "coverage_threshold": None,
                                "max_cue_gap_minutes": -1, "hours_min_ratio": "half"})
    for check in (check_pii, check_outdated, check_completeness, check_coverage):
        result = check(ctx)
        for finding in result.findings:
            assert finding.message["zh"] and finding.message["en"]
            assert finding.severity in ("error", "warning", "info")


def test_manifest_files_that_are_not_a_list_list_nothing(rules):
    result = check_completeness(CheckContext(package=_package(HOSTILE_MANIFESTS[0])))
    rules_found = {f.rule for f in result.findings}
    assert "file-missing" not in rules_found and "no-responsible-teacher" in rules_found
