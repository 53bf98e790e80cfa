"""Check ``pii`` on ``tests/data/pii_publication_labelled``: addresses on a reproduced
publication (a paper's first page on a slide) against the same addresses elsewhere
(issue 8: paper authors' addresses raised as errors on real course slides).

Each case is one page (or one picture on it) run through the whole check, as a scan
does; scored on (rule, matched text, severity) of its e-mail findings.
``python tests/checks/test_pii_publication_accuracy.py`` prints every disagreement."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reviewer.checks.model import CheckContext
from reviewer.checks.pii import check_pii, parse_pii
from reviewer.ingest.model import FileRecord, Locator, Package, Segment
from tests.checks.test_pii_hard_accuracy import load, report
from tests.checks.test_pii_hard_accuracy import score as hard_score

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "lexicons" / "pii.yaml"
CASES = ROOT / "tests" / "data" / "pii_publication_labelled" / "cases.yaml"


def package(case: dict) -> Package:
    """The case's page as one file: a PDF page (OCR lines when ``ocr``) or, for a
    file without pages (a transcript, a reading), numbered lines."""
    paged = case["role"] in ("slides", "syllabus")
    path = f"{case['role']}/case.{'pdf' if paged else 'txt'}"
    segments = []
    for i, text in enumerate(case["page"], start=1):
        if paged and case.get("ocr"):
            loc = Locator(page=3, line=i, source="ocr", image=case.get("image"), confidence=0.99)
        elif paged:
            loc = Locator(page=3)
        else:
            loc = Locator(line=i)
        segments.append(Segment(file=path, ordinal=i - 1, locator=loc, text=text))
    record = FileRecord(path=path, size=1, sha256=path, role=case["role"],
                        format="pdf" if paged else "txt", segments=segments)
    return Package(source="/tmp/case", kind="dir", files=[record], digest="sha256:0")


def _found(rules, _index: int, case: dict) -> set[tuple[str, str, str]]:
    result = check_pii(CheckContext(package=package(case), rules={"pii": [rules]}))
    return {(f.rule, f.match, f.severity) for f in result.findings if f.rule == "email"}


def _load():
    return load(CASES)


def test_publication_set_labels_are_on_their_pages():
    _, cases = _load()
    assert len(cases) >= 16
    published = [c for c in cases if any(s == "info" for *_, s in c["expect"])]
    assert len(published) >= 8 and len(cases) - len(published) >= 8
    for case in cases:
        for _rule, match, severity in case["expect"]:
            assert any(match in line for line in case["page"]), case
            assert severity in ("error", "warning", "info")


def test_publication_set_precision_and_recall():
    """First run, before the publication context: 16 pages, precision and recall 0.474."""
    rules, cases = _load()
    tp, fp, fn, wrong = hard_score(rules, cases, found=_found)
    assert (fp, fn) == (0, 0), wrong


def test_malformed_publication_settings_name_their_field():
    from reviewer.checks.rulefile import RuleFileError

    for change, where in (
            (lambda pub: pub.update(markers="ABSTRACT"), "email.publication.markers"),
            (lambda pub: pub.update(markers=["ABSTRACT", "(unclosed"]),
             r"email.publication.markers\[1\]"),
            (lambda pub: pub.update(severity="low"), "email.publication.severity"),
            (lambda pub: pub.update(window=-3), "email.publication.window"),
            (lambda pub: pub["tests"]["no_match"].append("ABSTRACT"),
             "email.publication.tests: embedded examples failed: should not match: 'ABSTRACT'"),
            (lambda pub: pub["tests"]["match"].append("my abstract"),
             "should match: 'my abstract'"),
            (lambda pub: pub.pop("markers"), "email.publication.tests: examples given but no markers")):
        raw = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
        change(raw["email"]["publication"])
        with pytest.raises(RuleFileError, match=where):
            parse_pii(raw, str(SHIPPED))
    raw = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    raw["email"]["publication"] = ["ABSTRACT"]
    with pytest.raises(RuleFileError, match="email.publication: a mapping"):
        parse_pii(raw, str(SHIPPED))


def test_without_publication_markers_authors_addresses_stay_errors():
    raw = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    raw["email"].pop("publication")
    rules = parse_pii(raw, str(SHIPPED))
    _, cases = _load()
    tp, fp, fn, _ = hard_score(rules, cases, found=_found)
    assert fp >= 8 and fn >= 8  # the markers are what makes the set pass


def test_a_marker_speaks_for_its_own_picture_and_page_only():
    rules, _ = _load()
    base = {"role": "slides", "ocr": True, "image": "image2",
            "page": ["ABSTRACT", "We study things."], "expect": []}
    pkg = package(base)
    record = pkg.files[0]
    other = Segment(file=record.path, ordinal=2, locator=Locator(
        page=3, line=1, source="ocr", image="image5", confidence=0.99),
        text="From: mei.lin1990@gmail.com")
    next_page = Segment(file=record.path, ordinal=3, locator=Locator(page=4),
                        text="mail me: mei.lin1990@gmail.com")
    same = Segment(file=record.path, ordinal=4, locator=Locator(
        page=3, line=3, source="ocr", image="image2", confidence=0.99),
        text="Mei Lin, mei.lin1990@gmail.com")
    record.segments += [other, next_page, same]
    found = check_pii(CheckContext(package=pkg, rules={"pii": [rules]})).findings
    severity = {}
    for f in found:
        severity[(f.location.get("page"), f.location.get("image"))] = (f.severity, f.extra)
    assert severity[(3, "image5")][0] == "error"          # another picture on the page
    assert severity[(4, None)][0] == "error"              # the next page
    assert severity[(3, "image2")][0] == "info"           # the paper's own picture
    assert severity[(3, "image2")][1].get("published") == "1"


def test_in_a_file_without_pages_a_marker_reaches_window_lines():
    rules, _ = _load()
    window = rules.email_publication_window
    lines = ["Abstract"] + [f"line {i}" for i in range(1, 40)]
    lines[window] = "near.author@gmail.com"
    lines[window + 1] = "far.student@gmail.com"
    pkg = package({"role": "reading", "page": lines, "expect": []})
    found = {f.match: f.severity
             for f in check_pii(CheckContext(package=pkg, rules={"pii": [rules]})).findings}
    assert found == {"near.author@gmail.com": "info", "far.student@gmail.com": "error"}


if __name__ == "__main__":
    report("pii publication set", *_load(), found=_found)
