"""Signing, key, trust-store and file errors speak the interface language (issue 11,
item 4): every error path of ``keys``, ``sign``, ``cosign``, ``countersign``, ``verify``,
``trust``, ``platform`` and ``report`` that comes from bad input is run through Click
with ``--lang zh`` — it exits non-zero, no line on stderr is an English sentence and
the path at fault is named — and again with ``--lang en``, which still says it in
English, the very words of the exception (``str(exc)``: logs do not change)."""

from __future__ import annotations

import base64
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from reviewer import i18n
from reviewer.cli import cli
from tests.english import CJK, english_lines
from tests.signing.signing_helpers import UNI as INST, reviewed_course

PW = "pw-123"


def _run(args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], obj={},
                              env={"REVIEWER_PASSPHRASE": PW, **(env or {})})


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Two key pairs, a reviewed package, its signed recommendation, a trust store, and
    the bad inputs the cases use."""
    with pytest.MonkeyPatch.context() as mp:  # what tests/conftest.py sets for each test
        mp.setenv("REVIEWER_HOME", str(tmp_path_factory.mktemp("home")))
        mp.setenv("REVIEWER_NAME", "测试审查人")
        mp.delenv("REVIEWER_DB", raising=False)
        mp.delenv("REVIEWER_LANG", raising=False)
        yield _world(tmp_path_factory.mktemp("errors"))


def _world(w: Path) -> dict[str, Path]:
    kd, pkg, dbp = reviewed_course(w, _run, (("wang", "reviewer"), ("li", "committee"),
                                             ("zhang", "reviewer")))
    rec = w / "rec.json"
    r = _run(["sign", pkg, "--key", kd / "wang.key", "--out", rec, "--db", dbp])
    assert r.exit_code == 0, r.output
    trust = w / "trust.yaml"
    for name in ("wang", "li"):
        assert _run(["trust", "add", trust, kd / f"{name}.pub"]).exit_code == 0

    (w / "notjson.txt").write_text("this is not json {\n", encoding="utf-8")
    (w / "list.json").write_text("[1, 2]\n", encoding="utf-8")
    (w / "afile").write_text("x", encoding="utf-8")
    (w / "folder").mkdir()
    pub = json.loads((kd / "wang.pub").read_text(encoding="utf-8"))
    _json(w / "bad-keyid.pub", {**pub, "keyid": "ed25519:" + "0" * 32})
    _json(w / "bad-alg.pub", {**pub, "algorithm": "rsa"})
    _json(w / "no-fields.pub", {"type": pub["type"], "keyid": pub["keyid"]})
    # a key whose .pub beside it is not JSON, one whose .pub is another key's, one alone
    for sub, pubtext in (("nonjson", "not json"), ("swapped", (kd / "zhang.pub").read_text()),
                         ("alone", None)):
        (w / sub).mkdir()
        shutil.copy(kd / "wang.key", w / sub / "wang.key")
        if pubtext is not None:
            (w / sub / "wang.pub").write_text(pubtext, encoding="utf-8")
    (w / "broken.yaml").write_text("version: 1\ninstitutions: [unclosed\n", encoding="utf-8")
    (w / "bad-trust.yaml").write_text(yaml.safe_dump({
        "version": 2, "surprise": 1, "required_roles": ["dean"],
        "institutions": {INST: {"keys": [{"keyid": "x", "public_key": "AAAA", "role": "reviewer",
                                          "algorithm": "rsa"}, "not a mapping"]}},
        "revoked": [{"keyid": "k", "at": "someday"}]}, allow_unicode=True), encoding="utf-8")
    env = json.loads(rec.read_text(encoding="utf-8"))
    _json(w / "tampered.json", {**env, "payload": env["payload"][:-8] + "AAAAAAA="})
    _json(w / "no-payload.json", {"payloadType": env["payloadType"], "signatures": []})
    _json(w / "not-statement.json", {**env, "payload": base64.b64encode(b'{"a": 1}').decode()})
    platform_db = w / "platform.db"
    # rejected (no countersignature), but the database now belongs to 慕课甲
    assert _run(["platform", "import", rec, "--trust", trust, "--db", platform_db,
                 "--platform", "慕课甲"]).exit_code == 1
    return {"w": w, "kd": kd, "pkg": pkg, "db": dbp, "rec": rec, "trust": trust,
            "platform_db": platform_db}


def _json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@dataclass
class Case:
    """One bad input: the command line (``{w}``-style names filled from :func:`world`),
    the path the message must name, the exit status, extra environment, and the
    words each language must carry (a hint, a code).  ``click``: refused by Click's own
    checks (a folder for a file), whose messages tests/test_cli_usage_errors_zh.py covers."""

    args: list[str]
    names: str | None
    exit: int = 2
    env: dict[str, str] = field(default_factory=dict)
    zh: str = ""
    en: str = ""
    click: bool = False


def _args(case: Case, world) -> list[str]:
    fill = {k: str(v) for k, v in world.items()}
    return [a.format(**fill) for a in case.args]


K, W = "{kd}", "{w}"
CASES = {
    # keys new / show
    "keys new: empty passphrase": Case(
        ["keys", "new", "--name", "x", "--institution", INST, "--role", "reviewer", "--out", f"{W}/k1"],
        None, env={"REVIEWER_PASSPHRASE": ""}, zh="口令不能为空", en="must not be empty"),
    "keys new: the key exists": Case(
        ["keys", "new", "--name", "wang", "--institution", INST, "--role", "reviewer", "--out", K],
        f"{K}/wang.key", zh="已存在", en="already exists"),
    "keys new: a file where a folder should be": Case(
        ["keys", "new", "--name", "x", "--institution", INST, "--role", "reviewer",
         "--out", f"{W}/afile/sub"], f"{W}/afile", zh="不是文件夹", en="Not a directory"),
    "keys new: a bad key name": Case(
        ["keys", "new", "--name", ".hidden", "--institution", INST, "--role", "reviewer",
         "--out", f"{W}/k2"], None, zh="普通文件名", en="plain file name"),
    "keys new: a blank institution": Case(
        ["keys", "new", "--name", "x", "--institution", " ", "--role", "reviewer", "--out", f"{W}/k3"],
        None, zh="学校名称不能为空", en="institution must not be empty"),
    "keys show: missing file": Case(["keys", "show", f"{W}/nope.pub"], f"{W}/nope.pub",
                                    zh="文件不存在", en="No such file"),
    "keys show: not JSON": Case(["keys", "show", f"{W}/notjson.txt"], f"{W}/notjson.txt",
                                zh="不是有效的 JSON", en="not JSON"),
    "keys show: a JSON list": Case(["keys", "show", f"{W}/list.json"], f"{W}/list.json",
                                   zh="不是 JSON 对象", en="not a JSON object"),
    "keys show: keyid does not match": Case(["keys", "show", f"{W}/bad-keyid.pub"],
                                            f"{W}/bad-keyid.pub", zh="与公钥不符",
                                            en="does not match the key"),
    "keys show: unknown algorithm": Case(["keys", "show", f"{W}/bad-alg.pub"], f"{W}/bad-alg.pub",
                                         zh="'rsa'", en="unknown algorithm 'rsa'"),
    "keys show: missing fields": Case(["keys", "show", f"{W}/no-fields.pub"], f"{W}/no-fields.pub",
                                      zh="缺少字段", en="missing or empty field(s)"),
    "keys show: a folder": Case(["keys", "show", f"{W}/folder"], f"{W}/folder", click=True),
    # sign
    "sign: no .pub beside the key": Case(
        ["sign", "{pkg}", "--key", f"{W}/alone/wang.key", "--out", f"{W}/o1.json", "--db", "{db}"],
        f"{W}/alone/wang.pub", zh="NAME.pub 须与 NAME.key", en="NAME.pub must lie beside NAME.key"),
    "sign: the .pub beside is not JSON": Case(
        ["sign", "{pkg}", "--key", f"{W}/nonjson/wang.key", "--out", f"{W}/o2.json", "--db", "{db}"],
        f"{W}/nonjson/wang.pub", zh="不是有效的 JSON", en="not JSON"),
    "sign: the .pub beside is another key's": Case(
        ["sign", "{pkg}", "--key", f"{W}/swapped/wang.key", "--out", f"{W}/o3.json", "--db", "{db}"],
        f"{W}/swapped/wang.pub", zh="不是一对", en="does not belong to"),
    "sign: wrong passphrase": Case(
        ["sign", "{pkg}", "--key", f"{K}/wang.key", "--out", f"{W}/o4.json", "--db", "{db}"],
        f"{K}/wang.key", env={"REVIEWER_PASSPHRASE": "wrong"}, zh="口令不对", en="wrong passphrase"),
    "sign: --valid-days 0": Case(
        ["sign", "{pkg}", "--key", f"{K}/wang.key", "--out", f"{W}/o5.json", "--db", "{db}",
         "--valid-days", "0"], None, zh="至少为 1", en="must be at least 1"),
    "sign: the output lies under a file": Case(
        ["sign", "{pkg}", "--key", f"{K}/wang.key", "--out", f"{W}/afile/o.json", "--db", "{db}"],
        f"{W}/afile/o.json", zh="无法写入", en="cannot write"),
    "sign: a package never scanned": Case(
        ["sign", f"{W}/folder", "--key", f"{K}/wang.key", "--out", f"{W}/o6.json", "--db", "{db}"],
        None, exit=1, zh="签名被拒绝", en="signing refused"),
    "sign: the key is a folder": Case(
        ["sign", "{pkg}", "--key", f"{W}/folder", "--out", f"{W}/o7.json", "--db", "{db}"], f"{W}/folder",
        click=True),
    # countersign / cosign
    "countersign: missing recommendation": Case(
        ["countersign", f"{W}/nope.json", "--key", f"{K}/li.key"], f"{W}/nope.json",
        zh="文件不存在", en="No such file"),
    "countersign: recommendation not JSON": Case(
        ["countersign", f"{W}/notjson.txt", "--key", f"{K}/li.key"], f"{W}/notjson.txt",
        zh="envelope.malformed", en="envelope.malformed: not JSON"),
    "countersign: an envelope without payload": Case(
        ["countersign", f"{W}/no-payload.json", "--key", f"{K}/li.key"], f"{W}/no-payload.json",
        zh="缺少 payload", en="payload missing or not a string"),
    "countersign: wrong passphrase": Case(
        ["countersign", "{rec}", "--key", f"{K}/li.key", "--out", f"{W}/o8.json"], f"{K}/li.key",
        env={"REVIEWER_PASSPHRASE": "wrong"}, zh="口令不对", en="wrong passphrase"),
    "countersign: missing key": Case(
        ["countersign", "{rec}", "--key", f"{W}/nope.key", "--out", f"{W}/o9.json"], f"{W}/nope.key",
        zh="文件不存在", en="No such file"),
    "countersign: tampered recommendation": Case(
        ["countersign", f"{W}/tampered.json", "--key", f"{K}/li.key", "--out", f"{W}/o10.json"],
        None, exit=1, zh="会签被拒绝", en="countersigning refused"),
    "cosign: recommendation not JSON": Case(
        ["cosign", f"{W}/notjson.txt", "--key", f"{K}/li.key"], f"{W}/notjson.txt",
        zh="不是有效的推荐文件", en="envelope.malformed"),
    "cosign: no review team": Case(
        ["cosign", "{rec}", "--key", f"{K}/li.key", "--out", f"{W}/o11.json"], None, exit=1,
        zh="签名被拒绝", en="co-signing refused"),
    # verify
    "verify: missing trust store": Case(["verify", "{rec}", "--trust", f"{W}/nope.yaml"],
                                        f"{W}/nope.yaml", zh="文件不存在", en="No such file"),
    "verify: a .pub as trust store": Case(["verify", "{rec}", "--trust", f"{K}/wang.pub"],
                                          f"{K}/wang.pub", zh="reviewer trust add",
                                          en="reviewer trust add"),
    "verify: text as trust store": Case(["verify", "{rec}", "--trust", f"{W}/notjson.txt"],
                                        f"{W}/notjson.txt", zh="reviewer trust add",
                                        en="top level must be a mapping"),
    "verify: broken trust YAML": Case(["verify", "{rec}", "--trust", f"{W}/broken.yaml"],
                                      f"{W}/broken.yaml", zh="不是有效的 YAML（第 3 行",
                                      en="not valid YAML"),
    "verify: malformed trust store": Case(["verify", "{rec}", "--trust", f"{W}/bad-trust.yaml"],
                                          f"{W}/bad-trust.yaml", zh="不支持的版本 2",
                                          en="unsupported version 2"),
    "verify: recommendation not JSON": Case(["verify", f"{W}/notjson.txt", "--trust", "{trust}"],
                                            f"{W}/notjson.txt", zh="不是有效的 JSON",
                                            en="not JSON"),
    "verify: missing recommendation": Case(["verify", f"{W}/nope.json", "--trust", "{trust}"],
                                           f"{W}/nope.json", zh="无法读取", en="cannot read"),
    "verify: a bad --at": Case(["verify", "{rec}", "--trust", "{trust}", "--at", "someday"], None,
                               zh="--at：不是有效的日期或时间", en="--at: not a date/time: 'someday'"),
    "verify: a missing package": Case(
        ["verify", "{rec}", "--trust", "{trust}", "--package", f"{W}/nopkg"], f"{W}/nopkg",
        zh="无法读取课程包", en="cannot read the package"),
    "verify: trust store is a folder": Case(["verify", "{rec}", "--trust", f"{W}/folder"], f"{W}/folder",
                                            click=True),
    # trust add / list / revoke
    "trust add: missing key": Case(["trust", "add", f"{W}/t1.yaml", f"{W}/nope.pub"], f"{W}/nope.pub",
                                   zh="文件不存在", en="No such file"),
    "trust add: key not JSON": Case(["trust", "add", f"{W}/t2.yaml", f"{W}/notjson.txt"],
                                    f"{W}/notjson.txt", zh="不是公钥文件", en="not JSON"),
    "trust add: a bad --not-before": Case(
        ["trust", "add", f"{W}/t3.yaml", f"{K}/wang.pub", "--not-before", "tomorrow"], None,
        zh="不是有效的日期或时间", en="not a date/time"),
    "trust add: --not-after before --not-before": Case(
        ["trust", "add", f"{W}/t4.yaml", f"{K}/wang.pub", "--not-before", "2026-05-01",
         "--not-after", "2026-01-01"], None, zh="须晚于", en="must be later than"),
    "trust add: malformed trust store": Case(["trust", "add", f"{W}/broken.yaml", f"{K}/wang.pub"],
                                             f"{W}/broken.yaml", zh="不是有效的 YAML",
                                             en="not valid YAML"),
    "trust list: missing": Case(["trust", "list", f"{W}/nope.yaml"], f"{W}/nope.yaml",
                                zh="文件不存在", en="No such file"),
    "trust list: a .pub": Case(["trust", "list", f"{K}/li.pub"], f"{K}/li.pub",
                               zh="这是公钥文件", en="public key file"),
    "trust revoke: missing": Case(["trust", "revoke", f"{W}/nope.yaml", "ed25519:00"],
                                  f"{W}/nope.yaml", zh="找不到", en="does not exist"),
    "trust revoke: a bad --at": Case(["trust", "revoke", "{trust}", "ed25519:00", "--at", "x"], None,
                                     zh="不是有效的日期或时间", en="not a date/time"),
    "trust revoke: malformed trust store": Case(["trust", "revoke", f"{W}/bad-trust.yaml", "k"],
                                                f"{W}/bad-trust.yaml", zh="未知的顶层字段",
                                                en="unknown top-level field(s): surprise"),
    # platform
    "platform import: missing trust store": Case(
        ["platform", "import", "{rec}", "--trust", f"{W}/nope.yaml", "--db", f"{W}/p1.db"],
        f"{W}/nope.yaml", zh="文件不存在", en="No such file"),
    "platform import: a .pub as trust store": Case(
        ["platform", "import", "{rec}", "--trust", f"{K}/li.pub", "--db", f"{W}/p2.db"],
        f"{K}/li.pub", zh="reviewer trust add", en="reviewer trust add"),
    "platform import: another platform's database": Case(
        ["platform", "import", "{rec}", "--trust", "{trust}", "--db", "{platform_db}",
         "--platform", "other"], None, zh="平台数据库属于", en="belongs to"),
    "platform list: not a database": Case(["platform", "list", "--db", f"{W}/notjson.txt"],
                                          f"{W}/notjson.txt", zh="不是 SQLite 数据库",
                                          en="not a usable reviewer database"),
    "sign: a database under a file": Case(
        ["sign", "{pkg}", "--key", f"{K}/wang.key", "--out", f"{W}/o12.json", "--db", f"{W}/afile/x.db"],
        f"{W}/afile/x.db", zh="无法打开数据库", en="cannot open database"),
    "platform list: missing database": Case(["platform", "list", "--db", f"{W}/nope.db"],
                                            f"{W}/nope.db", zh="找不到", en="does not exist"),
    # report
    "report: missing recommendation": Case(["report", f"{W}/nope.json"], f"{W}/nope.json",
                                           zh="文件不存在", en="No such file"),
    "report: recommendation not JSON": Case(["report", f"{W}/notjson.txt"], f"{W}/notjson.txt",
                                            zh="不是有效的 JSON", en="not JSON"),
    "report: not a statement": Case(["report", f"{W}/not-statement.json"], f"{W}/not-statement.json",
                                    zh="不是课程推荐声明", en="not a recommendation statement"),
    "report: pdf without --out": Case(["report", "{rec}", "--format", "pdf"], None,
                                      zh="--out", en="--format pdf needs --out"),
    "report: pdf with no browser": Case(
        ["report", "{rec}", "--format", "pdf", "--out", f"{W}/r.pdf"], None,
        env={"REVIEWER_CHROMIUM": "no-such-browser-here"}, zh="REVIEWER_CHROMIUM",
        en="not a program that can be run"),
    "report: a .pub as trust store": Case(["report", "{rec}", "--trust", f"{K}/li.pub"], f"{K}/li.pub",
                                          zh="reviewer trust add", en="reviewer trust add"),
}


REAL_ERROR_TEXT = i18n.error_text


@pytest.fixture()
def said(monkeypatch):
    """Every exception a command says through :func:`reviewer.i18n.error_text`."""
    seen: list[BaseException] = []

    def spy(exc, lang=None):
        seen.append(exc)
        return REAL_ERROR_TEXT(exc, lang)

    monkeypatch.setattr(i18n, "error_text", spy)
    return seen


@pytest.mark.parametrize("name", list(CASES))
def test_an_error_is_said_in_chinese(name, world, said):
    case = CASES[name]
    r = _run(["--lang", "zh", *_args(case, world)], case.env)
    err = r.stderr
    assert r.exit_code == case.exit, (r.exit_code, r.output)
    assert err.strip() and english_lines(err) == [], err
    assert "errors." not in err, err  # no catalog key left unsaid
    assert CJK.search(err), err
    if case.names:
        assert _args(Case([case.names], None), world)[0] in err, err
    assert case.zh in err, err
    for exc in list(said):  # the English catalog says exactly what the exception says
        assert REAL_ERROR_TEXT(exc, "en") == str(exc), exc


@pytest.mark.parametrize("name", list(CASES))
def test_the_same_error_in_english(name, world):
    case = CASES[name]
    r = _run(["--lang", "en", *_args(case, world)], case.env)
    err = r.stderr
    assert r.exit_code == case.exit, (r.exit_code, r.output)
    assert case.en in err, err
    if case.names:
        assert _args(Case([case.names], None), world)[0] in err, err
    if case.exit == 2 and not case.click:  # (refusals carry the review's own Chinese words)
        assert not CJK.search(err.replace(INST, "").replace("慕课甲", "")), err
    if CJK.search(case.zh):
        assert case.zh not in err, err


def test_verify_tells_an_unknown_signer_from_a_bad_signature(world, tmp_path):
    from reviewer.signing.trust import load_trust

    store = load_trust(world["trust"])
    only_li = tmp_path / "only-li.yaml"
    store.keys = {k: v for k, v in store.keys.items() if v.name == "li"}
    store.save(only_li)
    r = _run(["--lang", "zh", "verify", world["rec"], "--trust", only_li])
    assert r.exit_code == 1 and "不在信任库中" in r.stdout and "无效" not in r.stdout, r.stdout
    r = _run(["--lang", "zh", "verify", world["w"] / "tampered.json", "--trust", world["trust"]])
    assert r.exit_code == 1 and "无效" in r.stdout and "不在信任库中" not in r.stdout, r.stdout
    assert english_lines(r.stdout) == [], r.stdout


def test_errno_is_said_in_the_language():
    missing = FileNotFoundError(2, "No such file or directory", "/x/a.pub")
    assert i18n.os_reason(missing, "zh") == "文件不存在"
    assert i18n.os_reason(missing, "en") == str(missing)
    assert i18n.os_reason(PermissionError(13, "Permission denied"), "zh") == "没有访问权限"
    assert i18n.os_reason(IsADirectoryError(21, "Is a directory"), "zh") == "这是一个文件夹，不是文件"
    assert i18n.os_reason(NotADirectoryError(20, "Not a directory"), "zh").startswith("路径中有一段是文件")
    assert i18n.os_reason(OSError(5, "Input/output error"), "zh") == "Input/output error"  # strerror kept
    coded = i18n.CodedError(None, "file.unreadable", path="/x/a.pub", reason=missing)
    assert str(coded) == f"cannot read /x/a.pub: {missing}"
    assert i18n.error_text(coded, "zh") == "无法读取 /x/a.pub：文件不存在"


def _used_codes() -> set[str]:
    """Every ``errors.*`` entry the code names: ``errors.<code>`` in a t() call, and the
    codes given to CodedError constructors (``Error(None, "code"``, ``PackageError(msg,
    "code"``) and helpers
    (``_problem("code"``: trust.*, ``_said("code"``: envelope.*)."""
    root = Path(__file__).resolve().parents[2] / "reviewer"
    codes = set()
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r"[\"']errors\.([\w.-]+)[\"']", text))
        codes |= set(re.findall(r"\w\(\s*None,\s*[\"']([\w.-]+)[\"']", text))
        codes |= {f"trust.{c}" for c in re.findall(r"_problem\(\"([\w-]+)\"", text)}
        codes |= {f"envelope.{c}" for c in re.findall(r"_said\(\"([\w-]+)\"", text)}
        codes |= set(re.findall(r"\bcode=\"([\w.-]+)\"", text))
        codes |= set(re.findall(r"(?:Package|Scan)Error\([^()]*?,\s*\"([a-z][\w.-]+)\"", text))
    return codes


def test_every_error_code_is_in_both_catalogs_with_the_same_placeholders():
    zh, en = i18n.catalog("zh"), i18n.catalog("en")
    codes = _used_codes()
    assert {"file.unreadable", "trust.is-public-key", "envelope.not-json", "key.pub-beside",
            "no-such-path"} <= codes  # the scan above finds the codes
    placeholder = re.compile(r"(?<!\{)\{(\w+)\}(?!\})")
    for code in sorted(codes):
        key = f"errors.{code}"
        assert key in zh and key in en, key
        assert set(placeholder.findall(zh[key])) == set(placeholder.findall(en[key])), key
    for key in zh.keys() | en.keys():  # and the catalogs hold the same errors
        if key.startswith("errors."):
            assert key in zh and key in en, key
            assert set(placeholder.findall(zh[key])) == set(placeholder.findall(en[key])), key
