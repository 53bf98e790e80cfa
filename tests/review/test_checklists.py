"""Checklists are data: the shipped ones load, malformed ones fail with file and line."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import yaml

from reviewer.paths import checklists_dir, schemas_dir
from reviewer.review.checklist import combine, parse_checklist
from reviewer.review.errors import ChecklistError
from reviewer.service.review import load_checklists

GOOD = textwrap.dedent("""\
    id: demo
    name: {zh: 演示, en: Demo}
    items:
      - id: D1
        question: {zh: 问题一？, en: "Question one?"}
        guidance: {zh: 指引, en: Guidance}
        evidence:
          - {check: lexicon, category: [political, cheating-ads]}
          - {manifest: responsible_teacher, expect: present}
        blocking: true
        regulation: {articles: [3]}
      - id: D2
        question: {zh: 问题二？, en: "Question two?"}
        guidance: {zh: 指引, en: Guidance}
        evidence: []
        blocking: false
        comment_required: [pass]
        regulation: {articles: [5], quote: {zh: 及时更新课程内容}}
    """)


def _problems(text: str, source: str = "bad.yaml") -> list:
    with pytest.raises(ChecklistError) as err:
        parse_checklist(text, source)
    assert err.value.problems, "a ChecklistError must list its problems"
    for p in err.value.problems:
        assert p.source == source
    return err.value.problems


def test_shipped_checklists_load_with_enough_items_from_the_regulation():
    cls = load_checklists()
    assert [c.id for c in cls.checklists] == ["political", "academic", "quality"]
    items = list(cls.items())
    assert len(items) >= 15
    assert all(len(c.items) >= 5 for c in cls.checklists)
    for item in items:
        assert item.question["zh"] and item.question["en"]
        assert item.guidance["zh"] and item.guidance["en"]
        assert {"fail", "na"} <= item.comment_required
        assert item.regulation["articles"]
    articles = {a for i in items for a in i.regulation["articles"]}
    assert {2, 3, 4, 5, 9, 11, 12, 15, 17} <= articles
    assert sum(1 for i in items if i.blocking) >= 10
    assert cls.digest.startswith("sha256:") and len(cls.digests) == 3


def test_shipped_checklists_validate_against_the_published_schema():
    from jsonschema import Draft202012Validator

    schema = json.loads((schemas_dir() / "checklist.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    for path in sorted(checklists_dir().glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        errors = list(Draft202012Validator(schema).iter_errors(data))
        assert errors == [], (path.name, [e.message for e in errors])


def test_shipped_checklists_point_at_checks_that_exist():
    from reviewer.checks.registry import all_checks

    known = set(all_checks()) | {"lexicon", "outdated", "coverage", "completeness", "pii", "ingest"}
    for item in load_checklists().items():
        for ev in item.finding_selectors():
            assert ev.check in known, (item.id, ev.check)


def test_shipped_selectors_name_categories_and_rules_the_checks_emit():
    """Catch drift between checklists and checks: every category/rule a selector names exists."""
    root = Path(__file__).resolve().parents[2]
    lexicon_categories, rule_ids = set(), set()
    for path in (root / "lexicons").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        rule_ids.add(str(data.get("id")))
        lexicon_categories.add(str(data.get("category")))
        for term in data.get("terms") or []:
            if isinstance(term, dict) and term.get("category"):
                lexicon_categories.add(str(term["category"]))
    check_sources = "\n".join(p.read_text(encoding="utf-8")
                              for p in (root / "reviewer" / "checks").glob("*.py"))
    for item in load_checklists().items():
        for ev in item.finding_selectors():
            if ev.check == "lexicon":
                assert set(ev.categories) <= lexicon_categories, (item.id, ev.categories)
            for rule in ev.rules:
                assert rule in rule_ids or f'"{rule}"' in check_sources, (item.id, rule)


def test_a_good_checklist_parses_with_defaults():
    cl = parse_checklist(GOOD, "demo.yaml")
    d1, d2 = cl.items
    assert d1.comment_required == {"fail", "na"}
    assert d2.comment_required == {"pass", "fail", "na"}  # fail/na always need one
    assert d1.evidence[0].categories == ("political", "cheating-ads")
    assert d1.evidence[0].matches("lexicon", "political", "r", "error")
    assert not d1.evidence[0].matches("lexicon", "advertising", "r", "error")
    assert not d1.evidence[0].matches("pii", "political", "r", "error")
    assert d1.line == 4 and d2.line == 12


def test_yaml_syntax_error_names_file_and_line():
    text = GOOD.replace("    blocking: false", "    blocking: [false")
    (p,) = _problems(text, "syntax.yaml")
    assert p.line is not None and 16 <= p.line <= 19
    assert "syntax.yaml:" in str(p) and "YAML" in p.message


def test_missing_field_names_the_item_line():
    text = GOOD.replace("    guidance: {zh: 指引, en: Guidance}\n    evidence: []", "    evidence: []")
    problems = _problems(text)
    assert any(p.line == 12 and "guidance" in p.message for p in problems), problems


def test_wrong_type_names_the_value_line():
    text = GOOD.replace("    blocking: true", "    blocking: yes please")
    problems = _problems(text)
    assert [(p.line, "blocking" in p.message) for p in problems] == [(10, True)]


def test_duplicate_item_ids_name_the_second_one():
    text = GOOD.replace("id: D2", "id: D1")
    problems = _problems(text)
    assert len(problems) == 1 and problems[0].line == 12
    assert "duplicate item id 'D1'" in problems[0].message and "line 4" in problems[0].message


def test_duplicate_yaml_keys_are_refused():
    text = GOOD.replace("    blocking: true", "    blocking: true\n    blocking: false")
    problems = _problems(text)
    assert problems[0].line == 11 and "duplicate key 'blocking'" in problems[0].message


def test_bad_evidence_selector_explains_itself():
    text = GOOD.replace("{manifest: responsible_teacher, expect: present}",
                        "{manifest: teacher_in_charge}")
    problems = _problems(text)
    assert problems[0].line == 9 and "teacher_in_charge" in problems[0].message
    text = GOOD.replace("{manifest: responsible_teacher, expect: present}", "{file: x.pdf}")
    problems = _problems(text)
    assert problems[0].line == 9 and "check" in problems[0].message


def test_bad_answer_name_in_comment_required_and_missing_language():
    problems = _problems(GOOD.replace("comment_required: [pass]", "comment_required: [maybe]"))
    assert problems[0].line == 17
    problems = _problems(GOOD.replace('question: {zh: 问题二？, en: "Question two?"}',
                                      "question: {zh: 问题二？}"))
    assert problems[0].line == 13 and "'en'" in problems[0].message


@pytest.mark.parametrize("text", ["", "# only a comment\n", "- just\n- a list\n", "id: x\n"])
def test_empty_or_wrong_shape_documents_are_refused(text):
    _problems(text)


def test_duplicate_ids_across_files_are_refused():
    a = parse_checklist(GOOD, "a.yaml")
    b = parse_checklist(GOOD.replace("id: demo", "id: other"), "b.yaml")
    with pytest.raises(ChecklistError) as err:
        combine([a, b])
    assert any("b.yaml:4" in str(p) and "a.yaml:4" in str(p) for p in err.value.problems)
    with pytest.raises(ChecklistError):
        combine([a, parse_checklist(GOOD, "c.yaml")])


def test_load_checklists_reports_every_bad_file(tmp_path: Path):
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.yaml").write_text("id: b\nname: [\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_bytes("id: c\nname: {zh: 中, en: x}\n".encode("gbk"))
    with pytest.raises(ChecklistError) as err:
        load_checklists([tmp_path])
    sources = {Path(p.source).name for p in err.value.problems}
    assert sources == {"b.yaml", "c.yaml"}
    (tmp_path / "b.yaml").unlink()
    (tmp_path / "c.yaml").unlink()
    cls = load_checklists([tmp_path])
    assert [i.id for i in cls.items()] == ["D1", "D2"]
    with pytest.raises(ChecklistError):
        load_checklists([tmp_path / "missing"])


def test_a_byte_order_mark_is_fine(tmp_path: Path):
    (tmp_path / "bom.yaml").write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    assert [c.id for c in load_checklists([tmp_path]).checklists] == ["demo"]


def test_env_var_selects_other_checklists(tmp_path: Path, monkeypatch):
    (tmp_path / "demo.yaml").write_text(GOOD, encoding="utf-8")
    monkeypatch.setenv("REVIEWER_CHECKLISTS", str(tmp_path))
    assert [c.id for c in load_checklists().checklists] == ["demo"]


def test_code_holds_no_checklist_text():
    """The questions live in YAML only (rule 2 of the architecture)."""
    src = Path(__file__).resolve().parents[2] / "reviewer"
    questions = [i.question["zh"][:12] for i in load_checklists().items()]
    for path in src.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not any(q in text for q in questions), path


def test_deeply_nested_checklist_is_a_checklist_error():
    with pytest.raises(ChecklistError) as exc:
        parse_checklist("items: " + "[" * 100_000 + "]" * 100_000 + "\n", "deep.yaml")
    assert "deep.yaml" in str(exc.value) and "nested too deeply" in str(exc.value)


def test_parsed_checklists_are_kept_in_the_cache_folder(tmp_path: Path):
    """A new process takes the parsed checklists from the cache folder: no jsonschema."""
    import os
    import subprocess
    import sys

    (tmp_path / "cl").mkdir()
    (tmp_path / "cl" / "demo.yaml").write_text(GOOD, encoding="utf-8")
    child = ("import sys; from reviewer.service.review import load_checklists; "
             "items = [i.id for i in load_checklists([sys.argv[1]]).items()]; "
             "print(','.join(items), 'jsonschema' in sys.modules)")
    env = dict(os.environ, REVIEWER_HOME=str(tmp_path / "home"))

    def run() -> str:
        out = subprocess.run([sys.executable, "-c", child, str(tmp_path / "cl")], env=env,
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    assert run() == "D1,D2 True"  # parsed and validated, then kept
    assert run() == "D1,D2 False"  # from the cache folder
    (tmp_path / "cl" / "demo.yaml").write_text(GOOD.replace("id: D2", "id: D3"), encoding="utf-8")
    assert run() == "D1,D3 True"  # other bytes: parsed again


def test_a_cached_checklist_set_equals_a_parsed_one(tmp_path: Path):
    from reviewer.service import review

    (tmp_path / "demo.yaml").write_text(GOOD, encoding="utf-8")
    parsed = load_checklists([tmp_path])
    review._CACHE.clear()  # what a new process sees: only the cache folder
    cached = load_checklists([tmp_path])
    assert cached is not parsed and cached == parsed
    assert cached.item("D2") == parsed.item("D2")
