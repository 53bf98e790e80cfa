"""Rule files of kind ``terms``: YAML and schema errors name the file and line; tests gate loading."""

from __future__ import annotations

import pickle
import textwrap

import pytest

from reviewer.checks.lexicon import Lexicon, run_embedded_tests
from reviewer.checks.rulefile import (
    LineDict,
    ParsedRuleFile,
    RuleFileError,
    kinds,
    line_of,
    load_yaml,
    parse_rule_text,
)

GOOD = textwrap.dedent("""\
    id: demo
    name: {zh: 示例, en: Demo}
    category: cheating-ads
    severity: error
    message: {zh: "命中：{term}", en: "hit: {term}"}
    terms:
      - 代刷网课
      - {term: 包过, allow: [包过滤]}
    tests:
      match: [代 刷 网 课, 代刷網課]
      no_match: [防火墙的包过滤规则]
    """)


def parse(text: str, **kw) -> ParsedRuleFile:
    return parse_rule_text(textwrap.dedent(text), "demo.yaml", **kw)


def test_good_file_parses_to_a_lexicon():
    parsed = parse(GOOD)
    assert parsed.id == "demo" and parsed.kind == "terms" and parsed.source == "demo.yaml"
    assert isinstance(parsed.rules, Lexicon)
    assert [t.term for t in parsed.rules.terms] == ["代刷网课", "包过"]
    assert parsed.rules.check == "lexicon"
    assert "terms" in kinds()


def test_yaml_syntax_error_names_file_and_line():
    bad = GOOD.replace("severity: error", "severity: [error")
    with pytest.raises(RuleFileError) as err:
        parse(bad)
    assert err.value.source == "demo.yaml"
    assert err.value.line is not None and 4 <= err.value.line <= 6
    assert str(err.value).startswith("demo.yaml:")
    assert "YAML syntax" in str(err.value)


def test_tab_indentation_is_a_syntax_error_with_line():
    with pytest.raises(RuleFileError) as err:
        parse("id: x\nterms:\n\t- a\n")
    assert err.value.line == 3


def test_schema_error_names_the_offending_line():
    bad = GOOD.replace("severity: error", "severity: fatal")
    with pytest.raises(RuleFileError) as err:
        parse(bad)
    assert err.value.line == 4
    assert "severity" in str(err.value)


def test_schema_error_inside_a_term_points_at_the_term():
    bad = GOOD.replace("{term: 包过, allow: [包过滤]}", "{term: 包过, alow: [包过滤]}")
    with pytest.raises(RuleFileError) as err:
        parse(bad)
    assert err.value.line == 8


def test_unknown_field_and_missing_required_field():
    with pytest.raises(RuleFileError, match="colour"):
        parse(GOOD + "colour: red\n")
    with pytest.raises(RuleFileError, match="message"):
        parse(GOOD.replace('message: {zh: "命中：{term}", en: "hit: {term}"}\n', ""))


def test_no_terms_and_no_patterns_is_an_error():
    text = GOOD.split("terms:")[0]
    with pytest.raises(RuleFileError):
        parse(text)


def test_duplicate_key_is_an_error_with_line():
    with pytest.raises(RuleFileError) as err:
        parse(GOOD + "severity: warning\n")
    assert "duplicate key" in str(err.value)
    assert err.value.line == 12


def test_deeply_nested_yaml_is_a_rule_file_error():
    depth = 990  # below libyaml's own limit of 1000, above what the constructors can recurse
    nested = "".join("  " * (i + 1) + "a:\n" for i in range(depth)) + "  " * (depth + 1) + "b: 1\n"
    with pytest.raises(RuleFileError) as err:
        parse_rule_text("id: x\nterms: [a]\ndescription:\n" + nested, "deep.yaml")
    assert "nested too deeply" in str(err.value)


def test_not_a_mapping_and_missing_id_and_unknown_kind():
    with pytest.raises(RuleFileError, match="mapping"):
        parse("- a\n- b\n")
    with pytest.raises(RuleFileError, match="id"):
        parse(GOOD.replace("id: demo\n", ""))
    with pytest.raises(RuleFileError, match="unknown kind") as err:
        parse("kind: spells\n" + GOOD)
    assert err.value.line == 1
    with pytest.raises(RuleFileError):
        parse("")


def test_bad_regular_expression_names_its_line():
    text = GOOD.replace("tests:", "patterns:\n  - '(unclosed'\ntests:")
    with pytest.raises(RuleFileError) as err:
        parse(text)
    assert "regular expression" in str(err.value)
    assert err.value.line == 10


def test_term_that_normalises_to_nothing_is_an_error():
    text = GOOD.replace("  - 代刷网课\n", "  - 代刷网课\n  - '***'\n")
    with pytest.raises(RuleFileError, match="empty once normalised") as err:
        parse(text)
    assert err.value.line == 8


def test_failing_embedded_tests_stop_the_file_loading_and_are_listed():
    text = GOOD.replace("no_match: [防火墙的包过滤规则]", "no_match: [防火墙的包过滤规则, 代刷网课吗]")
    text = text.replace("match: [代 刷 网 课, 代刷網課]", "match: [代 刷 网 课, 代刷網課, 代考]")
    with pytest.raises(RuleFileError) as err:
        parse(text)
    message = str(err.value)
    assert "embedded tests failed" in message
    assert "'代考': found nothing" in message
    assert "'代刷网课吗': matched" in message
    assert err.value.line == 9


def test_tests_can_be_deferred_and_run_later():
    text = GOOD.replace("match: [代 刷 网 课, 代刷網課]", "match: [代考]")
    parsed = parse(text, run_tests=False)
    failures = run_embedded_tests(parsed.rules)
    assert len(failures) == 1 and "line 10" in failures[0]


def test_expected_severity_and_term_in_examples():
    text = GOOD.replace("match: [代 刷 网 课, 代刷網課]",
                        "match: [{text: 代刷网课, severity: warning}, {text: 代刷网课, term: 包过}]")
    with pytest.raises(RuleFileError) as err:
        parse(text)
    assert "expected severity warning" in str(err.value)
    assert "expected term '包过'" in str(err.value)


def test_dates_stay_strings_and_lines_are_remembered():
    data = load_yaml("a: 2021-01-01\nb:\n  - x\n  - {c: 1}\n", "t.yaml")
    assert isinstance(data, LineDict)
    assert data["a"] == "2021-01-01"
    assert line_of(data, ["b", 1, "c"]) == 4
    assert line_of(data, ["b", 0]) == 3
    assert line_of(data, ["missing", 3]) == 1


def test_compiled_lexicon_pickles_and_still_matches():
    parsed = parse(GOOD)
    clone = pickle.loads(pickle.dumps(parsed))
    assert not run_embedded_tests(clone.rules)
    assert clone.rules.find([_seg("代刷网课")])[0].term == "代刷网课"


def test_outdated_fields_and_check_name():
    text = textwrap.dedent("""\
        id: old
        check: outdated
        name: Old
        category: outdated
        severity: warning
        message: {zh: "{term} 已于 {since} 被 {replacement} 取代", en: "{term} replaced by {replacement} on {since}"}
        terms:
          - {term: 合同法, replacement: 民法典, since: 2021-01-01}
        tests:
          match: [《合同法》]
        """)
    lex = parse(text).rules
    assert lex.check == "outdated"
    assert lex.terms[0].since == "2021-01-01" and lex.terms[0].replacement == "民法典"
    bad = text.replace("since: 2021-01-01", "since: 2021-1-1")
    with pytest.raises(RuleFileError) as err:
        parse(bad)
    assert err.value.line == 8


def _seg(text):
    from reviewer.checks.lexicon import example_segment

    return example_segment(text)


def test_schema_error_among_many_plain_terms_reports_the_real_index_and_line():
    terms = "\n".join(f"  - 词{i}" for i in range(50)) + "\n  - {term: 坏, severity: loud}\n"
    text = GOOD.split("terms:")[0] + "terms:\n" + terms
    with pytest.raises(RuleFileError) as err:
        parse(text)
    assert "terms/50/severity" in str(err.value)
    assert err.value.line == 6 + 51
    empty = GOOD.split("terms:")[0] + "terms:\n" + "\n".join(f"  - 词{i}" for i in range(5)) + "\n  - ''\n"
    with pytest.raises(RuleFileError) as err:
        parse(empty)
    assert "terms/5" in str(err.value) and err.value.line == 12
