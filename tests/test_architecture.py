"""The rooms keep their walls: the core never imports the UI or CLI frameworks,
and only the store speaks SQL."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "reviewer"
CORE = ["ingest", "checks", "review", "signing", "store"]


def _modules(room: str) -> list[str]:
    return sorted(
        "reviewer." + ".".join(p.relative_to(PKG).with_suffix("").parts)
        for p in (PKG / room).rglob("*.py")
        if p.name != "__init__.py"
    )


@pytest.mark.parametrize("room", CORE)
def test_core_never_imports_textual_or_click(room: str) -> None:
    modules = _modules(room)
    if not modules:
        pytest.skip(f"reviewer.{room} has no modules yet")
    # sqlite-utils itself imports click, so the store is held to textual only.
    banned = ("textual",) if room == "store" else ("textual", "click")
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        f"bad = sorted(n for n in {banned!r} if n in sys.modules)\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"reviewer.{room} pulls in {out.stdout.strip()}"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_only_the_store_speaks_sql() -> None:
    offenders = []
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG).parts
        if rel[0] == "store":
            continue
        if {"sqlite3"} & _imports(path) or any(
            n.startswith("sqlite_utils") for n in _imports(path)
        ):
            offenders.append(str(path.relative_to(PKG)))
    # The service layer may hold a Database handle (type hints) but no SQL text.
    sql_words = ("SELECT ", "INSERT ", "UPDATE ", "DELETE FROM", "CREATE TABLE")
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG).parts
        if rel[0] == "store":
            continue
        text = path.read_text(encoding="utf-8")
        if any(w in text for w in sql_words):
            offenders.append(str(path.relative_to(PKG)) + " (SQL text)")
    allowed = {p for p in offenders if p.startswith("service/") and "(SQL text)" not in p}
    assert sorted(set(offenders) - allowed) == []


def test_stages_point_one_way() -> None:
    order = {"ingest": 0, "checks": 1, "review": 2, "signing": 3}
    problems = []
    for room, rank in order.items():
        for path in (PKG / room).rglob("*.py"):
            for name in _imports(path):
                parts = name.split(".")
                if len(parts) > 1 and parts[0] == "reviewer":
                    target = parts[1]
                    if target in order and order[target] > rank:
                        problems.append(f"{path.relative_to(PKG)} imports {name}")
                    if target in ("store", "service", "cli", "tui"):
                        problems.append(f"{path.relative_to(PKG)} imports {name}")
    assert problems == []


#: What the shells may import from the package: the service (its API for the rooms
#: below), the catalogs, the data paths and atomic writes, each other, and themselves.
SHELL_MAY_IMPORT = {"service", "i18n", "paths", "files", "tui", "cli"}


@pytest.mark.parametrize("shell", ["tui", "cli"])
def test_the_shells_speak_only_to_the_service(shell: str) -> None:
    problems = []
    for path in (PKG / shell).rglob("*.py"):
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] == "reviewer" and len(parts) > 1 and parts[1] not in SHELL_MAY_IMPORT:
                problems.append(f"{path.relative_to(PKG)} imports {name}")
    assert problems == [], "import it through reviewer.service.api instead"


def test_every_name_the_service_api_offers_resolves() -> None:
    import reviewer.service.api as api

    for name in api.__all__:
        assert getattr(api, name) is not None, name
    with pytest.raises(AttributeError):
        api.no_such_name  # noqa: B018


def test_catalogs_have_the_same_keys() -> None:
    from reviewer.i18n import catalog

    zh, en = catalog("zh"), catalog("en")
    assert set(zh) == set(en), sorted(set(zh) ^ set(en))
    assert all(v.strip() for v in zh.values()) and all(v.strip() for v in en.values())
