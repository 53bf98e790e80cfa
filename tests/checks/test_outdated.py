"""Check ``outdated`` parts (b) currency claims and (c) file dates."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest
import yaml

from reviewer.checks.model import CheckContext
from reviewer.checks.outdated import check_outdated, claims, parse_currency, parse_meta_date
from reviewer.checks.rulefile import RuleFileError
from reviewer.ingest.model import FileRecord, Locator, Package, Segment
from reviewer.ingest.textnorm import fold_compat

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "lexicons" / "currency.yaml"
LABELLED = ROOT / "tests" / "data" / "outdated_labelled"


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rules(raw):
    return parse_currency(copy.deepcopy(raw), str(SHIPPED))


def _record(path: str, *texts: str, role: str = "transcript", meta: dict | None = None
            ) -> FileRecord:
    segs = [Segment(file=path, ordinal=i, locator=Locator(cue=i + 1, start_ms=i * 1000,
                                                          end_ms=i * 1000 + 900), text=t)
            for i, t in enumerate(texts)]
    return FileRecord(path=path, size=1, sha256="x", role=role, segments=segs,
                      meta=dict(meta or {}))


def _ctx(*records: FileRecord, rules=None, term: date | None = date(2025, 9, 1),
         today: date | None = None, options: dict | None = None) -> CheckContext:
    pkg = Package(source="/p", kind="dir", files=list(records), digest="sha256:0")
    return CheckContext(package=pkg, rules={"currency": [rules]} if rules else {},
                        term_date=term, today=today, options=options or {})


# ------------------------------------------------------------------ (b) claims

def test_claim_finding_points_at_the_original_text(rules):
    rec = _record("t/w1.srt", "据统计，截至２０１５年底，我国网民规模达6.88亿。")
    [f] = check_outdated(_ctx(rec, rules=rules)).findings
    assert (f.check, f.rule, f.category, f.severity) == (
        "outdated", "currency-claim", "outdated", "warning")
    assert f.match == "截至２０１５"
    assert f.extra["year"] == 2015 and f.extra["years_before_term"] == 10
    assert "2015" in f.message["zh"] and "2015" in f.message["en"]
    assert f.location == {"cue": 1, "start": "00:00:00.000", "end": "00:00:00.900"}


@pytest.mark.parametrize("year, flagged", [(2019, True), (2020, False), (2024, False)])
def test_threshold_is_more_than_five_years_before_the_term(rules, year, flagged):
    rec = _record("t.srt", f"As of {year}, the figures below were collected.")
    assert bool(check_outdated(_ctx(rec, rules=rules)).findings) is flagged


def test_option_overrides_the_threshold(rules):
    rec = _record("t.srt", "截至2015年，共有3000名学生。")
    assert check_outdated(_ctx(rec, rules=rules)).findings
    assert not check_outdated(_ctx(rec, rules=rules, options={"outdated_years": 12})).findings


def test_without_term_date_today_is_used(rules):
    rec = _record("t.srt", "截至2021年，共有3000名学生。")
    assert not check_outdated(_ctx(rec, rules=rules, term=None, today=date(2024, 1, 1))).findings
    assert check_outdated(_ctx(rec, rules=rules, term=None, today=date(2030, 1, 1))).findings


def test_the_newest_year_in_the_clause_decides(rules):
    assert claims("目前（2024年）的用户数比2010年增长了十倍。", rules, 2025) == []
    assert [c.year for c in claims("目前（2012年）的用户数比2010年增长了十倍。", rules, 2025)] \
        == [2012]


@pytest.mark.parametrize("text, year", [
    # a narrative citation dates a cited work; a cited source of a "latest" figure does not
    ("Smith (2014) found that the latest tools were rarely used.", None),
    ("李华（2013）认为，目前的教学模式亟需改革。", None),
    ("According to the latest report by Smith (2014), 30% of students study online.", 2014),
    ("The latest study (2014) shows that completion rates are low.", 2014),
    ("最新研究（2014）表明，慕课的完成率很低。", 2014),
    # port and room numbers are not years
    ("请连接到端口 2015 上的服务，目前只开放这一个端口。", None),
    ("The current venue is Room 2014, Building 3.", None),
    # an English year before the word after a time preposition or in a range is past
    ("In 2014 the current standard was adopted.", None),
    ("Between 2008 and 2012 the latest phones doubled in speed.", None),
    ("2008–2012 the latest phones doubled in speed.", None),
    ("Compared to 2014, current enrolment is 20% higher.", None),
    ("Data from 2014 are the latest available.", 2014),
    ("From 1990 until now the number of students has tripled.", None),
    # the release of the newest thing dates the claim, unless a past event is narrated
    ("The latest model, released in 2007, changed the industry.", 2007),
    ("目前最新的版本是2011年发布的。", 2011),
    ("The most recent version was published in 2011.", None),
    ("最新版本于2011年发布。", None),
    ("迄今为止规模最大的一次攻击发生在2016年10月。", None),
    # more currency words
    ("As at 31 December 2013 the fund held 2 billion dollars.", 2013),
    ("So far (2016) about 300 students have enrolled.", 2016),
])
def test_citations_numbers_past_times_and_releases(rules, text, year):
    assert [c.year for c in claims(fold_compat(text), rules, 2025)] == ([year] if year else [])


def test_no_rules_no_findings(rules):
    rec = _record("t.srt", "截至2015年，共有3000名学生。", meta={"modified": "2001-01-01"})
    assert check_outdated(_ctx(rec)).findings == []
    assert check_outdated(_ctx(rec, rules=None)).findings == []


def _score(path: Path, rules) -> tuple[int, int, int, list]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    term = date.fromisoformat(str(data["term_date"]))
    tp = fp = fn = 0
    wrong = []
    for case in data["cases"]:
        got = {c.year for c in claims(fold_compat(case["text"]), rules, term.year)}
        want = {case["year"]} if case["year"] else set()
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
        if got != want:
            wrong.append((case["text"], want, got))
    return tp, fp, fn, wrong


def test_labelled_sets_precision_and_recall(rules):
    totals = [0, 0, 0]
    wrong_all = []
    for name in ("cases.yaml", "heldout.yaml", "heldout2.yaml", "heldout3.yaml",
                 "heldout4.yaml"):
        tp, fp, fn, wrong = _score(LABELLED / name, rules)
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        print(f"\noutdated currency claims, {name}: tp={tp} fp={fp} fn={fn} "
              f"precision={p:.3f} recall={r:.3f}")
        totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn]
        wrong_all += wrong
    tp, fp, fn = totals
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"outdated currency claims, all: precision={precision:.3f} recall={recall:.3f}")
    assert tp >= 40
    assert precision >= 0.85 and recall >= 0.85, wrong_all


# ------------------------------------------------------------------ (c) file dates

def test_old_file_gets_one_info_finding(rules):
    old = _record("slides/old.pdf", role="slides",
                  meta={"created": "2009-03-01T10:00:00", "modified": "2012-05-02T08:00:00Z"})
    fresh = _record("slides/new.pdf", role="slides",
                    meta={"created": "2009-03-01", "modified": "2024-12-01"})
    findings = check_outdated(_ctx(old, fresh, rules=rules)).findings
    assert [(f.file, f.rule, f.severity, f.match) for f in findings] == [
        ("slides/old.pdf", "file-date", "info", "2012-05-02")]
    assert findings[0].location == {} and findings[0].extra["field"] == "modified"


def test_file_date_option_and_unparseable_dates(rules):
    rec = _record("a.docx", role="notes", meta={"modified": "2017-01-01"})
    junk = _record("b.docx", role="notes", meta={"modified": "last Tuesday", "created": 42})
    assert len(check_outdated(_ctx(rec, junk, rules=rules)).findings) == 1
    assert not check_outdated(_ctx(rec, junk, rules=rules,
                                   options={"outdated_file_years": 10})).findings


@pytest.mark.parametrize("raw_value, expected", [
    ("2012-05-02T08:00:00Z", date(2012, 5, 2)),
    ("D:20100315120000+08'00'", date(2010, 3, 15)),
    ("D:2010", date(2010, 1, 1)),
    (date(2011, 1, 2), date(2011, 1, 2)),
    ("2012-13-45", None), ("", None), (None, None), (17, None),
])
def test_parse_meta_date(raw_value, expected):
    assert parse_meta_date(raw_value) == expected


# ------------------------------------------------------------------ rule files

@pytest.mark.parametrize("mutate, needle", [
    (lambda d: d.pop("words"), "words"),
    (lambda d: d.update(words="最新"), "words"),
    (lambda d: d.update(severity="urgent"), "severity"),
    (lambda d: d.update(max_age_years=-1), "max_age_years"),
    (lambda d: d.update(not_year_after="[名"), "not_year_after"),
    (lambda d: d.update(not_year_before="(port"), "not_year_before"),
    (lambda d: d.update(citation_verbs="argues"), "citation_verbs"),
    (lambda d: d.update(release_markers="released"), "release_markers"),
    (lambda d: d.update(message={"de": "x"}), "message"),
    (lambda d: d["file"].update(severity="loud"), "file.severity"),
    (lambda d: d["tests"]["no_match"].append("截至2010年的数据"), "should not match"),
    (lambda d: d["tests"]["match"].append("1949年中华人民共和国成立"), "should match"),
    # the versions section (d)
    (lambda d: d["versions"].update(products={}), "versions.products"),
    (lambda d: d["versions"]["products"][0].update(releases=["3.6"]), "releases[0]"),
    (lambda d: d["versions"]["products"][0].update(releases=["3.6 2016-13-01"]), "releases[0]"),
    (lambda d: d["versions"]["products"][0].update(releases=["3.x 2016-12-23"]), "releases[0]"),
    (lambda d: d["versions"]["products"][0].update(releases=["3.6 2016-12-23 soon"]), "releases[0]"),
    (lambda d: d["versions"]["products"][0].update(order="alphabetical"), "order"),
    (lambda d: d["versions"]["products"][0].update(match_case="yes"), "match_case"),
    (lambda d: d["versions"]["products"][1].update(aliases=["python"]), "two products"),
    (lambda d: d["versions"]["products"][-1]["releases"].reverse(), "by date"),
    (lambda d: d["versions"].update(grace_years=-1), "versions.grace_years"),
    (lambda d: d["versions"].update(message={"fr": "x"}), "versions.message"),
    (lambda d: d.update(versions=["x"]), "versions: a mapping"),
    (lambda d: d.update(newness_words=[]), "newness_words"),
])
def test_bad_rule_files_are_refused(raw, mutate, needle):
    data = copy.deepcopy(raw)
    mutate(data)
    with pytest.raises(RuleFileError) as err:
        parse_currency(data, "mine/currency.yaml")
    assert "mine/currency.yaml" in str(err.value) and needle in str(err.value)


def test_not_a_mapping_is_refused():
    with pytest.raises(RuleFileError):
        parse_currency("words: [最新]", "s.yaml")  # type: ignore[arg-type]


def test_the_check_is_registered():
    from reviewer.checks.registry import CHECK_MODULES, all_checks

    assert "reviewer.checks.outdated" in CHECK_MODULES and "outdated" in all_checks()


def test_errors_name_the_line_when_loaded_through_the_rule_file_loader():
    from reviewer.checks.rulefile import parse_rule_text

    text = SHIPPED.read_text(encoding="utf-8")
    assert parse_rule_text(text, "currency.yaml").rules.max_age_years == 5
    broken = text.replace("max_age_years: 5\n", "max_age_years: five\n", 1)
    with pytest.raises(RuleFileError) as err:
        parse_rule_text(broken, "currency.yaml")
    line = next(i for i, l in enumerate(broken.splitlines(), 1) if l == "max_age_years: five")
    assert err.value.line == line


def test_the_gated_package_scan_finds_what_claims_finds(rules):
    data = yaml.safe_load((LABELLED / "cases.yaml").read_text(encoding="utf-8"))
    texts = [c["text"] for c in data["cases"]]
    rec = _record("t/all.srt", *texts)
    found = {(f.location["cue"], f.extra["year"])
             for f in check_outdated(_ctx(rec, rules=rules)).findings}
    direct = {(i + 1, c.year) for i, t in enumerate(texts)
              for c in claims(fold_compat(t), rules, 2025)}
    assert found == direct and len(found) >= 25


def test_matches_for_tools(rules):
    assert rules.matches("截至２０１５年底的数据", date(2025, 9, 1)) == [
        (0, 6, "currency-claim", "截至２０１５")]
    assert rules.matches("截至2024年底的数据", date(2025, 9, 1)) == []


# ------------------------------------------------------------------ (d) version claims

def _versions(text: str, rules, term: date = date(2025, 9, 1)) -> list[tuple[str, str]]:
    from reviewer.checks.outdated import version_claims

    return [(c.product, c.version) for c in version_claims(fold_compat(text), rules, term)]


def test_version_claim_finding_names_the_newer_and_current_release(rules):
    rec = _record("slides/p.pdf", "Python 的最新版本是 3.6，本课程基于该版本。", role="slides")
    [f] = check_outdated(_ctx(rec, rules=rules)).findings
    assert (f.rule, f.severity, f.match) == ("version-claim", "warning", "Python 的最新版本是 3.6")
    assert f.extra["newer"] == "3.7" and f.extra["since"] == "2018-06-27"
    assert f.extra["replacement"] == "Python 3.13"
    assert "3.13" in f.message["zh"] and "3.13" in f.message["en"] and "3.7" in f.message["en"]


@pytest.mark.parametrize("term, flagged", [
    (date(2017, 6, 1), False),   # 3.6 was the latest
    (date(2019, 5, 1), False),   # 3.7 out for less than the one-year grace
    (date(2019, 7, 1), True),
])
def test_version_claims_are_judged_against_the_term_date(rules, term, flagged):
    assert bool(_versions("The latest version of Python is 3.6.", rules, term)) is flagged


@pytest.mark.parametrize("text, found", [
    ("目前最新的 TensorFlow 1.14 已经支持 Eager 模式。", [("TensorFlow", "1.14")]),
    ("目前 Java 的最新版本是 Java 8。", [("Java", "8")]),
    ("目前 Java 的最新版本是 JDK 1.8。", [("Java", "1.8")]),
    ("PyTorch 1.4 is the latest release.", [("PyTorch", "1.4")]),
    ("The current version of Django is 2.2.", [("Django", "2.2")]),
    ("The newest C++ standard is C++14.", [("C++", "14")]),
    ("最新的Python3.5", [("Python", "3.5")]),
    # long-term-support claims are judged against LTS releases only
    ("Ubuntu 的最新长期支持版本是 18.04。", [("Ubuntu", "18.04")]),
    ("The current LTS release of Java is Java 21.", []),
    ("The current LTS release of Java is Java 17.", [("Java", "17")]),
    # current versions, a series, a future version
    ("Python 的最新版本是 3.13。", []),
    ("The latest C++ standard is C++23.", []),
    ("最新的 Python 3 带来了很多变化。", []),
    ("The latest version of Node is 26.", []),
    # not claims: past, ranges, dated clauses, a "current" not about a version, no tie
    ("当时最新的 Python 版本是 2.7。", []),
    ("In 2016 the latest version of Python was 3.6.", []),
    ("目前课程平台支持 Python 3.8 及以上版本。", []),
    ("Use the latest Node 18 or later.", []),
    ("截至2017年，Python 最新版本是 3.6。", []),
    ("The current assignment uses Node 20 and Express.", []),
    ("The latest Python tutorial, chapter 3.6, covers lists.", []),
    ("最新的研究表明，Python 3.7 以后的字典保持插入顺序。", []),
    ("the latest node is 8", []),  # a tree's node, not Node.js (match_case)
    ("当前 Python 版本为 3 个", []),
])
def test_version_claims(rules, text, found):
    assert _versions(text, rules) == found


def test_version_claims_in_matches_and_the_gated_scan(rules):
    assert rules.matches("The latest version of Node is 8.", date(2025, 9, 1)) == [
        (4, 31, "version-claim", "latest version of Node is 8")]
    rec = _record("t.srt", "无关的一句话。", "Node.js 的最新版本是 12。", "今天天气很好。")
    findings = check_outdated(_ctx(rec, rules=rules)).findings
    assert [(f.location["cue"], f.rule) for f in findings] == [(2, "version-claim")]


def test_without_a_versions_section_there_are_no_version_claims(raw):
    data = copy.deepcopy(raw)
    del data["versions"]
    data["tests"] = {}
    bare = parse_currency(data, "x.yaml")
    assert bare.versions is None and _versions("Python 的最新版本是 3.6。", bare) == []


def test_version_claims_gated_by_the_product_names_agree_with_the_open_search(rules, monkeypatch):
    """version_claims skips a text naming no product (reviewer.checks.literals): the
    claims are those found with the gate forced open, and the gate does shut."""
    from reviewer.checks import outdated
    from reviewer.checks.literals import LiteralGate

    texts = ["Python 的最新版本是 3.6，本课程基于该版本。", "目前 Java 的最新版本是 Java 8。",
             "Windows XP 是目前最新的操作系统", "PYTHON 3.5 is the latest version", "最新的Python3.5",
             "今天讲二叉树的遍历，目前最新的方法是 3.6 版。", "The latest version is 3.6."]
    shut = [t for t in texts if not LiteralGate(t).may_match(
        rules.versions.aliases.pattern, rules.versions.aliases.flags)]
    assert shut and len(shut) < len(texts)
    gated = [_versions(t, rules) for t in texts]
    assert any(gated)
    monkeypatch.setattr(outdated.LiteralGate, "may_match", lambda self, p, f=0: True)
    assert [_versions(t, rules) for t in texts] == gated
