"""A re-scan of an unchanged package with unchanged rule files parses no rule file:
the rules' digest is remembered under a fingerprint of the files' paths and bytes."""

from __future__ import annotations

import shutil

import pytest

from reviewer.service import lexicons as lex
from reviewer.service import scan as scan_service
from reviewer.store import open_db

WORDS = """\
id: local-words
kind: lexicon
category: sensitive
severity: warning
terms:
  - 本校禁用词
"""


@pytest.fixture()
def course(tmp_path, samples_dir):
    dst = tmp_path / "course"
    shutil.copytree(samples_dir / "zh-data-structures", dst)
    return dst


def _no_parsing(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the rule files were parsed")

    monkeypatch.setattr(scan_service, "load_rules", refuse)


def test_unchanged_rescan_takes_findings_over_without_parsing_rules(tmp_path, course, monkeypatch):
    db = open_db(tmp_path / "r.db")
    first = scan_service.scan(db, course)
    _no_parsing(monkeypatch)
    again = scan_service.scan(db, course)
    assert [f.id for f in again.findings] == [f.id for f in first.findings]
    assert again.extracted == 0


def test_an_edited_rule_file_is_read_again(tmp_path, course, monkeypatch):
    words = tmp_path / "words.yaml"
    words.write_text(WORDS, encoding="utf-8")
    db = open_db(tmp_path / "r.db")
    before = lex.rules_fingerprint([words])
    scan_service.scan(db, course, lexicons=[words])
    words.write_text(WORDS.replace("本校禁用词", "另一个词"), encoding="utf-8")
    after = lex.rules_fingerprint([words])
    assert before and after and before != after
    assert lex.remembered_summary(after) is None  # never seen: the rules must be parsed
    calls = []
    real = scan_service.load_rules
    monkeypatch.setattr(scan_service, "load_rules",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    scan_service.scan(db, course, lexicons=[words])
    assert calls == [1]


def test_summary_round_trip_and_damaged_or_missing_summaries(tmp_path):
    words = tmp_path / "words.yaml"
    words.write_text(WORDS, encoding="utf-8")
    key = lex.rules_fingerprint([words])
    assert key is not None and lex.remembered_summary(key) is None
    lex.remember_summary(key, "abc", [str(words)], ["a warning"])
    assert lex.remembered_summary(key) == ("abc", [str(words)], ["a warning"])
    lex._summary_file(key).write_text("{not json", encoding="utf-8")
    assert lex.remembered_summary(key) is None
    lex._summary_file(key).write_text('{"digest": 1, "files": [], "errors": []}', encoding="utf-8")
    assert lex.remembered_summary(key) is None
    assert lex.rules_fingerprint([tmp_path / "absent.yaml"]) is None
    assert lex.remembered_summary(None) is None
    lex.remember_summary(None, "abc", [], [])  # nothing to key it by: nothing written


def test_the_fingerprint_tells_shipped_only_from_user_only(tmp_path):
    words = tmp_path / "words.yaml"
    words.write_text(WORDS, encoding="utf-8")
    assert lex.rules_fingerprint([words], include_shipped=False) != lex.rules_fingerprint([words])
