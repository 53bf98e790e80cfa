"""Q7 (article 17): the platform's whitelist match is evidence, recorded by the scan and
shown with the item; a change of the match (or of the list) asks for a recheck."""

from __future__ import annotations

from pathlib import Path

from reviewer.service import review as R
from reviewer.service.scan import scan
from tests.review.review_helpers import finding

LIST = """\
id: platforms
kind: platforms
version: "2025.2"
list_year: {year}
source: {{zh: 教育部 {year} 年公布的名单, en: the Ministry's {year} list}}
name: 白名单
messages:
  listed: {{zh: "“{{platform}}”在 {{list_year}} 年名单上（{{entry}}）", en: "\\"{{platform}}\\" is on the {{list_year}} list ({{entry}})"}}
  unknown: {{zh: "“{{platform}}”不在 {{list_year}} 年名单上", en: "\\"{{platform}}\\" is not on the {{list_year}} list"}}
  near-miss: {{zh: "“{{platform}}”不在名单上；是否指“{{suggestion}}”？", en: "\\"{{platform}}\\" is not on the list; did you mean \\"{{suggestion}}\\"?"}}
platforms:
  - name: 学堂在线
  - name: 中国大学MOOC
    aliases: [爱课程]
"""
MANIFEST = "id: t-7\ntitle: 测试课程\nresponsible_teacher: 李四\n\nplatform: {platform}\n"


def _package(root: Path, platform: str) -> Path:
    pkg = root / "course"
    pkg.mkdir(exist_ok=True)
    (pkg / "course.yaml").write_text(MANIFEST.format(platform=platform), "utf-8")
    (pkg / "syllabus.md").write_text("# 教学大纲\n第一章 绪论\n", "utf-8")
    return pkg


def _rules(root: Path, year: int = 2025) -> Path:
    folder = root / "rules"
    folder.mkdir(exist_ok=True)
    (folder / "platforms.yaml").write_text(LIST.format(year=year), "utf-8")
    return folder


def _scan(db, pkg: Path, rules: Path):
    return scan(db, pkg, only_lexicons=[rules])


def _platform_fact(item):
    return next(f for f in item.facts if f.kind == "fact" and f.label == "platform")


def test_q7_shows_the_match_with_the_lists_year_and_the_finding_at_the_manifest_line(db, tmp_path):
    pkg, rules = _package(tmp_path, "学堂再线"), _rules(tmp_path)
    outcome = _scan(db, pkg, rules)
    assert outcome.facts["platform"]["status"] == "near-miss"
    q7 = R.review_status(db, pkg).item("Q7")
    fact = _platform_fact(q7)
    assert fact.met is False
    assert fact.message["en"] == '"学堂再线" is not on the list; did you mean "学堂在线"?'
    assert fact.value["suggestion"] == "学堂在线" and fact.value["list"]["list_year"] == 2025
    assert fact.value["list"]["source"]["zh"] == "教育部 2025 年公布的名单"
    # the manifest's own fact is still there: a platform is given
    manifest = next(f for f in q7.facts if f.kind == "manifest")
    assert manifest.label == "platform" and manifest.met is True
    # the finding is Q7's evidence, at the manifest's platform line
    status = R.review_status(db, pkg)
    [platform_finding] = [f for f in status.findings if f.check == "platform"]
    assert q7.evidence == [platform_finding.id]
    assert (platform_finding.rule, platform_finding.severity) == ("platform-near-miss", "warning")
    assert platform_finding.file == "course.yaml" and platform_finding.location == {"line": 5}
    evidence = R.item_evidence(db, pkg, "Q7")
    assert [f.id for f in evidence.findings] == [platform_finding.id]
    assert _platform_fact(evidence).value == fact.value
    # the JSON status carries the fact
    q7_json = next(i for i in status.to_dict()["items"] if i["id"] == "Q7")
    assert {"kind": "fact", "label": "platform", "met": False}.items() <= q7_json["facts"][1].items()


def test_a_corrected_platform_asks_for_a_recheck_and_leaves_no_finding(db, tmp_path):
    pkg, rules = _package(tmp_path, "学堂再线"), _rules(tmp_path)
    _scan(db, pkg, rules)
    R.answer_item(db, pkg, "Q7", "fail", comment="平台名称不在白名单上")
    _package(tmp_path, "学堂在线")
    _scan(db, pkg, rules)
    status = R.review_status(db, pkg)
    q7 = status.item("Q7")
    assert q7.needs_recheck and q7.answer == "fail"
    assert {"kind": "fact", "fact": "platform", "old": "near-miss", "new": "listed"} in q7.changes
    assert _platform_fact(q7).met is True and q7.evidence == []
    assert _platform_fact(q7).message["zh"] == "“学堂在线”在 2025 年名单上（学堂在线）"
    assert not [f for f in status.findings if f.check == "platform"]


def test_a_new_list_year_asks_for_a_recheck_even_when_the_platform_stays_listed(db, tmp_path):
    pkg, rules = _package(tmp_path, "爱课程"), _rules(tmp_path)
    _scan(db, pkg, rules)
    R.answer_item(db, pkg, "Q7", "pass")
    assert not R.review_status(db, pkg).item("Q7").needs_recheck
    _scan(db, pkg, rules)  # the same list again: nothing changes
    assert not R.review_status(db, pkg).item("Q7").needs_recheck
    _rules(tmp_path, year=2026)
    _scan(db, pkg, rules)
    q7 = R.review_status(db, pkg).item("Q7")
    assert q7.needs_recheck
    [change] = [c for c in q7.to_dict()["changes"] if c["kind"] == "fact"]
    assert (change["old"], change["new"]) == ("listed", "listed")
    assert change["message"]["en"] == "the grounds of check result platform changed (still listed)"
    assert _platform_fact(q7).value["list"]["list_year"] == 2026


def test_a_scan_without_facts_says_to_scan_again_and_is_not_reused(db, tmp_path, course):
    course.version(findings=[finding("lexicon", "cheating-ads")])  # recorded without facts
    fact = _platform_fact(R.review_status(db, course.path).item("Q7"))
    assert fact.value is None and fact.met is None
    assert "scan again" in fact.message["en"] and "重新扫描" in fact.message["zh"]

    pkg, rules = _package(tmp_path, "学堂在线"), _rules(tmp_path)
    _scan(db, pkg, rules)
    db.execute("UPDATE scans SET facts = NULL")  # as a scan made before facts existed
    again = _scan(db, pkg, rules)
    assert again.facts["platform"]["status"] == "listed"  # the checks ran again


def test_without_a_whitelist_q7_says_to_check_by_hand(db, tmp_path):
    pkg = _package(tmp_path, "学堂在线")
    empty = tmp_path / "none"
    empty.mkdir()
    (empty / "note.yaml").write_text("id: other\nkind: terms\nname: x\ncategory: x\nseverity: info\n"
                                     "message: x\nterms: [xyzzy]\n", "utf-8")
    _scan(db, pkg, empty)
    fact = _platform_fact(R.review_status(db, pkg).item("Q7"))
    assert fact.value["status"] == "no-list" and fact.met is None
    assert "by hand" in fact.message["en"]


CHECKLIST = """\
id: demo
name: {zh: 演示, en: Demo}
items:
  - id: D1
    question: {zh: 平台？, en: "Platform?"}
    guidance: {zh: 指引, en: Guidance}
    evidence:
      - {fact: platform}
    blocking: true
    regulation: {articles: [17]}
"""


def test_a_fact_selector_parses_and_a_bad_one_names_its_line():
    import pytest

    from reviewer.review.checklist import parse_checklist
    from reviewer.review.errors import ChecklistError

    [item] = parse_checklist(CHECKLIST, "demo.yaml").items
    assert [(e.kind, e.field, e.to_dict()) for e in item.evidence] == [
        ("fact", "platform", {"fact": "platform"})]
    for bad in ("{fact: ''}", "{fact: platform, expect: present}"):
        with pytest.raises(ChecklistError) as err:
            parse_checklist(CHECKLIST.replace("{fact: platform}", bad), "bad.yaml")
        assert err.value.problems[0].line == 8


def test_the_shipped_fact_selectors_name_facts_a_check_records():
    from reviewer.checks.platform import FACT

    selectors = [(i.id, e.field) for i in R.load_checklists().items() for e in i.evidence
                 if e.kind == "fact"]
    assert selectors == [("Q7", FACT)]
