"""Who records an answer: --actor, $REVIEWER_NAME or the reviewer's profile — never the
OS user (issue 11: the report named "root" as the decider)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from reviewer.cli import cli
from reviewer.service import review as R
from reviewer.service.profile import identity, load_profile, save_profile
from reviewer.signing.keys import new_key_pair


@pytest.fixture
def nobody(monkeypatch):
    monkeypatch.delenv("REVIEWER_NAME", raising=False)
    monkeypatch.setattr("getpass.getuser", lambda: "root")


def _cli(*args, lang=None):
    base = ["--lang", lang] if lang else []
    return CliRunner().invoke(cli, [*base, *args], obj={}, catch_exceptions=False)


def test_without_identity_recording_is_refused_with_how_to_set_the_profile(db, course, nobody):
    course.version()
    for act in (lambda: R.answer_item(db, course.path, "P1", "pass"),
                lambda: R.decide(db, course.path, "revise", "先改"),
                lambda: R.add_note(db, course.path, "看过")):
        with pytest.raises(R.ReviewError) as err:
            act()
        assert err.value.code == "no-identity"
        assert "reviewer profile set" in err.value.msg("zh")
        assert "reviewer profile set" in err.value.msg("en")
    # looking is not recording: the status still works, and nobody is called root
    status = R.review_status(db, course.path)
    assert status.item("P1").answer is None and status.decision is None
    assert "root" not in {e.actor for e in R.audit_log(db, course.path)}


def test_the_profile_names_the_reviewer(db, course, nobody):
    course.version()
    save_profile("王明", "江东理工大学")
    R.answer_item(db, course.path, "P1", "pass")
    R.decide(db, course.path, "revise", "先改")
    status = R.review_status(db, course.path)
    assert status.item("P1").actor == "王明"
    assert status.decision.actor == "王明"
    assert {e.actor for e in R.audit_log(db, course.path) if e.action != "open"} == {"王明"}


def test_actor_and_env_come_before_the_profile(db, course, monkeypatch, nobody):
    course.version()
    save_profile("王明", "江东理工大学")
    monkeypatch.setenv("REVIEWER_NAME", "脚本")
    assert identity() == "脚本"
    assert identity("李华") == "李华"
    R.answer_item(db, course.path, "P1", "pass", actor="李华")
    assert R.review_status(db, course.path).item("P1").actor == "李华"


def test_profile_from_a_signing_key(tmp_path, nobody):
    _, pub, info = new_key_pair(tmp_path, name="王明", institution="江东理工大学",
                                role="reviewer", passphrase="pass phrase 1")
    result = _cli("profile", "set", "--key", str(pub))
    assert result.exit_code == 0, result.output
    profile = load_profile()
    assert (profile.name, profile.institution, profile.keyid) == ("王明", "江东理工大学", info.keyid)
    shown = json.loads(_cli("profile", "show", "--format", "json").stdout)
    assert shown["name"] == "王明" and shown["keyid"] == info.keyid
    # an explicit name wins over the key's
    assert _cli("profile", "set", "--key", str(pub), "--name", "王明（主审）").exit_code == 0
    assert load_profile().name == "王明（主审）"


def test_profile_set_refuses_bad_input(tmp_path, nobody):
    assert _cli("profile", "set", "--institution", "江东理工大学").exit_code == 2
    assert load_profile() is None
    bad = tmp_path / "bad.pub"
    bad.write_text("{not json", encoding="utf-8")
    result = _cli("profile", "set", "--key", str(bad), lang="en")
    assert result.exit_code == 2 and "cannot read the profile" in result.stderr
    assert load_profile() is None


def test_a_corrupt_profile_is_reported_not_ignored(nobody):
    from reviewer.paths import profile_file

    profile_file().write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(R.ReviewError) as err:
        identity()
    assert err.value.code == "bad-profile"


def test_cli_answer_without_identity_exits_1_and_says_how(tmp_path, course, nobody):
    course.version()
    db = ["--db", str(tmp_path / "state.db")]
    result = _cli(*db, "review", "answer", course.path, "P1", "pass")
    assert result.exit_code == 1
    assert "reviewer profile set" in result.stderr
    result = _cli(*db, "review", "--actor", "李华", "answer", course.path, "P1", "pass")
    assert result.exit_code == 0, result.output
    status = json.loads(_cli(*db, "review", "status", course.path, "--format", "json").stdout)
    assert next(i for i in status["items"] if i["id"] == "P1")["actor"] == "李华"
    assert _cli("profile", "show", lang="en").stdout.startswith("Who are you?")
