"""Fixtures of the signing tests (defined in signing_helpers.py, shared with the test modules)."""

from tests.signing.signing_helpers import env, keys, package, sm2keys, trust  # noqa: F401
