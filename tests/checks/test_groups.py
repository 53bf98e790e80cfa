"""One finding per problem: grouping by check, rule and normalised text."""

from __future__ import annotations

import json

import jsonschema

from reviewer.checks.groups import (group_findings, group_id, group_sizes, normalise_match,
                                    severity_group_counts)
from reviewer.checks.model import file_finding, finding_at
from reviewer.checks.report import report_dict, sarif_dict
from reviewer.ingest.model import FileRecord, Locator, Package, Segment
from reviewer.paths import schemas_dir

EMAIL = "zhang.wei@163.com"


def _email_on(n_handouts: int, text: str = EMAIL) -> list:
    out = []
    for i in range(n_handouts):
        seg = Segment(f"handouts/h{i:02d}.pdf", 0, Locator(page=1 + i % 3), f"答疑请联系 {text} 谢谢")
        start = seg.text.index(text)
        out.append(finding_at(seg, start, start + len(text), check="pii", rule="email",
                              category="pii", severity="error",
                              message={"zh": "电子邮箱", "en": "e-mail"}))
    return out


def test_normalise_match_folds_width_case_and_space():
    assert normalise_match("Zhang.Wei@PKU.edu.cn") == normalise_match("ｚｈａｎｇ．ｗｅｉ＠ｐｋｕ．ｅｄｕ．ｃｎ")
    assert normalise_match("刷 课") == normalise_match("刷课") == normalise_match("刷\u200b课")
    assert normalise_match("") == ""


def test_twenty_occurrences_of_one_email_are_one_group_of_twenty():
    findings = _email_on(20)
    assert len({f.id for f in findings}) == 20
    groups = group_findings(findings)
    assert len(groups) == 1
    assert groups[0].count == 20
    assert groups[0].ids == [f.id for f in findings]
    assert len(groups[0].id) == 16 and groups[0].id not in groups[0].ids


def test_the_same_address_spelled_in_capitals_or_full_width_joins_the_group():
    findings = _email_on(2) + _email_on(1, EMAIL.upper()) + _email_on(1, "ｚｈａｎｇ.ｗｅｉ@163.com")
    assert len(group_findings(findings)) == 1


def test_two_different_matches_are_two_groups_and_rules_keep_apart():
    a = _email_on(3)
    b = _email_on(2, "li.na@163.com")
    groups = group_findings(a + b)
    assert [g.count for g in groups] == [3, 2]
    seg = Segment("x.md", 0, Locator(line=1), EMAIL)
    other_rule = finding_at(seg, 0, len(EMAIL), check="lexicon", rule="email", category="c",
                            severity="error", message={"zh": "x", "en": "x"})
    assert group_id(other_rule) != groups[0].id


def test_findings_about_files_are_groups_of_one_named_by_their_own_id():
    gaps = [file_finding(f"v{i}.srt", check="completeness", rule="transcript-gap", category="c",
                         severity="warning", message={"zh": "断", "en": "gap"}, match="00:01:00.000")
            for i in range(3)]
    groups = group_findings(gaps)
    assert [g.count for g in groups] == [1, 1, 1]
    assert [g.id for g in groups] == [f.id for f in gaps]


def test_group_counts_by_most_severe_member():
    findings = _email_on(3)
    import dataclasses

    findings[1] = dataclasses.replace(findings[1], severity="warning")
    findings += _email_on(2, "li.na@163.com")
    findings = [dataclasses.replace(f, severity="info") if "li.na" in f.match else f
                for f in findings]
    assert severity_group_counts(findings) == {"error": 1, "warning": 0, "info": 1}
    assert sorted(group_sizes(findings).values()) == [2, 3]


def _package(findings) -> Package:
    files = [FileRecord(path=p, size=10, sha256="0" * 64, role="notes", format="pdf", units=1)
             for p in sorted({f.file for f in findings})]
    return Package(source="/tmp/pkg", kind="dir", files=files, digest="sha256:" + "2" * 64,
                   manifest={"id": "c1", "title": {"zh": "数据结构"}})


def test_json_report_carries_the_group_and_its_size_and_counts_groups():
    findings = _email_on(20) + _email_on(2, "li.na@163.com")
    doc = report_dict(_package(findings), findings, None, version="0.1.0")
    schema = json.loads((schemas_dir() / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema)
    assert {f["group_size"] for f in doc["findings"]} == {20, 2}
    assert len({f["group"] for f in doc["findings"]}) == 2
    assert doc["summary"]["findings"]["total"] == 22
    assert doc["summary"]["groups"] == {"error": 2, "warning": 0, "info": 0, "total": 2}


def test_sarif_results_keep_their_locations_and_share_the_group():
    findings = _email_on(20)
    doc = sarif_dict(_package(findings), findings, version="0.1.0")
    results = doc["runs"][0]["results"]
    assert len(results) == 20
    assert len({r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                for r in results}) == 20
    gid = group_id(findings[0])
    assert {r["partialFingerprints"]["reviewerGroupId"] for r in results} == {gid}
    assert {r["properties"]["group"] for r in results} == {gid}
    assert {r["properties"]["groupSize"] for r in results} == {20}
