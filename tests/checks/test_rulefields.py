"""One set of field readers and one embedded-example runner for every rule kind (issue 12)."""

from __future__ import annotations

import pytest

from reviewer.checks import rulefields as rf
from reviewer.checks.rulefile import RuleFileError


def test_the_runner_keeps_file_order_and_takes_one_several_or_no_problems():
    seen = []

    def judge(kind, example):
        seen.append((kind, example))
        if example == "ok":
            return None
        return [f"{kind} {example}: a", f"{kind} {example}: b"] if example == "two" else f"{kind} {example}"

    failures = rf.run_examples([("match", ["ok", "x"]), ("no_match", ["two", "ok"])], judge)
    assert seen == [("match", "ok"), ("match", "x"), ("no_match", "two"), ("no_match", "ok")]
    assert failures == ["match x", "no_match two: a", "no_match two: b"]
    err = rf.examples_failed("f.yaml", failures, 7)
    assert (err.line, err.problem) == (7, "tests: embedded examples failed: match x; "
                                          "no_match two: a; no_match two: b")
    assert rf.examples_failed("f.yaml", ["y"], where="email.publication.tests").problem.startswith(
        "email.publication.tests: embedded examples failed")


@pytest.mark.parametrize("value, lo, hi, said", [
    ("0.5", 0.0, 1.0, "between 0 and 1"), (True, 0.0, None, "≥ 0"), (-1, 0.0, None, "≥ 0"),
    (1.5, 0.0, 1.0, "between 0 and 1")])
def test_a_number_out_of_bounds_names_its_field_and_line(value, lo, hi, said):
    with pytest.raises(RuleFileError) as err:
        rf.number(value, "c.yaml", "semantic.cover", lo=lo, hi=hi, line=12)
    assert err.value.line == 12 and err.value.problem == f"semantic.cover: a number {said} is required"
    assert rf.number(0.25, "c.yaml", "semantic.cover", lo=0.0, hi=1.0) == 0.25


def test_every_reader_can_name_the_line():
    for call in (lambda: rf.regex("(unclosed", "r.yaml", "p", line=3),
                 lambda: rf.strings("x", "r.yaml", "p", line=3),
                 lambda: rf.message(5, "r.yaml", "p", line=3)):
        with pytest.raises(RuleFileError) as err:
            call()
        assert err.value.line == 3 and err.value.problem.startswith("p: ")
