"""Rule files' regular expressions are compiled on first use (issue 10, cold start).

A cached rule file unpickles its patterns as source and flags (``LazyPattern``); a scan
compiles only the patterns it reaches, and none behind a word gate that stays shut.  A
malformed pattern is still a rule-file error, with file and line, when the file is loaded
or checked.  Compiles are counted through ``rulefields._compile``, never timed.
"""

from __future__ import annotations

import pickle
import re
import textwrap
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from reviewer.checks import rulefields
from reviewer.checks.rulefields import LazyPattern, lazy_regex
from reviewer.checks.rulefile import ParsedRuleFile, RuleFileError, parse_rule_text
from reviewer.ingest.model import FileRecord, Locator, Package, Segment
from reviewer.paths import cache_dir
from reviewer.service import lexicons as svc

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "lexicons"


@pytest.fixture
def compiles(monkeypatch):
    """Every pattern a LazyPattern compiles, in order."""
    seen: list[str] = []
    real = rulefields._compile

    def counting(pattern, flags):
        seen.append(pattern)
        return real(pattern, flags)

    monkeypatch.setattr(rulefields, "_compile", counting)
    return seen


# ------------------------------------------------------------------ the pattern itself

CASES = [
    (r"(?P<word>[a-z]+)@(?P<host>\w+)", 0, "mail zhang@pku or li@thu now"),
    (r"截至\s*(\d{4})", 0, "截至 2015 年，截至2016年"),
    (r"^abstract\b|keywords", re.IGNORECASE | re.MULTILINE, "Title\nABSTRACT here\nKeywords: x"),
    (r"\s*", 0, "  a  b "),
    (r"(?=[最目])(?:最新|目前)", re.IGNORECASE, "目前最新的是"),
]


@pytest.mark.parametrize("source,flags,text", CASES)
def test_a_lazy_pattern_answers_like_the_compiled_one(source, flags, text):
    plain = re.compile(source, flags)
    for lazy in (LazyPattern(source, flags), lazy_regex(source, flags),
                 pickle.loads(pickle.dumps(LazyPattern(source, flags)))):
        assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in plain.finditer(text)]
        assert [m.span() for m in lazy.finditer(text, 2, len(text) - 1)] == \
            [m.span() for m in plain.finditer(text, 2, len(text) - 1)]
        for method in ("search", "match", "fullmatch"):
            for args in ((text,), (text, 1), (text, 1, len(text) - 2)):
                got, want = getattr(lazy, method)(*args), getattr(plain, method)(*args)
                assert (got and (got.span(), got.groups())) == (want and (want.span(), want.groups()))
        assert lazy.findall(text) == plain.findall(text)
        assert lazy.sub("#", text) == plain.sub("#", text)
        assert lazy.subn("#", text, 1) == plain.subn("#", text, 1)
        assert lazy.split(text) == plain.split(text)
        assert lazy.groupindex == plain.groupindex and lazy.groups == plain.groups
        assert lazy.compiled is re.compile(source, flags)  # re's own cache: the same object
        assert (lazy.pattern, lazy.flags) == (source, flags)


def test_pickling_keeps_the_source_not_the_compiled_pattern(compiles):
    used = lazy_regex(r"版本\s*(\d+)", re.IGNORECASE)
    assert used.is_compiled and compiles == [r"版本\s*(\d+)"]
    assert used.search("最新版本 3").group(1) == "3"
    data = pickle.dumps(used, protocol=pickle.HIGHEST_PROTOCOL)
    assert b"_compile" not in data  # an re.Pattern pickles as a call to re._compile
    again = pickle.loads(data)
    assert not again.is_compiled and len(compiles) == 1
    assert again == used and hash(again) == hash(used) and "版本" in repr(again)
    assert again.search("最新版本 3").group(1) == "3"
    assert again.is_compiled and len(compiles) == 2
    again.search("版本 4")
    again.finditer("版本 4")
    assert len(compiles) == 2  # compiled once, then the compiled pattern's own methods
    with pytest.raises(AttributeError):
        again.no_such_method  # noqa: B018 - an unknown name is not a reason to compile


def test_lazy_regex_raises_as_re_compile_does():
    with pytest.raises(re.error):
        lazy_regex("(unclosed")


# ------------------------------------------------------------------ bad patterns at load time

PII_BAD = textwrap.dedent("""\
    id: pii-bad
    kind: pii
    mobile:
      pattern: '(1[3-9]\\d{9}'
    """)

TERMS_BAD = textwrap.dedent("""\
    id: terms-bad
    name: Demo
    category: demo
    severity: warning
    message: "hit {term}"
    terms: [代刷网课]
    patterns:
      - pattern: 'ok[0-9]+'
      - pattern: '(unclosed'
    """)

CURRENCY_BAD = textwrap.dedent("""\
    id: currency-bad
    kind: currency
    words: [最新, 目前]
    message: "old {year}"
    not_year_after: '[年'
    """)

COVERAGE_BAD = (SHIPPED / "coverage.yaml").read_text(encoding="utf-8").replace(
    "  not_topics:\n", "  not_topics:\n    - '(oops'\n", 1)


@pytest.mark.parametrize("name,text,line,what", [
    ("pii.yaml", PII_BAD, 4, "mobile.pattern"),
    ("terms.yaml", TERMS_BAD, 9, "(unclosed"),
    ("currency.yaml", CURRENCY_BAD, 5, "not_year_after"),
])
def test_a_malformed_pattern_is_a_rule_file_error_with_file_and_line(tmp_path, name, text,
                                                                      line, what):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    for use_cache in (True, False):
        with pytest.raises(RuleFileError) as err:
            svc.load_rule_file(path, use_cache=use_cache)
        assert (err.value.source, err.value.line) == (str(path), line)
        assert what in err.value.problem
    assert not list((cache_dir() / "lexicons").glob("*.pickle"))  # nothing cached
    files, errors = svc.load_rule_files([path], include_shipped=False)
    assert files == [] and [e.line for e in errors] == [line]


def test_a_malformed_coverage_pattern_is_an_error_too(tmp_path):
    assert "    - '(oops'\n" in COVERAGE_BAD
    line = COVERAGE_BAD.splitlines().index("    - '(oops'") + 1
    with pytest.raises(RuleFileError) as err:
        parse_rule_text(COVERAGE_BAD, "coverage.yaml")
    assert "topics.not_topics.0: invalid regular expression" in err.value.problem
    assert err.value.line == line


def test_lexicon_check_reports_a_malformed_pattern(tmp_path):
    from reviewer.cli import cli

    (tmp_path / "pii.yaml").write_text(PII_BAD, encoding="utf-8")
    (tmp_path / "terms.yaml").write_text(TERMS_BAD, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--lang", "en", "lexicon", "check", str(tmp_path)],
                                obj={}, catch_exceptions=False)
    assert result.exit_code == 1
    assert f"{tmp_path / 'pii.yaml'}:4: mobile.pattern: invalid regular expression" in result.stdout
    assert f"{tmp_path / 'terms.yaml'}:9: bad regular expression '(unclosed'" in result.stdout


# ------------------------------------------------------------------ the on-disk cache

def _cached(path: Path) -> ParsedRuleFile:
    """``path`` loaded twice: the second time from the cache (nothing parsed)."""
    svc.load_rule_file(path)
    [entry] = (cache_dir() / "lexicons").glob(f"{svc.read_rule_text(path)[1]}-*.pickle")
    assert entry.is_file()
    return svc.load_rule_file(path)


def test_a_cached_rule_file_compiles_no_pattern_when_loaded(tmp_path, compiles, monkeypatch):
    for name in ("pii.yaml", "currency.yaml", "cheating-ads.yaml", "coverage.yaml"):
        (tmp_path / name).write_bytes((SHIPPED / name).read_bytes())
        svc.load_rule_file(tmp_path / name)
    assert compiles  # parsing compiled (and so checked) every pattern
    compiles.clear()
    monkeypatch.setattr(svc, "parse_rule_text", lambda *a, **k: pytest.fail("parsed again"))
    loaded = [svc.load_rule_file(tmp_path / name)
              for name in ("pii.yaml", "currency.yaml", "cheating-ads.yaml", "coverage.yaml")]
    assert compiles == []
    pii = loaded[0].rules
    assert isinstance(pii.mobile, LazyPattern) and not pii.mobile.is_compiled
    assert loaded[2].rules.patterns and not loaded[2].rules.patterns[0].regex.is_compiled


def test_an_old_format_cache_file_is_rebuilt_not_used(tmp_path, monkeypatch):
    """A cache file of the old layout (a bare ParsedRuleFile holding compiled re.Pattern
    objects) where the new one is looked for: parsed again and overwritten."""
    path = tmp_path / "pii.yaml"
    path.write_bytes((SHIPPED / "pii.yaml").read_bytes())
    svc.load_rule_file(path)
    [entry] = (cache_dir() / "lexicons").glob("*.pickle")
    old = ParsedRuleFile(id="pii", kind="pii", source=str(path), sha256="x",
                         rules={"mobile": re.compile(r"1[3-9]\d{9}")})
    entry.write_bytes(pickle.dumps(old, protocol=pickle.HIGHEST_PROTOCOL))
    calls = []
    real = svc.parse_rule_text
    monkeypatch.setattr(svc, "parse_rule_text", lambda *a, **k: calls.append(a) or real(*a, **k))
    loaded = svc.load_rule_file(path)
    assert len(calls) == 1 and isinstance(loaded.rules.mobile, LazyPattern)
    stored = pickle.loads(entry.read_bytes())
    assert stored[0] == svc.RULE_CACHE_FORMAT and stored[1].id == "pii"
    assert svc.load_rule_file(path).rules.mobile.pattern == loaded.rules.mobile.pattern
    assert len(calls) == 1  # the rewritten entry is used


def test_the_cache_format_is_part_of_the_cache_key(monkeypatch):
    before = svc.code_version()
    svc.code_version.cache_clear()
    monkeypatch.setattr(svc, "RULE_CACHE_FORMAT", svc.RULE_CACHE_FORMAT + 1)
    try:
        assert svc.code_version() != before
    finally:
        svc.code_version.cache_clear()


# ------------------------------------------------------------------ gates keep patterns shut

def _package(*texts: str) -> Package:
    segs = [Segment(file="notes/a.md", ordinal=i, locator=Locator(line=i + 1), text=t)
            for i, t in enumerate(texts)]
    record = FileRecord(path="notes/a.md", size=1, sha256="x", role="notes", segments=segs)
    return Package(source="/p", kind="dir", files=[record], digest="sha256:0")


QUIET = ("二叉树的遍历有先序、中序和后序三种方式。", "栈是一种后进先出的线性表。")


def test_a_scan_whose_gates_stay_shut_compiles_none_of_their_patterns(tmp_path, compiles):
    from reviewer.checks.model import CheckContext
    from reviewer.checks.outdated import check_outdated
    from reviewer.checks.pii import check_pii

    for name in ("pii.yaml", "currency.yaml"):
        (tmp_path / name).write_bytes((SHIPPED / name).read_bytes())
    pii, currency = (_cached(tmp_path / n).rules for n in ("pii.yaml", "currency.yaml"))
    compiles.clear()
    ctx = CheckContext(package=_package(*QUIET), rules={"pii": [pii], "currency": [currency]},
                       term_date=date(2025, 9, 1))
    assert check_pii(ctx).findings == [] and check_outdated(ctx).findings == []
    # pii's own gate is a cheap regex over the joined text; nothing behind it was reached
    assert compiles == [pii.prefilter.pattern]
    assert not currency.words.is_compiled and not pii.mobile.is_compiled

    # The same rules on text that opens both gates: their patterns are compiled then.
    loud = _package("截至2015年，我国网民规模达6.88亿。", "联系电话：13812345678")
    ctx = CheckContext(package=loud, rules={"pii": [pii], "currency": [currency]},
                       term_date=date(2025, 9, 1))
    assert check_outdated(ctx).findings and check_pii(ctx).findings
    assert currency.words.pattern in compiles and pii.mobile.pattern in compiles
