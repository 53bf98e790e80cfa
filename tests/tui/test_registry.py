"""One registry of actions feeds bindings, help and the palette; every label is in both catalogs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reviewer.i18n import catalog
from reviewer.tui.actions import ACTIONS, SCOPES, actions_for, bindings_for

TUI = Path(__file__).resolve().parents[2] / "reviewer" / "tui"


def _scope_classes():
    from reviewer.tui.app import ReviewerApp
    from reviewer.tui.screens.library import LibraryScreen
    from reviewer.tui.screens.package import PackageScreen
    from reviewer.tui.screens.scan import ScanScreen
    from reviewer.tui.widgets.checklist_view import ChecklistView
    from reviewer.tui.widgets.coverage_view import CoverageView
    from reviewer.tui.widgets.findings_view import FindingsView
    from reviewer.tui.widgets.reader_view import ReaderView
    from reviewer.tui.widgets.summary_view import SummaryView
    from reviewer.tui.screens.team import TeamScreen

    return {"app": ReviewerApp, "library": LibraryScreen, "scan": ScanScreen,
            "package": PackageScreen, "findings": FindingsView, "reader": ReaderView,
            "coverage": CoverageView, "checklists": ChecklistView, "summary": SummaryView,
            "team": TeamScreen}


@pytest.mark.parametrize("spec", ACTIONS, ids=lambda s: f"{s.scope}.{s.name}")
def test_every_action_has_a_handler_and_labels_in_both_languages(spec):
    cls = _scope_classes()[spec.scope]
    assert callable(getattr(cls, f"action_{spec.name}", None)), f"{cls.__name__} lacks action_{spec.name}"
    assert cls.ACTION_SCOPE == spec.scope
    for lang in ("zh", "en"):
        assert f"tui.action.{spec.name}" in catalog(lang)
        assert f"tui.action_help.{spec.name}" in catalog(lang)


def test_scopes_are_listed_and_keys_do_not_clash_within_a_scope():
    assert {a.scope for a in ACTIONS} == set(SCOPES)
    for scope in SCOPES:
        keys = [k for a in actions_for(scope) for k in a.key.split(",")]
        assert len(keys) == len(set(keys)), scope


def test_view_keys_do_not_shadow_app_keys():
    app_keys = {k for a in actions_for("app") for k in a.key.split(",")}
    for scope in SCOPES[1:]:
        for a in actions_for(scope):
            assert not set(a.key.split(",")) & app_keys, (scope, a.name)


def test_bindings_carry_translated_labels():
    zh = {b.action: b.description for b in bindings_for("findings", "zh")}
    en = {b.action: b.description for b in bindings_for("findings", "en")}
    assert zh["dismiss_false"] == "误报" and en["dismiss_false"] == "False alarm"


def test_tui_catalog_sections_hold_the_same_keys():
    zh = {k for k in catalog("zh") if k.startswith("tui.")}
    en = {k for k in catalog("en") if k.startswith("tui.")}
    assert zh == en
    assert len(zh) > 150


def test_every_literal_key_used_by_the_ui_exists():
    used = set()
    for path in list(TUI.rglob("*.py")) + [TUI.parent / "cli" / "ui.py"]:
        used |= set(re.findall(r"[\"'](tui\.[a-z_]+(?:\.[a-z_-]+)+)[\"']", path.read_text("utf-8")))
    assert used, "the pattern found nothing: the test would prove nothing"
    missing = sorted(k for k in used if k not in catalog("zh"))
    assert not missing


def test_every_catalog_value_formats_with_its_own_placeholders():
    for lang in ("zh", "en"):
        for key, text in catalog(lang).items():
            if key.startswith("tui."):
                names = set(re.findall(r"{(\w+)}", text))
                text.format(**{n: "x" for n in names})  # raises on a malformed template


def test_no_chinese_strings_hard_coded_in_the_ui_code():
    """Visible strings come from the catalogs: no CJK in any string but docstrings."""
    import ast

    cjk = re.compile(r"[\u4e00-\u9fff]")
    for path in TUI.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        docstrings = {id(node.value) for node in ast.walk(tree)
                      if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and id(node) not in docstrings:
                assert not cjk.search(node.value), f"{path.name}:{node.lineno}: {node.value!r}"


def test_the_key_reference_in_the_docs_lists_every_action():
    doc = (TUI.parents[1] / "docs" / "tui.md").read_text("utf-8")
    for spec in ACTIONS:
        row = f"| `{spec.keys_shown}` | {spec.label('en')} | {spec.label('zh')} |"
        assert row in doc, row


def test_category_names_come_from_the_catalog_and_unknown_ones_show_as_written():
    from reviewer.tui.widgets.findings_table import category_label

    assert category_label("cheating-ads", "zh") == "刷课代考广告"
    assert category_label("cheating-ads", "en") == "cheating services"
    assert category_label("from-a-new-rule-file", "zh") == "from-a-new-rule-file"


def test_every_lexicon_category_has_a_name(tmp_path):
    """The shipped rule files' categories are all named in both languages."""
    import yaml

    lexicons = TUI.parents[1] / "lexicons"
    categories = set()
    for path in lexicons.glob("*.yaml"):
        data = yaml.safe_load(path.read_text("utf-8")) or {}
        if isinstance(data, dict) and data.get("category"):
            categories.add(data["category"])
    assert categories
    for lang in ("zh", "en"):
        missing = sorted(c for c in categories if f"tui.category.{c}" not in catalog(lang))
        assert not missing, (lang, missing)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_footer_keys_of_every_view_fit_80_columns(lang):
    """The English findings footer read "F1 / ? He" at 80 columns; it shows F1 alone now."""
    from rich.cells import cell_len

    from reviewer.i18n import t

    palette = cell_len(f"▏Ctrl+P {t('tui.action.command_palette', lang)}")
    layers = {"library": ["library"], "scan": ["scan"]}
    layers.update({view: [view, "package"] for view in
                   ("findings", "reader", "coverage", "checklists", "summary")})
    for scope, chain in layers.items():
        shown = [b for s in [*chain, "app"] for b in bindings_for(s, lang) if b.show]
        width = sum(cell_len(f"{b.key_display or b.key} {b.description} ") for b in shown)
        assert width + palette <= 80, (scope, width + palette)
