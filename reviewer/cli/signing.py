"""``reviewer keys | sign | countersign | report | verify | trust | platform``.

Thin shells over :mod:`reviewer.service.signing`.  Passphrases come from a
hidden prompt or ``$REVIEWER_PASSPHRASE``, never from an option.  Exit
status: 0 done/valid, 1 refused/invalid (every reason listed), 2 unreadable
input or bad arguments.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime

import click

from reviewer.cli.common import EXIT_OK, EXIT_PROBLEMS, fail, fail_error, open_store, resolve_lang
from reviewer.cli.help_catalog import HelpCommand, HelpGroup
from reviewer.i18n import error_text, in_lang, t

LANG_OPTION = click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
                           help="Language of messages (default zh).")


def _passphrase(confirm: bool) -> str:
    env = os.environ.get("REVIEWER_PASSPHRASE")
    if env is not None:
        return env
    try:
        return click.prompt("Passphrase / 口令", hide_input=True, confirmation_prompt=confirm,
                            err=True)
    except click.Abort:
        fail(t("errors.passphrase-none", resolve_lang()))


def _refused(title: str, reasons: list[dict], lang: str, blockers: list[dict] | None = None) -> None:
    """Every reason on stderr, then the review's ``blockers`` in their groups (to answer ·
    failed or to recheck · error findings); exit 1."""
    from reviewer.service.api import group_blockers

    click.echo(f"reviewer: {title}", err=True)
    for r in reasons:
        click.echo(f"  - {in_lang(r, lang)}", err=True)
    if blockers:
        from reviewer.i18n import t

        for key, members in group_blockers(blockers):
            click.echo(f"  {t(f'review.blocker_group.{key}', lang, n=len(members))}", err=True)
            for b in members:
                click.echo(f"    - [{b['id']}] {in_lang(b['message'], lang)}", err=True)
    sys.exit(EXIT_PROBLEMS)


def _at(value: str | None) -> datetime | None:
    if not value:
        return None
    from reviewer.service.api import parse_time

    try:
        return parse_time(value)
    except ValueError as exc:
        fail(t("errors.option-value", resolve_lang(), option="--at",
               reason=error_text(exc, resolve_lang())))


# ---------------------------------------------------------------- keys

@click.group(cls=HelpGroup)
def keys() -> None:
    """Make and inspect signing keys (Ed25519, or SM2 with SM3)."""


@keys.command("new")
@click.option("--name", required=True, help="Key holder's name; also the file name (NAME.key, NAME.pub).")
@click.option("--institution", required=True, help="The holder's university.")
@click.option("--role", type=click.Choice(["reviewer", "committee"]), required=True,
              help="What the key signs as: a reviewer or the teaching committee.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), required=True,
              help="Folder for NAME.key (encrypted, mode 0600) and NAME.pub.")
@click.option("--algorithm", type=click.Choice(["ed25519", "sm2"]), default="ed25519",
              show_default=True,
              help="Signature profile: Ed25519, or SM2 with SM3 (GB/T 32918) for platforms "
                   "that need national commercial cryptography.")
def keys_new(name: str, institution: str, role: str, out_dir: str, algorithm: str) -> None:
    """Make a key pair.  The passphrase is asked for (or read from $REVIEWER_PASSPHRASE)."""
    from reviewer.service.signing import InputError, make_keys

    passphrase = _passphrase(confirm=True)
    if not passphrase:
        fail(t("errors.passphrase-empty", resolve_lang()))
    try:
        key_path, pub_path, info = make_keys(out_dir, name=name, institution=institution,
                                             role=role, passphrase=passphrase,
                                             algorithm=algorithm)
    except InputError as exc:
        fail_error(exc)
    click.echo(f"{info.keyid}\t{key_path}\t{pub_path}")


@keys.command("show")
@click.argument("pub", type=click.Path(dir_okay=False))
def keys_show(pub: str) -> None:
    """Print a public key file's key id and identity."""
    from reviewer.service.api import KeyFileError, load_public

    try:
        info = load_public(pub)
    except KeyFileError as exc:
        fail_error(exc)
    click.echo(json.dumps({k: v for k, v in info.to_dict().items() if k != "type"},
                          ensure_ascii=False, indent=2))


# ---------------------------------------------------------------- sign / countersign

@click.command(cls=HelpCommand)
@click.argument("path", type=click.Path(exists=False))
@click.option("--key", "key_path", type=click.Path(dir_okay=False), required=True,
              help="The reviewer's NAME.key (NAME.pub must lie beside it).")
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="Recommendation file to write.")
@click.option("--audience", default=None, help="Address the recommendation to one platform.")
@click.option("--sequence", type=int, default=None,
              help="Sequence number for this course (default: the last one issued here + 1).")
@click.option("--supersedes", default=None, help="Id of the recommendation this one replaces.")
@click.option("--valid-days", type=int, default=365, show_default=True,
              help="How many days the recommendation stays valid.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=None,
              help="SQLite state file (default: $REVIEWER_DB or the user data dir).")
@LANG_OPTION
def sign(path: str, key_path: str, out: str, audience: str | None, sequence: int | None,
         supersedes: str | None, valid_days: int, db_path: str | None, lang: str | None) -> None:
    """Write the signed recommendation — or send-back — for the reviewed package at PATH.

    A `recommend` is refused (exit 1, every reason listed) while a blocking
    checklist item is unanswered or failed or an error finding has no
    disposition.  A `revise` or `reject` is signed as a send-back record that
    carries those open blockers (platforms refuse it); it needs a decision
    comment.  Any decision is refused when none is recorded, it is outdated, or
    the package changed since it was reviewed.
    """
    from reviewer.service.signing import InputError, SignRefused, sign_package

    lang = resolve_lang(lang)
    db = open_store(db_path)
    try:
        result = sign_package(db, path, key_path=key_path, passphrase=lambda: _passphrase(confirm=False),
                              out=out,
                              audience=audience, sequence=sequence, supersedes=supersedes,
                              valid_days=valid_days)
    except InputError as exc:
        fail_error(exc, lang)
    except SignRefused as exc:
        _refused(t("signing.refused.sign", lang), exc.other_reasons, lang, exc.blockers)
    for w in result.warnings:
        click.echo(f"reviewer: {in_lang(w, lang)}", err=True)
    p = result.statement["predicate"]
    click.echo(f"{result.out}\t{p['id']}\tsequence={p['sequence']}\t{p['decision']['value']}")


def _adds_a_signature(key_help: str):
    """The command line of cosign and countersign: REC, --key (``key_help``), --out, --lang."""
    def wrap(func):
        for apply in (LANG_OPTION,
                      click.option("--out", type=click.Path(dir_okay=False), default=None,
                                   help="Write here instead of updating REC in place."),
                      click.option("--key", "key_path", type=click.Path(dir_okay=False),
                                   required=True, help=key_help),
                      click.argument("rec", type=click.Path(dir_okay=False)),
                      click.command(cls=HelpCommand)):
            func = apply(func)
        return func

    return wrap


@_adds_a_signature("The committee member's NAME.key (NAME.pub beside it).")
def countersign(rec: str, key_path: str, out: str | None, lang: str | None) -> None:
    """Add the teaching committee's signature over the same statement."""
    from reviewer.service.signing import countersign_file

    _add_signature(countersign_file, rec, key_path, out, lang,
                   "signing.refused.countersign")


def _add_signature(how, rec: str, key_path: str, out: str | None, lang: str | None,
                   refused: str) -> None:
    """Run ``how`` (countersign_file or cosign_file) and report as both commands do;
    ``refused`` is the catalog key of the title over the reasons when it is refused."""
    from reviewer.service.signing import InputError, SignRefused

    lang = resolve_lang(lang)
    try:
        target, added = how(rec, key_path=key_path,
                            passphrase=lambda: _passphrase(confirm=False), out=out)
    except InputError as exc:
        fail_error(exc, lang)
    except SignRefused as exc:
        _refused(t(refused, lang), exc.reasons, lang)
    if not added:
        click.echo(f"reviewer: {t('signing.already_signed', lang)}", err=True)
    click.echo(str(target))


@_adds_a_signature("The team member's NAME.key (NAME.pub beside it).")
def cosign(rec: str, key_path: str, out: str | None, lang: str | None) -> None:
    """Add a review team member's signature over the same statement.

    The recommendation must name a review team (`reviewer review team`) with the
    key's holder in it; the committee then countersigns as usual.
    """
    from reviewer.service.signing import cosign_file

    _add_signature(cosign_file, rec, key_path, out, lang, "signing.refused.cosign")


# ---------------------------------------------------------------- report

@click.command(cls=HelpCommand)
@click.argument("rec", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["html", "md", "pdf"]), default="html", show_default=True,
              help="pdf: printed by a headless Chromium (A4, page numbers); needs --out.")
@LANG_OPTION
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Write to a file instead of stdout.")
@click.option("--trust", "trust_path", type=click.Path(dir_okay=False), default=None,
              help="Verify against this trust store: names every signer from its key and shows the verdict.")
@click.option("--time-zone", "tz", type=click.Choice(["beijing", "utc"]), default="beijing", show_default=True,
              help="Show times in Beijing time (UTC+8) or in UTC.")
def report(rec: str, fmt: str, lang: str | None, out: str | None, trust_path: str | None,
           tz: str) -> None:
    """Render REC as a self-contained printable report (Chinese by default).

    Give the committee's or platform's trust store with --trust, so that each
    signature is checked and its signer named; without it the countersignature
    shows as not checked.
    """
    from pathlib import Path

    from reviewer.service.signing import InputError, report_file, report_pdf, write_text_atomic

    lang = resolve_lang(lang)
    if fmt == "pdf":
        if not out:
            fail(t("errors.pdf-needs-out", lang))
        try:
            result = report_pdf(rec, out, lang=lang, trust_path=trust_path, tz=tz)
        except InputError as exc:
            fail_error(exc, lang)
        for w in result.warnings:
            click.echo(f"reviewer: {in_lang(w, lang)}", err=True)
        pages = f"\t{result.pages} pages" if result.pages else ""
        click.echo(f"{result.out}{pages}")
        return
    try:
        text = report_file(rec, fmt=fmt, lang=lang, trust_path=trust_path, tz=tz)
        if out:
            write_text_atomic(Path(out), text)
    except InputError as exc:
        fail_error(exc, lang)
    if not out:
        sys.stdout.write(text)


# ---------------------------------------------------------------- verify

@click.command(cls=HelpCommand)
@click.argument("rec", type=click.Path(dir_okay=False))
@click.option("--trust", "trust_path", type=click.Path(dir_okay=False), required=True,
              help="The platform's trust store (YAML).")
@click.option("--package", type=click.Path(exists=False), default=None,
              help="Also check that this folder or zip holds exactly the signed files.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for programs.")
@click.option("--at", "at", default=None, help="Verify as of this ISO date/time (default: now).")
@LANG_OPTION
def verify(rec: str, trust_path: str, package: str | None, fmt: str, at: str | None,
           lang: str | None) -> None:
    """Verify REC offline.  Exit 0 only when every check holds; 1 lists every reason."""
    from reviewer.service.signing import InputError, verify_file

    lang = resolve_lang(lang)
    try:
        result = verify_file(rec, trust_path, package=package, at=_at(at))
    except InputError as exc:
        fail_error(exc, lang)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(_verify_text(result, lang))
    sys.exit(EXIT_OK if result.ok else EXIT_PROBLEMS)


def _verify_text(result, lang: str) -> str:
    zh = lang == "zh"
    lines = []
    pred = result.predicate
    from reviewer.i18n import t

    if pred:
        title = pred["course"]["title"]
        if isinstance(title, dict):
            title = title.get(lang) or title.get("zh") or title.get("en")
        lines.append(f"{'课程' if zh else 'course'}: {title} ({pred['course']['id']}, "
                     f"{pred['course']['institution']})")
        record = t("verify.record.send_back" if result.send_back else "verify.record.recommendation",
                   lang)
        lines.append(f"{record}: {pred['id']} "
                     f"sequence={pred['sequence']} decision={pred['decision']['value']} "
                     f"valid_until={pred['valid_until']}")
    for s in result.signatures:
        who = f"{s.key.name} · {s.key.institution} · {s.key.role}" if s.key else "?"
        state = t(f"verify.signature.{s.state}", lang)
        lines.append(f"{t('verify.signature.label', lang)} {s.index}: {s.keyid} ({who}): {state}")
    if result.ok:
        lines.append(t("verify.verdict.ok", lang))
    else:
        if result.send_back and result.codes == ["decision.not_recommend"]:
            lines.append(t("verify.verdict.send_back", lang, decision=pred["decision"]["value"]))
        else:
            lines.append(t("verify.verdict.invalid" if result.tampered
                           else "verify.verdict.not_verified", lang))
        for r in result.reasons:
            lines.append(f"  - [{r.code}] {r.message(lang)}")
    return "\n".join(lines)


# ---------------------------------------------------------------- trust store

@click.group(cls=HelpGroup)
def trust() -> None:
    """Maintain a platform's trust store (YAML): add and revoke keys."""


@trust.command("add")
@click.argument("trust_path", metavar="TRUST.yaml", type=click.Path(dir_okay=False))
@click.argument("pub", metavar="KEY.pub", type=click.Path(dir_okay=False))
@click.option("--role", type=click.Choice(["reviewer", "committee"]), default=None,
              help="The role this platform trusts the key for (default: the role in KEY.pub).")
@click.option("--not-before", default=None, help="ISO date/time the key becomes valid (default: its creation).")
@click.option("--not-after", default=None, help="ISO date/time the key stops being valid (default: never).")
def trust_add(trust_path: str, pub: str, role: str | None, not_before: str | None,
              not_after: str | None) -> None:
    """Trust KEY.pub for its institution and a role (creates TRUST.yaml)."""
    from reviewer.service.signing import InputError, trust_add as add

    try:
        info, fresh = add(trust_path, pub, role=role, not_before=not_before, not_after=not_after)
    except InputError as exc:
        fail_error(exc)
    if role and role != info.role:
        note = t("signing.trust_role_note", resolve_lang(), pub=pub, role=info.role, trusted=role)
        click.echo(f"reviewer: {note}", err=True)
    click.echo(f"{'added' if fresh else 'updated'}\t{info.keyid}\t{info.institution}\t{role or info.role}")


@trust.command("revoke")
@click.argument("trust_path", metavar="TRUST.yaml", type=click.Path(dir_okay=False))
@click.argument("keyid")
@click.option("--reason", default="", help="Why (kept in the file).")
@click.option("--at", "at", default=None, help="Revoked as of this ISO date/time (default: now).")
def trust_revoke(trust_path: str, keyid: str, reason: str, at: str | None) -> None:
    """Revoke KEYID: its signatures no longer count from the revocation time on."""
    from reviewer.service.signing import InputError, trust_revoke as revoke

    if not os.path.exists(trust_path):
        fail(t("errors.not-there", resolve_lang(), path=trust_path))
    try:
        known = revoke(trust_path, keyid, reason=reason, at=at)
    except InputError as exc:
        fail_error(exc)
    if not known:
        note = t("signing.revoke_unknown_note", resolve_lang(), keyid=keyid, path=trust_path)
        click.echo(f"reviewer: {note}", err=True)
    click.echo(f"revoked\t{keyid}")


@trust.command("list")
@click.argument("trust_path", metavar="TRUST.yaml", type=click.Path(dir_okay=False))
def trust_list(trust_path: str) -> None:
    """Print the keys of a trust store, one per line."""
    from reviewer.service.signing import InputError, read_trust

    try:
        store = read_trust(trust_path)
    except InputError as exc:
        fail_error(exc)
    for k in sorted(store.keys.values(), key=lambda k: (k.institution, k.role, k.name)):
        revoked = any(r.keyid == k.keyid for r in store.revoked)
        mark = "\trevoked" if revoked else ""
        click.echo(f"{k.keyid}\t{k.institution}\t{k.role}\t{k.name}{mark}")
    click.echo(f"required_roles: {', '.join(store.required_roles)}", err=True)


# ---------------------------------------------------------------- platform

@click.group(cls=HelpGroup)
def platform() -> None:
    """A platform's side: import verified recommendations into its own database."""


@platform.command("import")
@click.argument("recs", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--trust", "trust_path", type=click.Path(dir_okay=False), required=True,
              help="The platform's trust store (YAML).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), required=True,
              help="The platform's own SQLite file.")
@click.option("--platform", "name", default=None,
              help="This platform's name (remembered in the database).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for programs.")
@LANG_OPTION
def platform_import(recs: tuple[str, ...], trust_path: str, db_path: str, name: str | None,
                    fmt: str, lang: str | None) -> None:
    """Import REC files: valid ones are stored, the rest rejected with reasons.

    Exit 0 when none was rejected, 1 otherwise (the others are still imported).
    """
    from reviewer.service.signing import InputError, platform_import as run

    lang = resolve_lang(lang)
    db = open_store(db_path)
    try:
        results = run(db, list(recs), trust_path, platform=name)
    except InputError as exc:
        fail_error(exc, lang)
    if fmt == "json":
        click.echo(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
    else:
        for r in results:
            course = f"{r.course['institution']}/{r.course['id']}" if r.course else "-"
            click.echo(f"{r.decision.outcome}\t{r.source}\t{course}\t{r.recommendation_id or '-'}")
            for reason in r.decision.reasons:
                click.echo(f"  - [{reason.code}] {reason.message(lang)}")
    rejected = any(r.decision.outcome == "rejected" for r in results)
    sys.exit(EXIT_PROBLEMS if rejected else EXIT_OK)


@platform.command("list")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), required=True,
              help="The platform's own SQLite file.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for programs.")
@LANG_OPTION
def platform_list(db_path: str, fmt: str, lang: str | None) -> None:
    """List the accepted courses: a table with their decision, signers and validity
    (JSON: a list, one entry per course)."""
    from rich.console import Console
    from rich.table import Table

    from reviewer.i18n import t
    from reviewer.service.signing import platform_courses

    lang = resolve_lang(lang)
    if not os.path.exists(db_path):
        fail(t("errors.not-there", lang, path=db_path))
    db = open_store(db_path)
    courses = platform_courses(db)
    if fmt == "json":
        click.echo(json.dumps(courses, ensure_ascii=False, indent=2))
        return
    out = sys.stdout
    console = Console(file=out, highlight=False, width=None if out.isatty() else 200,
                      force_terminal=out.isatty())
    table = Table(show_edge=False, pad_edge=False)
    for key in ("institution", "course", "title", "decision", "signers", "sequence",
                "valid_until", "state"):
        table.add_column(t(f"platform.column.{key}", lang), overflow="fold")
    for c in courses:
        title = c["title"]
        if isinstance(title, dict):
            title = title.get(lang) or title.get("zh") or title.get("en")
        signers = "；".join(f"{s.get('name')}（{t('platform.role.' + str(s.get('role')), lang)}）"
                           for s in c["signers"])
        state = t("platform.state.expired" if c["expired"] else "platform.state.current", lang)
        table.add_row(c["institution"], c["course_id"], str(title),
                      t(f"platform.decision.{c['decision']}", lang), signers, str(c["sequence"]),
                      str(c["valid_until"])[:10], state)
    console.print(table)
    console.print(t("platform.total", lang, n=len(courses),
                    expired=sum(1 for c in courses if c["expired"])))

