"""The expectations helper: validation of malformed files and finding matching (room: tests)."""

from __future__ import annotations

import pytest

from tests.samples import expectations as ex

GOOD = {
    "package": "p",
    "findings": [{"check": "pii", "file": "a.pdf", "location": {"page": 2}, "match": "13826457193"},
                 {"check": "coverage", "file": "course.yaml", "match": "无线"}],
    "decoys": [{"file": "b.srt", "location": {"cue": 9}, "text": "替代考虑", "checks": ["lexicon"]}],
}


def test_a_good_document_validates():
    assert ex.validate(GOOD) == []


@pytest.mark.parametrize("mutate,fragment", [
    (lambda d: d.pop("package"), "'package'"),
    (lambda d: d.__setitem__("findings", {}), "'findings' must be a list"),
    (lambda d: d["findings"][0].__setitem__("check", "spelling"), "'check' must be one of"),
    (lambda d: d["findings"][0].pop("file"), "'file'"),
    (lambda d: d["findings"][0].__setitem__("match", ""), "'match'"),
    (lambda d: d["findings"][0].__setitem__("location", {"page": 0}), "positive integer"),
    (lambda d: d["findings"][0].__setitem__("location", {"page": 1, "cue": 2}), "exactly one"),
    (lambda d: d["findings"][0].__setitem__("location", {"column": 3}), "exactly one"),
    (lambda d: d["findings"][0].__setitem__("location", {"page": 1, "col": 3}), "unknown location keys"),
    (lambda d: d["findings"][0].__setitem__("location", {"page": True}), "positive integer"),
    (lambda d: d["decoys"][0].pop("location"), "needs a 'location'"),
    (lambda d: d["decoys"][0].__setitem__("checks", []), "'checks'"),
    (lambda d: d["decoys"][0].__setitem__("checks", ["nope"]), "'checks'"),
    (lambda d: d["decoys"].append("text"), "must be a mapping"),
    (lambda d: d["decoys"][0].__setitem__("tolerate_severity", ["low"]), "'tolerate_severity'"),
    (lambda d: d["decoys"][0].__setitem__("tolerate_severity", "info"), "'tolerate_severity'"),
])
def test_malformed_documents_are_named(mutate, fragment):
    import copy

    doc = copy.deepcopy(GOOD)
    mutate(doc)
    errors = ex.validate(doc, "x.yaml")
    assert errors and any(fragment in e for e in errors), errors
    assert all(e.startswith("x.yaml") for e in errors)


def test_non_mapping_and_bad_yaml(tmp_path):
    assert ex.validate(["a"]) == ["expectations: top level must be a mapping"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("package: [unclosed\n", encoding="utf-8")
    with pytest.raises(ex.ExpectationError, match="not valid YAML"):
        ex.load(bad)
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("package: p\nfindings: []\n", encoding="utf-8")
    with pytest.raises(ex.ExpectationError, match="'decoys' must be a list"):
        ex.load(wrong)


def finding(**kw):
    base = {"check": "pii", "file": "a.pdf", "location": {"page": 2}, "match": "13826457193",
            "category": "personal-data", "rule": "mobile", "message": {"zh": "手机号", "en": "phone"}}
    base.update(kw)
    return base


def test_satisfies_needs_check_file_location_and_match():
    seed = GOOD["findings"][0]
    assert ex.satisfies(finding(), seed)
    assert ex.satisfies(finding(match="手机 13826457193"), seed)
    assert not ex.satisfies(finding(check="lexicon"), seed)
    assert not ex.satisfies(finding(file="b.pdf"), seed)
    assert not ex.satisfies(finding(location={"page": 3}), seed)
    assert not ex.satisfies(finding(match="1382645"), seed)
    assert not ex.satisfies(finding(), dict(seed, category="cheating-ads"))
    assert not ex.satisfies(finding(), dict(seed, rule="id-number"))


def test_whole_file_expectations_may_match_the_message():
    seed = GOOD["findings"][1]
    f = finding(check="coverage", file="course.yaml", location={}, match="",
                message={"zh": "主题“无线与移动网络”没有讲到", "en": "not taught"})
    assert ex.satisfies(f, seed)
    assert not ex.satisfies(dict(f, message={"zh": "别的", "en": "other"}), seed)


def test_flags_decoy():
    decoy = GOOD["decoys"][0]
    hit = {"check": "lexicon", "file": "b.srt", "location": {"cue": 9, "start": "x"}, "match": "代考"}
    assert ex.flags_decoy(hit, decoy)
    assert not ex.flags_decoy(dict(hit, check="pii"), decoy)
    assert not ex.flags_decoy(dict(hit, location={"cue": 10}), decoy)
    assert not ex.flags_decoy(dict(hit, match="刷课"), decoy)
    assert not ex.flags_decoy(dict(hit, match=""), decoy)
    tolerant = dict(decoy, tolerate_severity=["info"])
    assert ex.flags_decoy(dict(hit, severity="warning"), tolerant)
    assert not ex.flags_decoy(dict(hit, severity="info"), tolerant)


def test_evaluate_reports_missed_seeds_and_flagged_decoys():
    found = finding()
    decoy_hit = {"check": "lexicon", "file": "b.srt", "location": {"cue": 9}, "match": "代考",
                 "severity": "warning"}
    missed, flagged = ex.evaluate([found, decoy_hit], GOOD)
    assert [m["match"] for m in missed] == ["无线"]
    assert len(flagged) == 1 and flagged[0][1] == [decoy_hit]
    missed, flagged = ex.evaluate([], GOOD)
    assert len(missed) == 2 and flagged == []
