"""Folding compatibility code points one-to-one (textnorm)."""

from __future__ import annotations

from reviewer.ingest.textnorm import compat_table, fold_compat


def test_folding_met_characters_lazily_equals_the_whole_table():
    text = "".join(chr(cp) for cp in range(0x20, 0x30000) if not 0xD800 <= cp <= 0xDFFF)
    text += "\ud800 ⼤学 ＡＢＣ 𝐀 ⑸ ﬁ \U0010ffff"
    folded = fold_compat(text)
    assert folded == text.translate(compat_table())
    assert len(folded) == len(text)
    assert fold_compat("⼤家好，ＡＢＣ") == "大家好,ABC"
