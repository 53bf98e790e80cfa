"""The segmenter's dictionary in its fast form: same answers as jieba, and a cache that heals."""

from __future__ import annotations

import os
import random

import jieba
import pytest

from reviewer.checks import wordfreq
from reviewer.checks.wordfreq import WordFreq, build_from_jieba
from reviewer.service.lexicons import cached_wordfreq


@pytest.fixture(scope="module")
def jieba_freq():
    jieba.setLogLevel(60)
    jieba.dt.check_initialized()
    return jieba.dt.FREQ, jieba.dt.total


@pytest.fixture(scope="module")
def built():
    return build_from_jieba()


def test_same_entries_and_total_as_jieba(jieba_freq, built):
    freq, total = jieba_freq
    assert len(built) == len(freq)
    assert built.total == total
    sample = random.Random(7).sample(sorted(freq), 5000)
    for word in sample + ["课程", "考试", "中华人民共和国", "中华人民"]:
        assert built.get(word) == freq[word], word


def test_prefixes_are_zero_and_strangers_absent(built):
    assert built.get("中华人民共") == 0  # a prefix of 中华人民共和国, not a word
    assert "中华人民共" in built
    assert built.get("唰课唰课唰课") is None
    assert built.get("唰课唰课唰课", -1) == -1
    assert "唰课唰课唰课" not in built


def test_from_entries_adds_prefixes_like_jieba():
    wf = WordFreq.from_entries([("网课代刷", 3), ("网课", 5)])
    assert wf.total == 8
    assert wf.get("网课") == 5
    assert wf.get("网课代") == 0 and wf.get("网") == 0
    assert wf.get("代刷") is None


def test_dictionary_text_with_bad_lines():
    wf = WordFreq.from_jieba_text("刷课 12 v\n\n坏行\n代考 x n\n挂机 3\n")
    assert wf.get("刷课") == 12 and wf.get("挂机") == 3
    assert wf.get("代考") is None and wf.get("坏行") is None
    assert wf.total == 15


def test_save_and_load_round_trip(tmp_path):
    wf = WordFreq.from_entries([("刷课", 7), ("刷时长", 2)])
    wf.save(tmp_path / "d")
    back = WordFreq.load(tmp_path / "d")
    assert (back.get("刷课"), back.get("刷时长"), back.get("刷时"), back.total) == (7, 2, 0, 9)


def test_load_refuses_missing_truncated_and_mismatched(tmp_path):
    with pytest.raises(FileNotFoundError):
        WordFreq.load(tmp_path / "none")
    WordFreq.from_entries([("刷课", 7)]).save(tmp_path / "a")
    (tmp_path / "a.marisa").write_bytes(b"not a trie")
    with pytest.raises(ValueError):
        WordFreq.load(tmp_path / "a")
    WordFreq.from_entries([("刷课", 7), ("代考", 1)]).save(tmp_path / "b")
    WordFreq.from_entries([("刷课", 7)]).save(tmp_path / "c")
    os.replace(tmp_path / "c.npy", tmp_path / "b.npy")  # frequencies of another trie
    with pytest.raises(ValueError, match="frequencies"):
        WordFreq.load(tmp_path / "b")


def _segmenter_files():
    from reviewer.paths import cache_dir

    return sorted((cache_dir() / "segmenter").glob("jieba-*"))


def test_cache_built_once_then_loaded(jieba_freq):
    first = cached_wordfreq()
    files = _segmenter_files()
    assert [p.suffix for p in files] == [".marisa", ".npy"]
    mtimes = [p.stat().st_mtime_ns for p in files]
    second = cached_wordfreq()
    assert [p.stat().st_mtime_ns for p in _segmenter_files()] == mtimes  # read, not rewritten
    assert second.total == first.total == jieba_freq[1]
    assert second.get("课程") == jieba_freq[0]["课程"]


def test_corrupt_cache_is_rebuilt(jieba_freq):
    cached_wordfreq()
    trie = next(p for p in _segmenter_files() if p.suffix == ".marisa")
    trie.write_bytes(b"\0" * 64)
    healed = cached_wordfreq()
    assert healed.total == jieba_freq[1]
    assert WordFreq.load(trie.with_suffix("")).total == jieba_freq[1]  # and written back whole


def test_unwritable_cache_still_answers(jieba_freq):
    from reviewer.paths import cache_dir

    (cache_dir() / "segmenter").write_text("a file where the folder should be")
    wf = cached_wordfreq()
    assert wf.total == jieba_freq[1]
    assert wf.get("课程") == jieba_freq[0]["课程"]


def test_install_swaps_the_loader():
    calls = []
    tiny = WordFreq.from_entries([("刷课", 1)])

    def loader():
        calls.append(1)
        return tiny

    saved = (wordfreq._loader, wordfreq._base)
    try:
        wordfreq.install(loader)
        assert wordfreq.base() is tiny and wordfreq.base() is tiny
        assert calls == [1]  # loaded once
    finally:
        wordfreq._loader, wordfreq._base = saved


# ------------------------------------------------------------------ the normaliser's tables, cached likewise

def test_normaliser_tables_cached_on_disk_same_as_built(monkeypatch):
    from dataclasses import replace as dc_replace

    from reviewer.checks import normalize
    from reviewer.checks.normalize import NormalizeOptions, build_tables
    from reviewer.paths import cache_dir
    from reviewer.service.lexicons import cached_tables

    options = dc_replace(NormalizeOptions(), digits=False)
    built = []

    def build():
        built.append(1)
        return build_tables(options)

    first = cached_tables(options, build)
    second = cached_tables(options, build)
    assert built == [1] and first == second == build_tables(options)
    [path] = (cache_dir() / "normalize").glob("*.pickle")
    path.write_bytes(b"\x80\x05 truncated")
    assert cached_tables(options, build) == first and built == [1, 1]  # rebuilt, and written back
    assert cached_tables(options, build) == first and built == [1, 1]

    saved = normalize._table_cache
    try:
        normalize.install_table_cache(cached_tables)
        cached = normalize.normalizer(options)
        normalize.install_table_cache(None)
        plain = normalize.normalizer(options)
        assert cached is not plain
        text = "刷 課Ⓐ１２３，代—考"
        assert cached.fold(text) == plain.fold(text) and cached.strip(text) == plain.strip(text)
    finally:
        normalize.install_table_cache(saved)
