"""``Locator.kind``: the first of page, slide, cue, paragraph and line that is set."""

from __future__ import annotations

import itertools

from reviewer.ingest.model import Locator

ORDER = ("page", "slide", "cue", "paragraph", "line")


def test_kind_is_the_first_field_set_in_order():
    for n in range(len(ORDER) + 1):
        for fields in itertools.combinations(ORDER, n):
            loc = Locator(**{name: 1 for name in fields}, heading="h", source="ocr")
            assert loc.kind == (fields[0] if fields else "file"), fields
