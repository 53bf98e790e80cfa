"""The check registry and runner."""

from __future__ import annotations

from reviewer.checks.model import CheckContext
from reviewer.checks.registry import iter_checks
from reviewer.ingest.model import FileRecord, Package


def _ran(only) -> list[str]:
    package = Package(source="/x/pkg", kind="dir", digest="sha256:" + "0" * 64,
                      files=[FileRecord(path="a.md", size=1, sha256="a" * 64)])
    return [step.check for step in iter_checks(CheckContext(package=package), only) if step.check]


def test_only_may_be_a_one_shot_iterator():
    assert _ran(["ingest", "pii"]) == ["ingest", "pii"]
    assert _ran(iter(["ingest", "pii"])) == ["ingest", "pii"]
