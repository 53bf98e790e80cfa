"""Check ``pii`` on ``tests/data/pii_addresses_labelled``: role addresses and the
syllabus's institutional addresses (issue 8: false alarms on real course folders).

Scored on (rule, matched original text, severity) in each case's scored file, with
the course staff found in all the case's files, as a package scan does.
``python tests/checks/test_pii_addresses_accuracy.py`` prints every disagreement."""

from __future__ import annotations

from pathlib import Path

import yaml

from reviewer.checks.pii import Staff, findings_for, parse_pii
from reviewer.ingest.model import FileRecord, Locator, Segment
from tests.checks.test_pii_hard_accuracy import load, report
from tests.checks.test_pii_hard_accuracy import score as hard_score

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "lexicons" / "pii.yaml"
CASES = ROOT / "tests" / "data" / "pii_addresses_labelled" / "cases.yaml"


def _records(case: dict) -> list[tuple[FileRecord, bool]]:
    out = []
    for i, spec in enumerate(case["files"]):
        path = f"{spec['role']}/f{i}.txt"
        seg = Segment(file=path, ordinal=0, locator=Locator(line=1), text=spec["text"])
        out.append((FileRecord(path=path, size=len(spec["text"]), sha256=path, role=spec["role"],
                               format="txt", segments=[seg]), bool(spec.get("scored"))))
    return out


def _found(rules, _index: int, case: dict) -> set[tuple[str, str, str]]:
    """Triples in the case's scored file, with the staff found in all its files."""
    records = _records(case)
    staff = Staff.from_manifest(None).with_named([r for r, _ in records], rules)
    return {(f.rule, f.match, f.severity)
            for record, scored in records if scored
            for f in findings_for(record.segments[0], record.role, rules, staff)}


def score(rules, cases: list[dict]):
    return hard_score(rules, cases, found=_found)


def _load():
    return load(CASES)


def test_address_set_precision_and_recall():
    rules, cases = _load()
    tp, fp, fn, wrong = score(rules, cases)
    assert (fp, fn) == (0, 0), wrong


def test_malformed_address_settings_name_their_field():
    import pytest

    from reviewer.checks.rulefile import RuleFileError

    for key, value, where in (("syllabus_staff", "yes", "email.syllabus_staff"),
                              ("role_severity", "low", "email.role_severity"),
                              ("role_local_parts", "contact", "email.role_local_parts"),
                              ("student_local_digits", -1, "email.student_local_digits")):
        raw = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
        raw["email"][key] = value
        with pytest.raises(RuleFileError, match=where):
            parse_pii(raw, str(SHIPPED))


def test_without_the_settings_addresses_are_anyones():
    raw = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    for key in ("syllabus_staff", "role_local_parts", "role_severity"):
        raw["email"].pop(key)
    raw["tests"]["match"] = [t for t in raw["tests"]["match"]
                             if not (isinstance(t, dict) and t.get("severity") and t.get("rule") == "email")]
    rules = parse_pii(raw, str(SHIPPED))
    _, cases = _load()
    tp, fp, fn, _ = score(rules, cases)
    assert fp and fn  # the settings are what makes the set pass


if __name__ == "__main__":
    report("pii address set", *_load(), found=_found)
