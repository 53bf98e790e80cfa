"""Loading the published JSON Schemas of the recommendation (signing room)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict[str, Any]:
    """``recommendation`` (the envelope) or ``recommendation-statement`` (the payload)."""
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
