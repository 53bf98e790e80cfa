"""Coverage on paraphrased teaching and real-syllabus shapes (tests/data/coverage_paraphrase_labelled).

Prints, per course and overall: topics extracted right, decision accuracy, precision and
recall of "uncovered" (the positive class: what the check reports), and non-topic syllabus
lines (references, objective sentences, schedule fragments, dates, weights) wrongly
reported as topics.  ``python -m pytest -q -s tests/checks/test_coverage_paraphrase_accuracy.py``
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from reviewer.checks.coverage import check_coverage
from reviewer.checks.model import CheckContext
from reviewer.checks.rulefile import parse_rule_text
from reviewer.ingest.model import FileRecord, Locator, Package, Segment

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "lexicons" / "coverage.yaml"
CASES = ROOT / "tests" / "data" / "coverage_paraphrase_labelled" / "cases.yaml"


def _record(spec: dict) -> FileRecord:
    path, kind, text = spec["path"], spec["kind"], spec["text"]
    if kind == "page":
        segs = [Segment(path, 0, Locator(page=1), text)]
    elif kind == "slides":
        parts = [p.strip() for p in re.split(r"^---$", text, flags=re.M) if p.strip()]
        segs = [Segment(path, i, Locator(slide=i + 1), p) for i, p in enumerate(parts)]
    elif kind == "cues":
        lines = [ln for ln in text.splitlines() if ln.strip()]
        segs = [Segment(path, i, Locator(cue=i + 1, start_ms=i * 6000, end_ms=i * 6000 + 5000), ln)
                for i, ln in enumerate(lines)]
    else:
        segs = [Segment(path, i, Locator(line=i + 1), ln)
                for i, ln in enumerate(text.splitlines()) if ln.strip()]
    return FileRecord(path=path, size=len(text), sha256=path, role=spec["role"],
                      format=Path(path).suffix.lstrip(".") or "md", segments=segs)


def package_of(course: dict) -> Package:
    return Package(source="/" + course["id"], kind="dir", files=[_record(f) for f in course["files"]],
                   digest="sha256:" + course["id"], manifest=None)


def _key(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", text.lower())


def score(rules, courses: list[dict], verbose: bool = True) -> dict[str, float]:
    """``rules``: the rule sets by kind (as :func:`shipped_rules` gives), or one coverage rule set."""
    rulesets = rules if isinstance(rules, dict) else {"coverage": [rules]}
    tot = {"topics": 0, "extracted": 0, "right": 0, "tp": 0, "fp": 0, "fn": 0,
           "non_topic_lines": 0, "non_topic_reported": 0, "extra": 0}
    for course in courses:
        result = check_coverage(CheckContext(package=package_of(course),
                                             rules=rulesets))
        got = {_key(t.title): t for t in (result.coverage.topics if result.coverage else [])}
        labels = course["labels"]
        wanted = {_key(t["title"]): t for t in labels["topics"]}
        non = [_key(n) for n in labels["non_topics"]]
        c = dict.fromkeys(tot, 0)
        c["topics"] = len(wanted)
        c["non_topic_lines"] = len(non)
        for key, label in wanted.items():
            found = got.get(key)
            taught = label["how"] != "absent"
            if found is None:
                if not taught:
                    c["fn"] += 1  # never reported: an untaught topic missed
                if verbose:
                    print(f"  [{course['id']}] not extracted: {label['title']}")
                continue
            c["extracted"] += 1
            if found.covered == taught:
                c["right"] += 1
            if not found.covered and not taught:
                c["tp"] += 1
            elif not found.covered and taught:
                c["fp"] += 1
            elif found.covered and not taught:
                c["fn"] += 1
            if verbose and found.covered != taught:
                print(f"  [{course['id']}] wrong: {label['title']} ({label['how']}) "
                      f"covered={found.covered} score={found.score:.2f}")
        for key, t in got.items():
            if key in wanted:
                continue
            if any(key and (key in n or n in key) for n in non):
                c["non_topic_reported"] += 1
                kind = "non-topic"
            else:
                c["extra"] += 1
                kind = "extra"
            if verbose:
                print(f"  [{course['id']}] {kind} reported as topic: {t.title!r} "
                      f"covered={t.covered}")
        for k in tot:
            tot[k] += c[k]
    p = tot["tp"] / (tot["tp"] + tot["fp"]) if tot["tp"] + tot["fp"] else 0.0
    r = tot["tp"] / (tot["tp"] + tot["fn"]) if tot["tp"] + tot["fn"] else 0.0
    out = {"topic_accuracy": tot["right"] / tot["topics"],
           "extracted": tot["extracted"] / tot["topics"],
           "uncovered_precision": p, "uncovered_recall": r,
           "non_topic_reported": tot["non_topic_reported"], "non_topic_lines": tot["non_topic_lines"],
           "extra": tot["extra"]}
    if verbose:
        print("coverage paraphrase set: {topics} topics; extracted {ex:.2f}; topics right "
              "{acc:.3f}; uncovered precision {p:.3f} recall {r:.3f}; non-topic lines reported "
              "{nr}/{nl}; other extra topics {extra}".format(
                  topics=tot["topics"], ex=out["extracted"], acc=out["topic_accuracy"], p=p, r=r,
                  nr=tot["non_topic_reported"], nl=tot["non_topic_lines"], extra=tot["extra"]))
    return out


def shipped_rules() -> dict[str, list]:
    """The coverage rules as shipped: lexicons/coverage.yaml and the subject glossaries
    (lexicons/glossary-*.yaml), by kind."""
    out: dict[str, list] = {"coverage": [], "glossary": []}
    for path in [SHIPPED, *sorted(SHIPPED.parent.glob("glossary-*.yaml"))]:
        parsed = parse_rule_text(path.read_text(encoding="utf-8"), str(path))
        out[parsed.kind].append(parsed.rules)
    return out


def load_courses(cases: Path) -> list[dict]:
    """The labelled courses of a ``cases.yaml``."""
    return yaml.safe_load(cases.read_text(encoding="utf-8"))["courses"]


def assert_meets(got: dict, min_topic_accuracy: float) -> None:
    """Every topic extracted, no non-topic or extra topic, every untaught topic reported."""
    assert got["extracted"] == 1.0 and got["non_topic_reported"] == 0 and got["extra"] == 0
    assert got["uncovered_recall"] == 1.0
    assert got["topic_accuracy"] >= min_topic_accuracy


@pytest.fixture(scope="module")
def rules():
    return shipped_rules()


@pytest.fixture(scope="module")
def courses():
    return load_courses(CASES)


def test_paraphrase_set(rules, courses):
    got = score(rules, courses)
    # First run (before issue 8's work): topics right 0.324, non-topic lines 6/26; with the
    # semantic score 0.412; with passage assignment 0.676; with the subject glossaries
    # (lexicons/glossary-*.yaml, written without seeing this set) 0.853.
    # Untaught topics must all stay reported and no non-topic line may become a topic.
    assert_meets(got, min_topic_accuracy=0.85)


if __name__ == "__main__":
    score(shipped_rules(), load_courses(CASES))
