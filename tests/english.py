"""Finding English sentences in what a command printed (issue 11, item 4: with
``--lang zh`` no line on stderr may be an English sentence).

A line is English when it holds no Chinese character and, once quoted text,
option placeholders (``[OPTIONS]``, ``PATH...``) and ``reviewer …`` command names
are taken out, still has three English words in a row.  Paths, key ids and codes
are not sentences: ``/tmp/a-b/c.key`` or ``ed25519:ab12…`` never match.
"""

from __future__ import annotations

import re

CJK = re.compile(r"[\u3400-\u9fff]")
#: three English words in a row, outside quotes: an English sentence
WORDS = re.compile(r"(?:\b[A-Za-z]{2,}\b[ ,.:;!?]+){2,}\b[A-Za-z]{2,}\b")


def english_lines(text: str) -> list[str]:
    """The lines of ``text`` that are English sentences."""
    out = []
    for line in text.splitlines():
        bare = re.sub(r"'[^']*'|\"[^\"]*\"|\[[A-Z|. ]+\]|\b[A-Z]{2,}\b(?:\.\.\.)?|reviewer[\w -]*", "", line)
        if bare.strip() and not CJK.search(line) and WORDS.search(bare):
            out.append(line)
    return out
