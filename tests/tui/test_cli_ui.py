"""``reviewer`` and ``reviewer open``: arguments reach the app; bad input is one line on stderr."""

from __future__ import annotations

from click.testing import CliRunner

from reviewer.cli import cli


def _capture_runs(monkeypatch):
    runs = []

    def fake_run(self, *a, **kw):
        runs.append({"db": self.db_path, "lang": self.lang, "open": self.open_path})

    monkeypatch.setattr("reviewer.tui.app.ReviewerApp.run", fake_run)
    return runs


def test_open_passes_path_db_and_language_to_the_app(tmp_path, monkeypatch):
    runs = _capture_runs(monkeypatch)
    pkg = tmp_path / "course"
    pkg.mkdir()
    db = tmp_path / "s.db"
    result = CliRunner().invoke(cli, ["open", str(pkg), "--db", str(db), "--lang", "en"], obj={})
    assert result.exit_code == 0, result.output
    assert runs == [{"db": db, "lang": "en", "open": str(pkg)}]


def test_bare_reviewer_opens_the_library_in_chinese_by_default(tmp_path, monkeypatch):
    runs = _capture_runs(monkeypatch)
    db = tmp_path / "s.db"
    result = CliRunner().invoke(cli, ["--db", str(db)], obj={})
    assert result.exit_code == 0, result.output
    assert runs == [{"db": db, "lang": "zh", "open": None}]


def test_language_from_the_environment(tmp_path, monkeypatch):
    runs = _capture_runs(monkeypatch)
    monkeypatch.setenv("REVIEWER_LANG", "en")
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "s.db")], obj={})
    assert result.exit_code == 0
    assert runs[0]["lang"] == "en"


def test_open_a_missing_path_exits_2_with_one_line(tmp_path, monkeypatch):
    runs = _capture_runs(monkeypatch)
    result = CliRunner().invoke(cli, ["open", str(tmp_path / "nope"), "--db",
                                      str(tmp_path / "s.db")], obj={})
    assert result.exit_code == 2
    assert runs == []


def test_a_corrupt_state_file_is_refused_before_the_ui_starts(tmp_path, monkeypatch):
    runs = _capture_runs(monkeypatch)
    bad = tmp_path / "broken.db"
    bad.write_bytes(b"this is not an sqlite database at all" * 100)
    result = CliRunner().invoke(cli, ["--db", str(bad)], obj={})
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert runs == []
