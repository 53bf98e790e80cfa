"""Shared fixtures.

``corpus_dir`` points at the real course material in ``../shared/corpus``
(beside the checkout, in CI too); tests that need it are skipped with a reason
when it is absent.  Nothing here reaches the network.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_courses"


def _corpus() -> Path | None:
    env = os.environ.get("REVIEWER_CORPUS")
    candidates = [Path(env)] if env else []
    candidates += [ROOT.parent / "shared" / "corpus", Path("/work/shared/corpus")]
    for path in candidates:
        if path.is_dir():
            return path
    return None


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    path = _corpus()
    if path is None:
        pytest.skip("../shared/corpus is not present on this machine")
    return path


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Every test gets its own data dir: nothing touches the user's real state."""
    home = tmp_path_factory.mktemp("reviewer-home")
    monkeypatch.setenv("REVIEWER_HOME", str(home))
    monkeypatch.delenv("REVIEWER_DB", raising=False)
    monkeypatch.delenv("REVIEWER_LANG", raising=False)
    # Tests act as a named reviewer, as scripts do: review records never fall back
    # to the OS user (tests/review/test_identity.py covers having no identity).
    if not os.environ.get("REVIEWER_NAME"):
        monkeypatch.setenv("REVIEWER_NAME", "测试审查人")
    yield home
