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


def test_a_check_run_elsewhere_is_awaited_in_its_turn_and_merged_in_its_place():
    from reviewer.checks.model import CheckResult, Finding
    from reviewer.checks.registry import run_checks

    package = Package(source="/x/pkg", kind="dir", digest="sha256:" + "0" * 64,
                      files=[FileRecord(path="a.md", size=1, sha256="a" * 64)])
    ctx = CheckContext(package=package)
    order: list[str] = []
    remote = Finding(id="r1", check="pii", rule="pii.remote", category="pii", severity="info",
                     file="a.md", locator=None, match="x", message={"zh": "远", "en": "remote"})

    def from_elsewhere() -> CheckResult:
        order.append("awaited")
        return CheckResult([remote], facts={"remote": {"met": True}})

    gen = iter_checks(ctx, ["ingest", "pii", "outdated"], elsewhere={"pii": from_elsewhere})
    steps = []
    try:
        while True:
            step = next(gen)
            steps.append(step.check)
            order.append(step.check)
    except StopIteration as done:
        result = done.value
    # The progress is the same as when the check runs here; the call is made in pii's turn.
    assert steps == ["ingest", "pii", "outdated", ""]
    assert order == ["ingest", "pii", "awaited", "outdated", ""]
    assert remote in result.findings and result.facts == {"remote": {"met": True}}
    # A check not named in ``elsewhere`` runs here as always.
    assert run_checks(ctx, ["pii"]).findings == []
