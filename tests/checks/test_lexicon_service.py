"""Loading rule files from disk: directories, the shipped set, overrides, the compiled cache."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from reviewer.checks.lexicon import Lexicon
from reviewer.checks.rulefile import RuleFileError
from reviewer.paths import cache_dir, lexicons_dir
from reviewer.service import lexicons as svc

RULE = textwrap.dedent("""\
    id: {id}
    name: Demo
    category: demo
    severity: warning
    message: "hit {{term}}"
    terms: [{term}]
    tests:
      match: [{term}]
    """)


def write(path: Path, rule_id: str = "demo", term: str = "刷课") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(RULE.format(id=rule_id, term=term), encoding="utf-8")
    return path


def test_directory_files_and_ids(tmp_path):
    write(tmp_path / "a.yaml", "a")
    write(tmp_path / "sub" / "b.yml", "b")
    (tmp_path / "notes.txt").write_text("not a rule file")
    files, errors = svc.load_rule_files([tmp_path], include_shipped=False)
    assert errors == []
    assert sorted(f.id for f in files) == ["a", "b"]
    assert all(isinstance(f.rules, Lexicon) and f.sha256 for f in files)


def test_missing_path_and_broken_file_are_errors_not_exceptions(tmp_path):
    write(tmp_path / "good.yaml", "good")
    (tmp_path / "bad.yaml").write_text("id: bad\nterms: [\n", encoding="utf-8")
    files, errors = svc.load_rule_files([tmp_path, tmp_path / "nope.yaml"], include_shipped=False)
    assert [f.id for f in files] == ["good"]
    messages = sorted(str(e) for e in errors)
    assert any("bad.yaml:" in m and "YAML syntax" in m for m in messages)
    assert any("nope.yaml" in m and "no such file" in m for m in messages)


def test_non_utf8_rule_file_names_the_line(tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes("id: gbk\nname: 示例\n".encode("gbk"))
    with pytest.raises(RuleFileError) as err:
        svc.load_rule_file(path)
    assert "UTF-8" in str(err.value) and err.value.line == 2


def test_shipped_files_load_and_a_user_file_with_a_shipped_id_replaces_it(tmp_path):
    shipped, errors = svc.load_rule_files([], use_cache=False)
    ids = {f.id for f in shipped}
    assert {"cheating-ads", "advertising", "outdated-laws", "political", "vulgarity"} <= ids
    assert not [e for e in errors if "kind 'coverage'" not in str(e)]
    mine = write(tmp_path / "mine.yaml", "cheating-ads", "薅羊毛")
    files, _ = svc.load_rule_files([mine])
    (cheating,) = [f for f in files if f.id == "cheating-ads"]
    assert cheating.source == str(mine)
    assert [t.term for t in cheating.rules.terms] == ["薅羊毛"]


def test_two_user_files_with_one_id_is_an_error(tmp_path):
    write(tmp_path / "a.yaml", "same")
    write(tmp_path / "b.yaml", "same", "代考")
    files, errors = svc.load_rule_files([tmp_path], include_shipped=False)
    assert [f.id for f in files] == ["same"]
    assert len(errors) == 1 and "already used" in str(errors[0])
    # Naming the same file twice is not a conflict.
    files, errors = svc.load_rule_files([tmp_path / "a.yaml", tmp_path / "a.yaml"], include_shipped=False)
    assert len(files) == 1 and errors == []


def test_only_lexicon_uses_the_given_files_alone(tmp_path):
    files, _ = svc.load_rule_files([write(tmp_path / "x.yaml", "x")], include_shipped=False)
    assert [f.id for f in files] == ["x"]


def test_compiled_files_are_cached_by_content(tmp_path, monkeypatch):
    path = write(tmp_path / "c.yaml", "c")
    first = svc.load_rule_file(path)
    cached = list((cache_dir() / "lexicons").glob(f"{first.sha256}-*.pickle"))
    assert len(cached) == 1
    calls = []
    real = svc.parse_rule_text
    monkeypatch.setattr(svc, "parse_rule_text", lambda *a, **k: calls.append(a) or real(*a, **k))
    again = svc.load_rule_file(path)
    assert calls == [] and again.id == "c" and again.sha256 == first.sha256
    assert again.rules.find([_seg("刷课")])  # the automaton is rebuilt after unpickling
    # A changed file is compiled again.
    write(path, "c", "代考")
    changed = svc.load_rule_file(path)
    assert len(calls) == 1 and changed.sha256 != first.sha256
    # A damaged cache entry is rebuilt, not fatal.
    cached[0].write_bytes(b"not a pickle")
    write(path, "c")
    assert svc.load_rule_file(path).id == "c"


def test_cache_entry_follows_the_file_it_was_loaded_from(tmp_path):
    a = write(tmp_path / "a.yaml", "same-bytes")
    b = tmp_path / "copy.yaml"
    b.write_bytes(a.read_bytes())
    svc.load_rule_file(a)
    loaded = svc.load_rule_file(b)
    assert loaded.source == str(b) and loaded.rules.source == str(b)


def test_rules_digest_depends_on_ids_and_bytes(tmp_path):
    a = svc.load_rule_file(write(tmp_path / "a.yaml", "a"))
    b = svc.load_rule_file(write(tmp_path / "b.yaml", "b"))
    digest = svc.rules_digest([a, b])
    assert digest.startswith("sha256:") and len(digest) == 71
    assert svc.rules_digest([b, a]) == digest
    changed = svc.load_rule_file(write(tmp_path / "b.yaml", "b", "代考"))
    assert svc.rules_digest([a, changed]) != digest
    assert svc.rules_by_kind([a, b]) == {"terms": [a.rules, b.rules]}


def test_shipped_directory_is_the_source_tree_lexicons():
    assert (lexicons_dir() / "cheating-ads.yaml").is_file()


def _seg(text):
    from reviewer.checks.lexicon import example_segment

    return example_segment(text)


def test_cache_key_covers_the_compatibility_folding_table():
    """A compiled term holds its folded form: the module with the folding table is in the key."""
    import sys

    import reviewer
    from reviewer.ingest.textnorm import compat_table

    pkg = Path(reviewer.__file__).resolve().parent
    source = sys.modules[compat_table.__module__].__file__
    module = Path(source).resolve().relative_to(pkg).as_posix()
    assert module in svc._CODE_FILES


def test_cache_store_leaves_no_temporary_files_and_skips_unpicklable_rules(tmp_path):
    import threading

    from reviewer.checks.rulefile import ParsedRuleFile

    target = tmp_path / "entry.pickle"
    parsed = ParsedRuleFile(id="x", kind="terms", source="x.yaml", rules=["data"])
    threads = [threading.Thread(target=svc._store, args=(target, parsed)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [p.name for p in tmp_path.iterdir()] == ["entry.pickle"]
    unpicklable = ParsedRuleFile(id="y", kind="terms", source="y.yaml", rules=lambda: None)
    svc._store(tmp_path / "other.pickle", unpicklable)
    assert [p.name for p in tmp_path.iterdir()] == ["entry.pickle"]


def test_coverage_rule_files_are_cached_too(tmp_path, monkeypatch):
    shipped = lexicons_dir() / "coverage.yaml"
    path = tmp_path / "coverage.yaml"
    path.write_bytes(shipped.read_bytes())
    first = svc.load_rule_file(path)
    calls = []
    real = svc.parse_rule_text
    monkeypatch.setattr(svc, "parse_rule_text", lambda *a, **k: calls.append(a) or real(*a, **k))
    again = svc.load_rule_file(path)
    assert calls == [] and again.kind == "coverage"
    assert again.rules.stemmer.stem("optimization") == first.rules.stemmer.stem("optimization")


def test_an_unusable_cache_folder_only_costs_a_compile(tmp_path, monkeypatch):
    blocker = tmp_path / "home-is-a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("REVIEWER_HOME", str(blocker))  # the cache folder can't be made
    path = write(tmp_path / "c.yaml", "c")
    assert svc.load_rule_file(path).id == "c"


def test_the_opencc_version_in_the_cache_key_is_the_installed_one():
    """Read from its .dist-info folder's name (no importlib.metadata), the same value."""
    from importlib.metadata import version

    assert svc._opencc_version() == version("opencc-python-reimplemented")
