"""course.yaml: parsed, validated against the published schema, errors located by line."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from reviewer.ingest.manifest import SCHEMA_PATH, parse_manifest
from reviewer.ingest.package import load_package

FULL = """\
id: PKU-OSS-2025
title:
  zh: 开源软件开发
  en: Open Source Software Development
institution: 北京大学
lecturers: [周明辉, {name: 张三, title: 副教授}]
responsible_teacher: 李四
platform: 学堂在线
platform_security_level: 3
term: 2025秋
date: 2025-09-01
credit_hours: 2
hours: 32
language: bilingual
topics:
  - 开源许可证
  - {title: Git 基础, keywords: [git, commit, 分支]}
exam:
  supervision: [face-recognition, dual-camera]
  by_university: true
integrity_pledge: docs/诚信承诺书.pdf
files:
  - {path: syllabus/大纲.md, role: syllabus, title: 教学大纲}
  - {path: transcripts/w1.srt, role: transcript}
"""


def test_schema_is_valid_2020_12():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_full_manifest_is_clean_and_dates_become_iso():
    manifest, issues = parse_manifest(FULL.encode())
    assert issues == []
    assert manifest["date"] == "2025-09-01"
    assert manifest["title"]["zh"] == "开源软件开发"
    assert manifest["topics"][1]["keywords"] == ["git", "commit", "分支"]


def test_title_as_plain_string_is_fine():
    manifest, issues = parse_manifest("id: x\ntitle: 数据结构\n".encode())
    assert issues == [] and manifest["title"] == "数据结构"


def test_yaml_syntax_error_has_file_and_line():
    manifest, [issue] = parse_manifest(b"id: x\ntitle: [unclosed\nterm: 2025\n")
    assert manifest is None
    assert issue.rule == "manifest-invalid" and issue.severity == "error"
    assert issue.locator.line == 3
    assert "course.yaml:3" in issue.message["en"]


@pytest.mark.parametrize("text, where, line", [
    ("id: x\ntitle: t\nlanguage: fr\n", "language", 3),
    ("id: x\ntitle: t\ndate: 2025-13-45\n", "date", 3),
    ("id: x\ntitle: t\ncredit_hours: many\n", "credit_hours", 3),
    ("id: x\ntitle: t\nfiles:\n  - path: a.pdf\n    role: slide\n", "files[0].role", 5),
    ("id: x\ntitle: t\nplatform_security_level: 9\n", "platform_security_level", 3),
    ("title: t\n", "(root)", 1),
])
def test_schema_errors_are_issues_with_field_and_line(text, where, line):
    manifest, issues = parse_manifest(text.encode())
    assert manifest is not None  # what is valid stays usable
    invalid = [i for i in issues if i.rule == "manifest-invalid"]
    assert len(invalid) == 1
    assert invalid[0].message["en"].startswith(f"manifest field {where}:")
    assert invalid[0].locator.line == line


def test_unknown_field_warns_x_prefix_does_not():
    _, issues = parse_manifest(b"id: x\ntitle: t\nlecturer: typo\nx-internal: 1\n")
    assert [(i.rule, i.severity, i.locator.line) for i in issues] == [("manifest-unknown-field", "warning", 3)]


def test_file_path_escaping_the_package_is_invalid():
    _, issues = parse_manifest(b"id: x\ntitle: t\nfiles:\n  - {path: ../etc/passwd, role: notes}\n")
    assert [i.rule for i in issues] == ["manifest-invalid"]
    assert issues[0].locator.line == 4


def test_not_a_mapping_and_not_text():
    assert parse_manifest(b"- a\n- b\n")[0] is None
    assert parse_manifest(b"")[1][0].message["en"] == "manifest must be a mapping of fields, got empty"
    manifest, [issue] = parse_manifest(bytes(range(256)) * 20)
    assert manifest is None and issue.rule == "manifest-invalid"


def test_manifest_roles_override_inference_and_is_exposed(tmp_path):
    root = tmp_path / "pkg"
    (root / "docs").mkdir(parents=True)
    (root / "course.yaml").write_text(
        "id: C1\ntitle: {en: Course}\nfiles:\n  - {path: docs/plan.md, role: syllabus}\n"
        "  - {path: docs/missing.pdf, role: slides}\n", encoding="utf-8")
    (root / "docs" / "plan.md").write_text("# Week 1\n", encoding="utf-8")
    (root / "docs" / "other.md").write_text("# notes\n", encoding="utf-8")
    package = load_package(root)
    assert package.manifest["id"] == "C1" and package.id == "C1" and package.title == "Course"
    assert package.file("docs/plan.md").role == "syllabus"
    assert package.file("docs/other.md").role == "notes"
    manifest_file = package.file("course.yaml")
    assert (manifest_file.role, manifest_file.format, manifest_file.segments) == ("manifest", "yaml", [])
    assert package.issues == []  # the missing file is the completeness check's business
    assert package.file("docs/missing.pdf") is None


def test_broken_manifest_does_not_stop_the_package(tmp_path):
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "course.yaml").write_text("id: [\n", encoding="utf-8")
    (root / "syllabus.md").write_text("# 大纲\n", encoding="utf-8")
    package = load_package(root)
    assert package.manifest is None
    assert [i.rule for i in package.issues] == ["manifest-invalid"]
    assert package.file("course.yaml").status == "error"
    assert package.file("syllabus.md").role == "syllabus"


def _alias_bomb(levels: int = 9) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("text", ["id: x\ntitle: &t [*t]\n", _alias_bomb()],
                         ids=["self-reference", "billion-laughs"])
def test_hostile_yaml_aliases_are_refused_not_expanded(tmp_path, text):
    # A self-referencing alias raised RecursionError out of the scan; 9**9
    # expanded list items would take minutes and gigabytes.
    manifest, issues = parse_manifest(text.encode())
    assert manifest is None
    assert [i.rule for i in issues] == ["manifest-invalid"]
    assert "too complex" in issues[0].message["en"]
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "course.yaml").write_text(text, encoding="utf-8")
    (root / "syllabus.md").write_text("# 大纲\n", encoding="utf-8")
    package = load_package(root)
    assert package.manifest is None and package.file("course.yaml").status == "error"


def test_an_ordinary_alias_is_still_read():
    manifest, issues = parse_manifest(
        b"id: x\ntitle: &t Course\nx-short-title: *t\n")
    assert manifest is not None and manifest["x-short-title"] == "Course"


def test_shipped_sample_manifests_are_clean(samples_dir):
    manifests = sorted(samples_dir.glob("*/course.yaml"))
    if not manifests:
        pytest.skip("no sample courses in this checkout")
    for path in manifests:
        manifest, issues = parse_manifest(path.read_bytes())
        assert manifest is not None, path
        assert issues == [], (path, [i.message["en"] for i in issues])


@pytest.mark.parametrize("text", [FULL, "id: x\ntitle: t\ndate: 2025-13-45\nfiles:\n  - path: a.pdf\n    role: slide\n",
                                  "title: t\nlanguage: fr\n"])
def test_cached_schema_errors_give_the_same_issues(text):
    from reviewer.ingest import manifest as mod

    plain = parse_manifest(text.encode())
    store: dict[str, object] = {}
    gets: list[str] = []

    def get(key):
        gets.append(key)
        return json.loads(json.dumps(store[key])) if key in store else None

    mod.install_validation_cache(get, store.__setitem__)
    try:
        first = parse_manifest(text.encode())  # validated, then stored
        assert len(store) == 1
        store[gets[0]] = json.loads(json.dumps(store[gets[0]]))  # as read back from JSON
        again = parse_manifest(text.encode())  # from the cache
    finally:
        mod.install_validation_cache(None)
    assert first == plain and again == plain
    assert len(gets) == 2 and gets[0] == gets[1]
