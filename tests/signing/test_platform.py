"""A platform's import: accept, idempotence, supersede, replay, audience, bulk with bad files."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from reviewer.service.signing import InputError, platform_courses, platform_import
from reviewer.store import open_db
from reviewer.store import platform as pstore

from tests.signing.signing_helpers import T0, UNI, make_envelope, trust_for

AT = T0 + timedelta(days=1)


@pytest.fixture()
def world(tmp_path, keys, package):
    trust_path = tmp_path / "trust.yaml"
    trust_for(keys).save(trust_path)
    db = open_db(tmp_path / "platform.db")

    def rec(name: str, **over):
        path = tmp_path / f"{name}.json"
        path.write_text(make_envelope(package, keys, **over).to_json(), encoding="utf-8")
        return path

    def run(*paths, platform=None):
        return platform_import(db, list(paths), trust_path, platform=platform, at=AT)

    return db, rec, run


def _dump(db) -> list:
    return [dict(r) for r in db.query(
        "select id, status, sequence, superseded_by from platform_recommendations order by id")]


def test_accept_then_reimport_changes_nothing(world):
    db, rec, run = world
    r1 = rec("r1")
    [first] = run(r1)
    assert first.decision.outcome == "accepted" and first.decision.reasons == []
    state = _dump(db)
    listing = platform_courses(db, now=AT)
    [again] = run(r1)
    assert again.decision.outcome == "unchanged"
    assert _dump(db) == state
    assert platform_courses(db, now=AT) == listing
    assert len(listing) == 1 and listing[0]["course_id"] == "ds-2026"


def test_newer_sequence_supersedes_and_older_is_a_replay(world):
    db, rec, run = world
    r1, r2 = rec("r1", sequence=1), rec("r2", sequence=2)
    assert run(r1)[0].decision.outcome == "accepted"
    second = run(r2)[0]
    assert second.decision.outcome == "superseded"
    first_id = json.loads(__import__("base64").b64decode(json.loads(r1.read_text())["payload"]))["predicate"]["id"]
    assert second.decision.replaces == first_id
    [course] = platform_courses(db, now=AT)
    assert course["sequence"] == 2
    replay = run(r1)[0]
    assert replay.decision.outcome == "rejected"
    assert [r.code for r in replay.decision.reasons] == ["replay.older"]
    assert platform_courses(db, now=AT)[0]["sequence"] == 2
    rows = {r["sequence"]: r for r in _dump(db)}
    assert rows[1]["status"] == "superseded" and rows[1]["superseded_by"] == course["recommendation_id"]


def test_older_arriving_after_newer_is_refused(world):
    db, rec, run = world
    r3, r2 = rec("r3", sequence=3), rec("r2", sequence=2)
    assert run(r3)[0].decision.outcome == "accepted"
    late = run(r2)[0]
    assert [r.code for r in late.decision.reasons] == ["replay.older"]
    assert late.decision.reasons[0].details == {"sequence": 2, "current": 3}


def test_same_sequence_other_recommendation(world):
    db, rec, run = world
    assert run(rec("a", sequence=4))[0].decision.outcome == "accepted"
    other = run(rec("b", sequence=4))[0]
    assert [r.code for r in other.decision.reasons] == ["replay.same_sequence"]


def test_same_id_different_content_is_a_conflict(world):
    db, rec, run = world
    a = rec("a", sequence=1, id="11111111-1111-4111-8111-111111111111")
    b = rec("b", sequence=2, id="11111111-1111-4111-8111-111111111111")
    assert run(a)[0].decision.outcome == "accepted"
    assert [r.code for r in run(b)[0].decision.reasons] == ["replay.id_conflict"]


def test_audience(world):
    db, rec, run = world
    addressed = rec("aud", audience="学堂在线")
    unnamed = run(addressed)[0]
    assert [r.code for r in unnamed.decision.reasons] == ["audience.platform_unnamed"]
    other = run(addressed, platform="中国大学MOOC")[0]
    assert [r.code for r in other.decision.reasons] == ["audience.other_platform"]
    assert platform_courses(db, now=AT) == []


def test_audience_for_this_platform(tmp_path, world):
    db, rec, run = world
    assert run(rec("aud", audience="学堂在线"), platform="学堂在线")[0].decision.outcome == "accepted"
    # The name is remembered; a later import without --platform uses it.
    assert pstore.platform_name(db) == "学堂在线"
    assert run(rec("aud2", audience="学堂在线", sequence=2))[0].decision.outcome == "superseded"
    with pytest.raises(InputError, match="belongs to"):
        run(rec("x"), platform="另一个平台")


def test_bulk_import_continues_past_bad_files(world, tmp_path, keys, package):
    db, rec, run = world
    good = rec("good")
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(b"\x00\x01 not json")
    missing = tmp_path / "missing.json"
    unsigned = rec("unsigned", committee=())
    revise = rec("revise", decision={"value": "revise", "comment": "改"}, sequence=5)
    results = run(garbage, missing, unsigned, revise, good)
    outcomes = [r.decision.outcome for r in results]
    assert outcomes == ["rejected", "rejected", "rejected", "rejected", "accepted"]
    assert results[2].decision.reasons[0].code == "roles.missing"
    assert [r.code for r in results[3].decision.reasons] == ["decision.not_recommend"]
    assert all(r.decision.reasons for r in results[:4])
    log = pstore.import_log(db)
    assert [row["outcome"] for row in log] == outcomes


def test_expired_and_untrusted_are_rejected(world, tmp_path, keys, package):
    db, rec, run = world
    old = rec("old", valid_days=1)
    [r] = platform_import(db, [old], tmp_path / "trust.yaml", at=T0 + timedelta(days=3))
    assert [x.code for x in r.decision.reasons] == ["recommendation.expired"]
    foreign = tmp_path / "foreign.json"
    foreign.write_text(make_envelope(package, keys, reviewer="other_reviewer",
                                     committee=()).to_json(), encoding="utf-8")
    [r] = run(foreign)
    assert "signature.none_valid" in [x.code for x in r.decision.reasons]


def test_two_courses_listed_separately(world, keys, package):
    db, rec, run = world
    run(rec("a"))
    other_course = {"id": "os-2026", "title": "操作系统", "institution": UNI}
    run(rec("b", course=other_course))
    listing = platform_courses(db, now=AT)
    assert [c["course_id"] for c in listing] == ["ds-2026", "os-2026"]
    assert listing[0]["title"] == {"zh": "数据结构", "en": "Data Structures"}
    assert listing[1]["title"] == "操作系统"
    assert {s["role"] for s in listing[0]["signers"]} == {"reviewer", "committee"}
    assert platform_courses(db, now=T0 + timedelta(days=400))[0]["expired"] is True


def test_malformed_trust_store_is_input_error(tmp_path, world):
    db, rec, run = world
    bad = tmp_path / "bad.yaml"
    bad.write_text("institutions: 5\n", encoding="utf-8")
    with pytest.raises(InputError, match="institutions"):
        platform_import(db, [rec("a")], bad)
