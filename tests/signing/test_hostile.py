"""Hostile or odd input is a reason or a clear error, never a traceback."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from reviewer.signing.trust import TrustStoreError, parse_time, trust_from_dict
from reviewer.signing.verify import verify_envelope

from tests.signing.signing_helpers import UNI, as_data


# ------------------------------------------------------------------ times out of range

@pytest.mark.parametrize("text", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59"])
def test_time_out_of_range_is_a_value_error(text):
    with pytest.raises(ValueError, match="out of range"):
        parse_time(text)


def test_trust_store_with_out_of_range_time_is_a_trust_store_error(keys):
    info = keys["reviewer"].info
    entry = {"keyid": info.keyid, "public_key": json.loads(json.dumps(info.to_dict()))["public_key"],
             "role": "reviewer", "not_after": "9999-12-31T23:59:59-23:59"}
    with pytest.raises(TrustStoreError, match="out of range"):
        trust_from_dict({"institutions": {UNI: {"keys": [entry]}}})


def test_verify_at_the_end_of_time_does_not_overflow(env, trust):
    at = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc)
    result = verify_envelope(as_data(env), trust, at=at)
    assert "recommendation.expired" in result.codes
