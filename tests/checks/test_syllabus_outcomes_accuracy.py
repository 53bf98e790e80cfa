"""Topics from PDF-shaped syllabi whose numbered learning outcomes come before the contents
(tests/data/syllabus_outcomes_labelled).  Prints topic recall and non-topic lines taken as
topics; ``python tests/checks/test_syllabus_outcomes_accuracy.py``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from reviewer.checks.coverage_topics import syllabus_topics
from reviewer.checks.rulefile import parse_rule_text
from reviewer.ingest.model import FileRecord, Locator, Package, Segment

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "lexicons" / "coverage.yaml"
CASES = ROOT / "tests" / "data" / "syllabus_outcomes_labelled" / "cases.yaml"


def _key(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", text.lower())


def _package(course: dict) -> Package:
    path = f"syllabus/{course['id']}.pdf"
    record = FileRecord(path=path, size=len(course["text"]), sha256=course["id"], role="syllabus",
                        format="pdf", segments=[Segment(path, 0, Locator(page=1), course["text"])])
    return Package(source="/" + course["id"], kind="dir", files=[record],
                   digest="sha256:" + course["id"], manifest=None)


def score(rules, courses: list[dict], verbose: bool = True) -> dict[str, float]:
    wanted = found = non_lines = non_taken = extra = 0
    for course in courses:
        got = {_key(t.title): t.title for t in syllabus_topics(_package(course), rules.topics)}
        want = {_key(t) for t in course["topics"]}
        non = {_key(t) for t in course["non_topics"]}
        wanted += len(want)
        found += len(want & set(got))
        non_lines += len(non)
        for key, title in got.items():
            if key in want:
                continue
            if any(key in n or n in key for n in non):
                non_taken += 1
                kind = "non-topic"
            else:
                extra += 1
                kind = "extra"
            if verbose:
                print(f"  [{course['id']}] {kind} taken as a topic: {title!r}")
        if verbose:
            for key in sorted(want - set(got)):
                print(f"  [{course['id']}] topic missed: {key}")
    out = {"recall": found / wanted, "non_topic_taken": non_taken, "non_topic_lines": non_lines,
           "extra": extra}
    if verbose:
        print(f"syllabus outcomes set: topics found {found}/{wanted} ({out['recall']:.3f}); "
              f"non-topic lines taken {non_taken}/{non_lines}; other extra {extra}")
    return out


@pytest.fixture(scope="module")
def rules():
    return parse_rule_text(SHIPPED.read_text(encoding="utf-8"), str(SHIPPED)).rules


ACTIVITIES = ROOT / "tests" / "data" / "syllabus_activities_labelled" / "cases.yaml"


@pytest.mark.parametrize("cases", [
    CASES,
    ACTIVITIES,  # first run, before the activity patterns: recall 16/16, non-topics taken 12/12
], ids=["outcomes", "activities"])
def test_numbered_outcomes_are_not_topics(rules, cases):
    courses = yaml.safe_load(cases.read_text(encoding="utf-8"))["courses"]
    got = score(rules, courses)
    assert got["recall"] == 1.0
    assert got["non_topic_taken"] == 0 and got["extra"] == 0


if __name__ == "__main__":
    for path in (CASES, ACTIVITIES):
        print(path.parent.name)
        score(parse_rule_text(SHIPPED.read_text(encoding="utf-8"), str(SHIPPED)).rules,
              yaml.safe_load(path.read_text(encoding="utf-8"))["courses"])
