"""The shipped starter lexicons on real material: sample courses, the course corpus, word lists.

Nothing here prints the contents of the offensive word lists: assertions report counts only.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reviewer.checks.lexicon import Lexicon, find_in_segments, run_embedded_tests
from reviewer.ingest.model import Locator, Segment
from reviewer.paths import lexicons_dir
from reviewer.service.lexicons import import_wordlist, load_rule_files, rules_by_kind

SENSITIVE = ("political", "discrimination", "violence-terrorism", "gambling-drugs", "superstition",
             "vulgarity")
TEXT_SUFFIXES = (".md", ".txt", ".srt", ".vtt", ".tex", ".yaml", ".yml", ".html")


@pytest.fixture(scope="module")
def shipped() -> list[Lexicon]:
    files, _ = load_rule_files([], use_cache=False)
    return rules_by_kind(files)["terms"]


def test_every_category_has_a_starter_with_tests(shipped):
    by_id = {lex.id: lex for lex in shipped}
    for rule_id in SENSITIVE + ("cheating-ads", "advertising", "outdated-laws"):
        lex = by_id[rule_id]
        assert lex.starter, rule_id
        assert lex.name.get("zh") and lex.name.get("en") and lex.message.get("zh") and lex.message.get("en")
        assert len(lex.tests["match"]) >= 4 and len(lex.tests["no_match"]) >= 4, rule_id
        assert run_embedded_tests(lex) == []
    assert by_id["outdated-laws"].check == "outdated"
    assert all(t.replacement and t.since for t in by_id["outdated-laws"].terms)


def test_civil_code_list_is_complete(shipped):
    (old,) = [lex for lex in shipped if lex.id == "outdated-laws"]
    terms = {t.term: t for t in old.terms}
    for law in ("合同法", "物权法", "民法通则", "婚姻法", "继承法", "收养法", "担保法", "民法总则", "侵权责任法"):
        assert terms[law].since == "2021-01-01" and "民法典" in terms[law].replacement
    assert terms["GB/T 7714-2005"].replacement == "GB/T 7714-2015"
    assert terms["Python 2"].since == "2020-01-01"


def test_shipped_yaml_files_of_kind_terms_all_parse_without_errors():
    files, errors = load_rule_files([], use_cache=False)
    terms_paths = [p for p in lexicons_dir().glob("*.yaml")
                   if (yaml.safe_load(p.read_text(encoding="utf-8")) or {}).get("kind", "terms") == "terms"]
    assert len(terms_paths) >= 9
    assert not [e for e in errors if Path(e.source) in terms_paths]


def _samples_expected(samples_dir: Path):
    for path in sorted((samples_dir / "expected").glob("*.yaml")):
        yield yaml.safe_load(path.read_text(encoding="utf-8"))


def _overlaps(a: str, b: str) -> bool:
    def squash(s: str) -> str:
        return "".join(ch for ch in s if ch.isalnum())
    a, b = squash(a), squash(b)
    return bool(a) and bool(b) and (a in b or b in a)


def test_every_seeded_lexicon_problem_in_the_sample_courses_is_found(shipped, samples_dir):
    from reviewer.ingest.package import load_package

    mine = {lex.id for lex in shipped}
    for expected in _samples_expected(samples_dir):
        package = load_package(samples_dir / expected["package"])
        findings = find_in_segments(shipped, list(package.segments()))
        seeded = [e for e in expected["findings"] if e["check"] == "lexicon"
                  or (e["check"] == "outdated" and not e["match"].isdigit())]
        assert seeded, expected["package"]
        for entry in seeded:
            hits = [f for f in findings if f.file == entry["file"] and f.location == {
                **f.location, **entry["location"]} and _overlaps(f.match, entry["match"])]
            assert hits, (expected["package"], entry["file"], entry["location"])
            assert all(f.rule in mine for f in hits)
            if entry.get("category"):
                assert any(f.category == entry["category"] for f in hits)
        for decoy in expected.get("decoys", []):
            if not {"lexicon", "outdated"} & set(decoy["checks"]):
                continue
            tolerated = set(decoy.get("tolerate_severity", []))
            wrong = [f for f in findings if f.file == decoy["file"]
                     and f.location == {**f.location, **decoy["location"]}
                     and _overlaps(f.match, decoy["text"]) and f.severity not in tolerated]
            assert not wrong, (expected["package"], decoy["text"])


def test_sample_findings_are_errors_or_warnings_except_integrity_pledges(shipped, samples_dir):
    from reviewer.ingest.package import load_package

    for expected in _samples_expected(samples_dir):
        package = load_package(samples_dir / expected["package"])
        for f in find_in_segments(shipped, list(package.segments())):
            if f.severity == "info":
                assert "承诺" in f.file or "pledge" in f.file, (f.file, f.rule)


def _corpus_segments(corpus_dir: Path) -> list[Segment]:
    from reviewer.ingest.encoding import decode_text

    segments = []
    for path in sorted(corpus_dir.rglob("*")):
        if path.suffix.lower() not in TEXT_SUFFIXES or "wordlists" in path.parts or not path.is_file():
            continue
        text, _ = decode_text(path.read_bytes())
        for i, line in enumerate(text.splitlines()):
            if line.strip():
                segments.append(Segment(str(path), i, Locator(line=i + 1), line))
    return segments


def test_real_course_text_raises_no_false_alarms(shipped, corpus_dir):
    segments = _corpus_segments(corpus_dir)
    assert sum(len(s.text) for s in segments) > 500_000
    findings = find_in_segments(shipped, segments)
    noisy = [f for f in findings if f.severity != "info"]
    assert len(noisy) == 0, [(Path(f.file).name, f.locator.line, f.rule) for f in noisy]


def test_importer_on_the_real_word_lists_holds_back_flooding_entries(corpus_dir):
    """Imported as-is the lists flood real course text; the importer's cut removes most of that."""
    segments = _corpus_segments(corpus_dir)
    for path in sorted((corpus_dir / "wordlists").glob("*.txt")):
        data = path.read_bytes()
        cut = import_wordlist(data, rule_id="w", category="c", severity="warning", source=path.name)
        full = import_wordlist(data, rule_id="w", category="c", severity="warning", source=path.name,
                               keep_common=True)
        assert cut.encoding == "utf-8"
        assert cut.flooding and len(cut.kept) < len(full.kept)
        assert len(cut.kept) + len(cut.left_out) == len(full.kept) + len(full.left_out)
        from reviewer.checks.rulefile import parse_rule_text

        hits_cut = len(find_in_segments([parse_rule_text(cut.text, "cut", run_tests=False)], segments))
        hits_full = len(find_in_segments([parse_rule_text(full.text, "full", run_tests=False)], segments))
        print(f"\n{path.suffix} list #{len(full.kept)}: {hits_full} hits in course text as-is, "
              f"{hits_cut} after the importer's cut ({len(cut.flooding)} entries held back)")
        assert hits_cut < hits_full
        assert hits_cut <= max(5, hits_full // 5)
