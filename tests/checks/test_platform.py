"""Check ``platform`` and the whitelist rule file (kind ``platforms``): article 17."""

from __future__ import annotations

import pytest

from reviewer.checks.model import CheckContext
from reviewer.checks.platform import FACT, check_platform, name_keys, parse_platforms
from reviewer.checks.rulefile import RuleFileError, parse_rule_text
from reviewer.ingest.manifest import parse_manifest_located
from reviewer.ingest.model import FileRecord, Package
from reviewer.paths import lexicons_dir

SMALL = """\
id: platforms
kind: platforms
version: "2025.1"
list_year: 2025
source: {zh: 教育部 2025 年公布, en: published by the Ministry in 2025}
name: {zh: 白名单, en: Whitelist}
messages:
  listed: {zh: "{platform} 在名单上（{entry}，{list_year}）", en: "{platform} listed ({entry}, {list_year})"}
  unknown: {zh: "{platform} 不在名单上（{list_year}，{source}）", en: "{platform} not listed ({list_year}, {source})"}
  near-miss: {zh: "{platform} 不在名单上；是否指 {suggestion}？", en: "{platform} not listed; did you mean {suggestion}?"}
platforms:
  - name: 学堂在线
    aliases: [XuetangX]
  - name: 中国大学MOOC
    aliases: [爱课程]
"""


def _parse(text: str = SMALL):
    return parse_rule_text(text, "mine.yaml").rules


def _error(text: str) -> RuleFileError:
    with pytest.raises(RuleFileError) as info:
        parse_rule_text(text, "mine.yaml")
    return info.value


# ---------------------------------------------------------------- the rule file

def test_the_shipped_whitelist_loads_and_its_examples_pass():
    parsed = parse_rule_text((lexicons_dir() / "platforms.yaml").read_text("utf-8"), "platforms.yaml")
    assert parsed.kind == "platforms" and parsed.id == "platforms"
    whitelist = parsed.rules
    assert whitelist.starter and whitelist.list_year >= 2022 and whitelist.tests["match"]
    names = {e.name for e in whitelist.entries}
    assert {"中国大学MOOC", "学堂在线", "智慧树", "超星尔雅", "优课联盟", "华文慕课", "好大学在线"} <= names
    # the starter says on every message that it is not the official list
    assert "初始名单" in whitelist.message_for(whitelist.match("学堂在线"))["zh"]


def test_malformed_yaml_is_an_error_with_its_line():
    exc = _error(SMALL.replace("  - name: 中国大学MOOC\n", "  - name: [中国大学MOOC\n"))
    assert exc.source == "mine.yaml" and exc.line == 15 and "YAML syntax" in exc.problem


@pytest.mark.parametrize("field", ["list_year", "source", "version", "messages"])
def test_a_missing_field_is_named(field):
    lines = SMALL.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{field}:"))
    end = start + 1
    while end < len(lines) and lines[end].startswith("  "):
        end += 1
    exc = _error("".join(lines[:start] + lines[end:]))
    assert f"'{field}' is a required property" in exc.problem and exc.line == 1


def test_a_wrong_value_is_an_error_at_its_line():
    exc = _error(SMALL.replace("list_year: 2025", "list_year: 二〇二五"))
    assert exc.line == 4 and exc.problem.startswith("list_year:")
    exc = _error(SMALL.replace("    aliases: [爱课程]", "    aliasses: [爱课程]"))
    assert exc.line == 14 and "aliasses" in exc.problem  # the entry's line
    exc = _error(SMALL.replace("  near-miss:", "  nearmiss:"))
    assert exc.line == 7 and "'nearmiss' was unexpected" in exc.problem


def test_a_name_of_two_entries_is_an_error_naming_both_lines():
    exc = _error(SMALL.replace("aliases: [爱课程]", "aliases: [爱课程, ＸＵＥＴＡＮＧＸ]"))
    assert exc.line == 15
    assert "'ＸＵＥＴＡＮＧＸ' is also a name of '学堂在线' (line 13)" in exc.problem
    exc = _error(SMALL + "  - name: 學堂 在線\n")
    assert exc.line == 16 and "'學堂 在線' is also a name of '学堂在线' (line 12)" in exc.problem


def test_a_name_that_is_only_punctuation_is_an_error():
    exc = _error(SMALL.replace("aliases: [XuetangX]", "aliases: [XuetangX, '（）']"))
    assert exc.line == 13 and "'（）' is only punctuation" in exc.problem


def test_failing_examples_are_listed_with_their_lines():
    text = SMALL + "tests:\n  match: [学堂在线, Coursera]\n  no_match:\n    - 爱课程\n    - {text: 学堂再线, suggest: 中国大学MOOC}\n"
    exc = _error(text)
    assert exc.line == 16 and "embedded tests failed" in exc.problem
    assert "match 'Coursera': not on the list (unknown)" in exc.problem
    assert "no_match '爱课程': on the list as '中国大学MOOC'" in exc.problem
    assert "no_match '学堂再线': expected the suggestion '中国大学MOOC', got 学堂在线" in exc.problem
    assert "match '学堂在线'" not in exc.problem  # the example that holds is not listed
    assert parse_rule_text(SMALL + "tests:\n  match: [学堂在线]\n  no_match: [Coursera]\n", "ok.yaml")


# ---------------------------------------------------------------- matching

@pytest.mark.parametrize("written, entry", [
    ("学堂在线", "学堂在线"),                   # the name
    ("xuetangx", "学堂在线"),                   # an alias, any case
    ("ＸｕｅｔａｎｇＸ", "学堂在线"),           # full width
    (" 学 堂 在 线 ", "学堂在线"),               # spaces
    ("學堂在線", "学堂在线"),                   # traditional characters
    ("学堂·在线", "学堂在线"),                  # punctuation
    ("中国大学ＭＯＯＣ（爱课程）", "中国大学MOOC"),  # a bracketed part: outside it …
    ("爱课程（中国大学MOOC）", "中国大学MOOC"),      # … or inside it
    ("中国大学MOOC【爱课程】", "中国大学MOOC"),
])
def test_names_on_the_list(written, entry):
    got = _parse().match(written)
    assert (got.status, got.entry.name) == ("listed", entry)


@pytest.mark.parametrize("written, suggestion", [
    ("学堂再线", "学堂在线"),          # one character wrong
    ("中国大学MOOC平台", "中国大学MOOC"),  # a word added
    ("中国大学MOOC爱课程", "中国大学MOOC"),  # two names run together without brackets
    ("xuetangx.com", "学堂在线"),
])
def test_near_misses_are_not_on_the_list_but_suggest_the_entry(written, suggestion):
    got = _parse().match(written)
    assert got.status == "near-miss" and got.entry.name == suggestion and got.score >= 75


@pytest.mark.parametrize("written", ["Coursera", "学堂云", "超星", "慕课", "某某大学自建平台", "——"])
def test_unknown_platforms(written):
    got = _parse().match(written)
    assert got.status == "unknown" and got.entry is None


def test_bracketed_parts_are_tried_on_their_own():
    assert name_keys("中国大学MOOC（爱课程）") == ["中国大学mooc爱课程", "中国大学mooc", "爱课程"]
    assert name_keys("学堂在线") == ["学堂在线"]


def test_the_near_miss_threshold_is_the_files():
    assert _parse().match("xuetangx.com").score == 90  # one name inside the other
    strict = _parse(SMALL.replace("messages:", "near_miss: {min_score: 95}\nmessages:"))
    assert strict.match("xuetangx.com").status == "unknown"
    assert strict.match("学堂在线").status == "listed"
    loose = _parse(SMALL.replace("messages:", "near_miss: {min_score: 30}\nmessages:"))
    assert loose.match("学堂云").status == "near-miss" and loose.match("学堂云").entry.name == "学堂在线"
    assert _parse().match("学堂云").status == "unknown"


# ---------------------------------------------------------------- the check

MANIFEST_TEXT = "id: c-1\ntitle: 数据结构\nresponsible_teacher: 王老师\nplatform: {platform}\n"


def _package(platform: str | None, *, above: int = 0) -> Package:
    text = "\n" * above + MANIFEST_TEXT.format(platform=platform)
    if platform is None:
        text = "\n" * above + "id: c-1\ntitle: 数据结构\n"
    manifest, _issues, lines = parse_manifest_located(text.encode(), "course.yaml")
    record = FileRecord(path="course.yaml", size=len(text), sha256="m", role="manifest",
                        format="yaml", meta={"key_lines": lines})
    return Package(source="/p", kind="dir", files=[record], digest="sha256:0", manifest=manifest)


def _check(package: Package, lists=None):
    rules = {"platforms": [_parse()] if lists is None else lists}
    return check_platform(CheckContext(package=package, rules=rules))


def test_a_listed_platform_gives_no_finding_and_a_met_fact():
    result = _check(_package("ＸｕｅｔａｎｇＸ"))
    assert result.findings == []
    fact = result.facts[FACT]
    assert fact["status"] == "listed" and fact["met"] is True and fact["entry"] == "学堂在线"
    assert fact["list"] == {"id": "platforms", "version": "2025.1", "list_year": 2025,
                            "source": {"zh": "教育部 2025 年公布", "en": "published by the Ministry in 2025"},
                            "starter": False}
    assert fact["message"] == {"zh": "ＸｕｅｔａｎｇＸ 在名单上（学堂在线，2025）",
                               "en": "ＸｕｅｔａｎｇＸ listed (学堂在线, 2025)"}


def test_an_unknown_platform_is_a_warning_at_the_manifests_platform_line():
    result = _check(_package("Coursera"))
    [finding] = result.findings
    assert (finding.check, finding.rule, finding.severity) == ("platform", "platform-unknown", "warning")
    assert finding.file == "course.yaml" and finding.location == {"line": 4}
    assert finding.match == "Coursera"
    assert finding.message["zh"] == "Coursera 不在名单上（2025，教育部 2025 年公布）"
    assert result.facts[FACT]["status"] == "unknown" and result.facts[FACT]["met"] is False
    # the same problem on another line keeps its id (a disposition follows it)
    [moved] = _check(_package("Coursera", above=3)).findings
    assert moved.location == {"line": 7} and moved.id == finding.id


def test_a_near_miss_is_a_finding_that_says_did_you_mean():
    result = _check(_package("学堂再线"))
    [finding] = result.findings
    assert finding.rule == "platform-near-miss" and finding.extra["suggestion"] == "学堂在线"
    assert finding.message["en"] == "学堂再线 not listed; did you mean 学堂在线?"
    fact = result.facts[FACT]
    assert fact["status"] == "near-miss" and fact["met"] is False and fact["suggestion"] == "学堂在线"
    assert fact["entry"] is None


def test_no_platform_is_left_to_the_manifest_expectation():
    for package in (_package(None), _package("''")):
        result = _check(package)
        assert result.findings == []
        assert result.facts[FACT]["status"] == "absent" and result.facts[FACT]["met"] is None
        assert "platform" in result.facts[FACT]["message"]["en"]


def test_without_a_whitelist_there_is_nothing_to_find_and_the_fact_says_so():
    result = _check(_package("Coursera"), lists=[])
    assert result.findings == []
    fact = result.facts[FACT]
    assert fact["status"] == "no-list" and fact["met"] is None and "白名单" in fact["message"]["zh"]


def test_without_a_manifest_the_check_is_silent():
    package = Package(source="/p", kind="dir", files=[], digest="sha256:0", manifest=None)
    assert _check(package).findings == [] and _check(package).facts == {}


def test_of_several_lists_the_last_one_wins():
    other = _parse(SMALL.replace("id: platforms", "id: inst-list").replace("XuetangX", "Coursera"))
    assert _check(_package("Coursera"), lists=[_parse(), other]).findings == []
    assert _check(_package("Coursera"), lists=[other, _parse()]).findings


def test_a_manifest_record_without_lines_still_locates_the_file():
    package = _package("Coursera")
    package.files[0].meta = {}
    [finding] = _check(package).findings
    assert finding.file == "course.yaml" and finding.location == {}


def test_parse_platforms_is_registered_for_the_kind():
    from reviewer.checks.registry import CHECK_MODULES, all_checks
    from reviewer.checks.rulefile import kinds

    assert "reviewer.checks.platform" in CHECK_MODULES and "platform" in all_checks()
    assert kinds()["platforms"] is parse_platforms


def test_manifest_key_lines():
    text = "# comment\nid: x\n\ntitle: t\nplatform: 学堂在线\nexam:\n  by_university: true\n"
    manifest, issues, lines = parse_manifest_located(text.encode())
    assert manifest["platform"] == "学堂在线"
    assert lines == {"id": 2, "title": 4, "platform": 5, "exam": 6}
    assert parse_manifest_located(b"- a list\n")[2] == {}
