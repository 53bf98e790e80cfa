"""The JSON report matches its published schema; SARIF has what viewers need."""

from __future__ import annotations

import json

import jsonschema
import pytest

from reviewer.checks.model import CoverageReport, TopicCoverage, file_finding, finding_at
from reviewer.checks.report import report_dict, sarif_dict
from reviewer.ingest.model import FileRecord, Locator, Package, Segment
from reviewer.paths import schemas_dir


def _package():
    segs = {
        "a.srt": Segment("a.srt", 0, Locator(cue=17, start_ms=62_500, end_ms=65_000), "需要代刷网课的同学加微信"),
        "b.pdf": Segment("b.pdf", 0, Locator(page=3), "身份证号 11010519491231002X"),
        "c.pptx": Segment("c.pptx", 0, Locator(slide=4, notes=True), "备注"),
        "d.docx": Segment("d.docx", 0, Locator(paragraph=2, heading="第一章 > 1.1"), "合同法"),
        "e.md": Segment("e.md", 0, Locator(line=12), "最新 2015 年"),
    }
    files = [FileRecord(path=p, size=10, sha256="0" * 64, role="notes", format=p.split(".")[1],
                        segments=[s], units=1) for p, s in segs.items()]
    files.append(FileRecord(path="broken.pdf", size=0, sha256="1" * 64, format="pdf",
                            status="error", error="empty file"))
    pkg = Package(source="/tmp/pkg", kind="dir", files=files, digest="sha256:" + "2" * 64,
                  manifest={"id": "c1", "title": {"zh": "数据结构"}})
    findings = [finding_at(s, 0, 2, check="lexicon", rule="r1", category="c", severity="error",
                           message={"zh": "问题", "en": "problem"}) for s in segs.values()]
    findings.append(file_finding("broken.pdf", check="ingest", rule="file-empty", category="ingest",
                                 severity="error", message={"zh": "空文件", "en": "empty"}))
    findings.append(file_finding(None, check="completeness", rule="no-teacher", category="c",
                                 severity="error", message={"zh": "无", "en": "none"}))
    cov = CoverageReport([TopicCoverage("栈与队列", True, 0.9,
                                        [{"file": "a.srt", "location": {"cue": 1}, "text": "栈"}])])
    return pkg, findings, cov


@pytest.fixture(scope="module")
def schema():
    return json.loads((schemas_dir() / "report.schema.json").read_text(encoding="utf-8"))


def test_report_validates_against_schema(schema):
    pkg, findings, cov = _package()
    doc = report_dict(pkg, findings, cov, version="0.1.0", lang="en")
    jsonschema.validate(doc, schema)
    locs = [f["location"] for f in doc["findings"]]
    assert {"cue": 17, "start": "00:01:02.500", "end": "00:01:05.000"} in locs
    assert {"slide": 4, "notes": True} in locs
    assert {"paragraph": 2, "heading": "第一章 > 1.1"} in locs
    assert doc["findings"][0]["message"] == "problem"
    assert doc["package"]["title"] == "数据结构"


def test_schema_rejects_a_finding_without_location_shape(schema):
    pkg, findings, cov = _package()
    doc = report_dict(pkg, findings, cov, version="0.1.0")
    doc["findings"][0]["location"] = {"pages": 3}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema)
    doc["findings"][0]["location"] = {"page": 3}
    doc["findings"][0]["severity"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema)


def test_sarif_has_required_fields_locations_and_suppressions():
    pkg, findings, cov = _package()
    dismissed = findings[0].id
    doc = sarif_dict(pkg, findings, version="0.1.0",
                     dispositions={dismissed: ("false-alarm", "quoted in a lecture about fraud")})
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    assert run["tool"]["driver"]["name"] == "reviewer"
    assert run["columnKind"] == "unicodeCodePoints"
    results = run["results"]
    assert all(r["message"]["text"] for r in results)
    by_id = {r["partialFingerprints"]["reviewerFindingId"]: r for r in results}
    sup = by_id[dismissed]["suppressions"][0]
    assert sup["kind"] == "external" and "fraud" in sup["justification"]
    cue = by_id[findings[0].id]["locations"][0]
    assert cue["physicalLocation"]["region"]["properties"]["start"] == "00:01:02.500"
    assert cue["logicalLocations"][0]["fullyQualifiedName"] == "a.srt/cue[17]"
    line = by_id[findings[4].id]["locations"][0]["physicalLocation"]["region"]
    assert line["startLine"] == 12 and line["startColumn"] == 1 and line["endColumn"] == 3
    package_level = by_id[findings[-1].id]
    assert "locations" not in package_level
    rule_ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in results} <= rule_ids
