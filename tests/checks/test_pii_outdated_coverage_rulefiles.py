"""Malformed rule files of kinds pii, currency and coverage: a RuleFileError, never a crash."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from reviewer.checks.coverage import parse_coverage
from reviewer.checks.outdated import parse_currency
from reviewer.checks.pii import parse_pii
from reviewer.checks.rulefile import RuleFileError

ROOT = Path(__file__).resolve().parents[2] / "lexicons"
PARSERS = {"pii.yaml": parse_pii, "currency.yaml": parse_currency, "coverage.yaml": parse_coverage}
BAD_VALUES = [None, 0, -3, 2.5, True, "x", "(", [], [1, None], ["("], {}, {"a": None}, [[1]],
              [{"x": 1}]]


def _paths(data, prefix=()):
    """Every key path one and two levels deep."""
    for key, value in data.items():
        yield prefix + (key,)
        if isinstance(value, dict) and not prefix:
            yield from _paths(value, (key,))


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_every_key_with_every_wrong_type_is_refused_cleanly(name):
    parser = PARSERS[name]
    base = yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))
    tried = 0
    for path in _paths(base):
        for bad in BAD_VALUES:
            data = copy.deepcopy(base)
            node = data
            for step in path[:-1]:
                node = node[step]
            node[path[-1]] = bad
            try:
                parser(data, f"x/{name}")
            except RuleFileError as exc:
                assert f"x/{name}" in str(exc)
            tried += 1
    assert tried > 100


def test_every_shipped_rule_file_is_cached_compiled(tmp_path, monkeypatch):
    """pii and currency hold word gates (Aho-Corasick), which pickle as their words: every
    shipped file is kept compiled, and the cached form finds what the fresh one finds."""
    import pickle
    from pathlib import Path

    from reviewer.checks.pii import detect
    from reviewer.checks.registry import all_checks
    from reviewer.checks.rulefile import parse_rule_text

    all_checks()
    root = Path(__file__).resolve().parents[2] / "lexicons"
    for path in sorted(root.glob("*.yaml")):
        parsed = parse_rule_text(path.read_text(encoding="utf-8"), str(path))
        again = pickle.loads(pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL))
        assert again.id == parsed.id, path.name
    pii = parse_rule_text((root / "pii.yaml").read_text(encoding="utf-8"), "pii.yaml").rules
    cached = pickle.loads(pickle.dumps(pii))
    text = "有问题加我QQ：123456789，或发邮件到 zhang.san@pku.edu.cn"
    assert [h.text for h in detect(text, cached)] == [h.text for h in detect(text, pii)] != []
