"""``reviewer review …``: checklist answers, dispositions and decisions from the command line.

A thin shell over :mod:`reviewer.service.review` (each command is one service
call).  Text output is Simplified Chinese by default (``--lang en`` here or on
``reviewer``, or ``REVIEWER_LANG``); ``status`` and ``log`` also speak JSON.
Exit status: 0 done, 1 refused by the review rules (a missing comment, blockers
for ``decide recommend``, bad entries on import), 2 bad arguments, an unknown
item or finding, a package never scanned, or a malformed checklist.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import click

from reviewer.cli.common import (
    EXIT_PROBLEMS, EXIT_USAGE, db_option, fail, fail_error, open_store, resolve_lang, write_output,
)
from reviewer.cli.help_catalog import HelpGroup
from reviewer.i18n import CodedError, t
# The labels of the review model (this module is loaded only for ``reviewer review``,
# which imports the model through the service anyway).
from reviewer.service.api import ANSWER_LABELS as ANSWER
from reviewer.service.api import DECISION_LABELS as DECISION
from reviewer.service.api import DISPOSITION_LABELS as DISPOSITION

def _t(key: str, lang: str, **values: Any) -> str:
    """This group's strings: ``cli.review.<key>`` in the catalogs."""
    from reviewer.i18n import t

    return t(f"cli.review.{key}", lang, **values)


def _severity(value: str, lang: str) -> str:
    from reviewer.i18n import t

    return t(f"severity.{value}", lang)


def _label(table: dict[str, dict[str, str]], value: str | None, lang: str) -> str:
    if value is None:
        return "—"
    return table.get(value, {}).get(lang) or value


def _console():
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def _service():
    from reviewer.service import review as service

    return service


def _echo_refusal(exc, lang: str) -> None:
    """A refusal on stderr: its message, then its details — the blockers of a refused
    recommendation in their groups, the open findings of a refused pass with how to
    confirm it."""
    from reviewer.i18n import in_lang, t
    from reviewer.service.api import group_blockers

    click.echo(f"reviewer: {exc.msg(lang)}", err=True)
    details = [d for d in exc.details if isinstance(d, dict) and "message" in d]
    if exc.code == "blockers":
        for key, members in group_blockers(details):
            click.echo(f"  {t(f'review.blocker_group.{key}', lang, n=len(members))}", err=True)
            for d in members:
                click.echo(f"    - [{d.get('kind')} {d.get('id')}] {in_lang(d['message'], lang)}",
                           err=True)
    else:
        for d in details:
            click.echo(f"  - [{d.get('kind')} {d.get('id')}] {in_lang(d['message'], lang)}", err=True)
    if exc.code == "open-findings":
        click.echo(t("review.open_findings.hint", lang), err=True)


def _interactive() -> bool:
    """Whether someone at a terminal can be asked (not a script or a pipe)."""
    return sys.stdin.isatty()


def _guard(lang: str):
    """Turn the service's refusals into one stderr line and the right exit status."""
    from reviewer.service.api import ChecklistError, ReviewError

    class Guard:
        def __enter__(self):
            return self

        def __exit__(self, exc_type, exc, tb):
            if exc is None:
                return False
            if isinstance(exc, ReviewError):
                _echo_refusal(exc, lang)
                sys.exit(EXIT_USAGE if exc.usage else EXIT_PROBLEMS)
            if isinstance(exc, ChecklistError):
                fail(t("cli.review.checklists_invalid", lang, problems=exc), EXIT_USAGE)
            return False

    return Guard()


@click.group(cls=HelpGroup)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Language of text output (default zh, or $REVIEWER_LANG).")
@click.option("--actor", default=None,
              help="Who is acting (for scripts; default $REVIEWER_NAME, else your profile).")
@click.pass_context
def review(ctx: click.Context, lang: str | None, actor: str | None) -> None:
    """Checklist answers, finding dispositions and the decision for a scanned package.

    Every change is saved at once (no save step) and written to the audit trail
    with the actor (--actor, $REVIEWER_NAME, else your profile: `reviewer profile set`).
    """
    root = ctx.find_root()
    root.ensure_object(dict)
    if lang:
        root.obj["lang"] = lang
    if actor:
        root.obj["actor"] = actor


def _review(path: str, db_path: str | None):
    """The review of the package at ``path`` in the state file (opened here, exit 2 when
    it can't be), acting as ``--actor`` (None: the service decides)."""
    from reviewer.service.session import Workspace

    return Workspace(db=open_store(db_path), actor=_actor()).review(path)


def _actor() -> str | None:
    """The ``--actor`` given to ``reviewer review`` (None: the service decides)."""
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx else None
    return obj.get("actor") if isinstance(obj, dict) else None


# ---------------------------------------------------------------- status

def _print_status(status, lang: str, show_all: bool) -> None:
    from rich.table import Table
    from rich.text import Text

    con = _console()
    title = status.title or status.course_id or status.path
    con.print(Text(f"{title}  ({status.course_id})", style="bold"))
    con.print(Text(f"{status.path}  {status.digest[:19]}…", style="dim"))
    d = status.decision
    line = f"{_t('decision', lang)}：" if lang == "zh" else f"{_t('decision', lang)}: "
    if d:
        line += _label(DECISION, d.decision, lang)
        if d.comment:
            line += f" — {d.comment}"
        if status.decision_outdated:
            line += _t("outdated", lang)
    else:
        line += _t("none", lang)
    con.print(line, markup=False)
    sep = "：" if lang == "zh" else ": "
    con.print(_t("progress", lang) + sep + " · ".join(
        f"{p.name.get(lang) or p.name['zh']} {p.answered}/{p.total}" for p in status.progress))
    if status.team:
        from reviewer.i18n import t

        con.print(_t("team", lang) + sep + ("、" if lang == "zh" else ", ").join(
            f"{m.name}（{t(f'team.role.{m.role}', lang)}）" if lang == "zh"
            else f"{m.name} ({t(f'team.role.{m.role}', lang)})" for m in status.team),
            markup=False)
    if status.continues:
        from reviewer.service.continuity import continued_text

        # one line however long the path: it is there to be copied
        con.print(continued_text(status.continues, lang), style="magenta", markup=False,
                  soft_wrap=True)
    if status.carried_from:
        con.print(_t("carried", lang, n=sum(1 for i in status.items if i.needs_recheck),
                     new=sum(1 for f in status.findings if f.new)), style="magenta")

    for progress in status.progress:
        table = Table(title=progress.name.get(lang) or progress.name["zh"], title_justify="left",
                      expand=False, show_lines=False)
        table.add_column("ID", no_wrap=True)
        table.add_column(_t("blocking", lang), no_wrap=True)
        table.add_column(_t("answer", lang), no_wrap=True)
        if status.team:
            table.add_column(_t("agreement", lang), no_wrap=True)
        table.add_column(_t("evidence", lang), justify="right", no_wrap=True)
        table.add_column(_t("question", lang), overflow="fold")
        for item in status.items:
            if item.checklist != progress.checklist:
                continue
            answer = Text(_label(ANSWER, item.answer, lang),
                          style={"pass": "green", "fail": "red", "na": "yellow"}.get(item.answer or "", "dim"))
            if item.needs_recheck:
                answer.append(f" ({_t('recheck', lang)})", style="bold magenta")
            question = item.question.get(lang) or item.question["zh"]
            if item.comment:
                question += f"\n  ↳ {item.comment}"
            row = [item.id, "●" if item.blocking else "", answer, str(len(item.evidence)),
                   Text(question)]
            if status.team:
                row.insert(3, _agreement(item, lang))
            table.add_row(*row)
        con.print(table)

    counts = Counter(f.severity for f in status.findings)
    summary = status.summary()
    con.print(Text(_t("findings", lang), style="bold") + Text(sep + _t(
        "counts", lang, total=len(status.findings), error=counts["error"],
        warning=counts["warning"], info=counts["info"], open=summary["open_findings"])))
    con.print(Text(_t("groups", lang, groups=summary["groups"], open=summary["open_groups"])))
    # one row per group: its id (a finding's own id for a group of one), ×count, files
    listed = [g for g in status.groups if show_all or g.severity in ("error", "warning")]
    limit = None if show_all else 40
    if listed:
        table = Table(expand=False)
        table.add_column("ID", no_wrap=True, min_width=16)
        table.add_column(_t("count", lang), justify="right", no_wrap=True)
        for col in (_t("severity", lang), _t("check", lang), _t("match", lang), _t("file", lang),
                    _t("disposition", lang)):
            table.add_column(col, overflow="fold")
        for g in listed[:limit]:
            table.add_row(g.id, f"×{g.count}" if g.count > 1 else "", _severity(g.severity, lang),
                          Text(f"{g.first.check}/{g.first.category}"), Text(g.first.match or "—"),
                          Text(_group_files(g, lang)), _group_disposition(g, lang))
        con.print(table)
        if limit is not None and len(listed) > limit:
            con.print(_t("more", lang, n=len(listed) - limit), style="dim")

    if status.blockers:
        from reviewer.i18n import t

        con.print(Text(f"{_t('blockers', lang)} ({len(status.blockers)})", style="bold red"))
        for key, members in status.blocker_groups:
            con.print(Text(f"  {t(f'review.blocker_group.{key}', lang, n=len(members))}",
                           style="bold"))
            for b in members:
                con.print(f"    - [{b.id}] {b.message.get(lang) or b.message['zh']}", markup=False)
    else:
        con.print(Text(_t("no_blockers", lang), style="green"))


def _agreement(item, lang: str):
    """An item's agreement in a team, with each member's answer: ``有分歧 王明✓ 李华✗``."""
    from rich.text import Text

    from reviewer.i18n import t

    style = {"agreed": "green", "disputed": "bold red", "resolved": "cyan"}.get(
        item.agreement or "", "dim")
    text = Text(t(f"team.agreement.{item.agreement}", lang), style=style)
    marks = {"pass": "✓", "fail": "✗", "na": "–", None: "·"}
    for m in item.members:
        text.append(f" {m.member}{marks.get(m.answer, '?')}")
    return text


def _group_files(group, lang: str) -> str:
    files = sorted({f.file for f in group.findings if f.file})
    if not files:
        return "—"
    if len(files) == 1:
        return files[0]
    return _t("files_n", lang, file=files[0], n=len(files), more=len(files) - 1)


def _group_disposition(group, lang: str) -> str:
    """The group's disposition: the members' when they agree; how many are open when not."""
    value = group.disposition
    if value is not None:
        text = _label(DISPOSITION, value, lang)
    elif group.open:
        text = _label(DISPOSITION, None, lang)
        if group.open < group.count:
            text += " " + _t("open", lang, n=group.open)
    else:
        text = _t("mixed", lang)
    if any(f.needs_recheck for f in group.findings):
        text += f" ({_t('recheck', lang)})"
    if any(f.new and f.disposition is None for f in group.findings):
        text += f" [{_t('new', lang)}]"
    return text


@review.command()
@click.argument("path", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--all", "show_all", is_flag=True, help="List every finding in text output.")
@db_option
def status(path: str, fmt: str, show_all: bool, db_path: str | None) -> None:
    """Show answers, findings with dispositions, the decision and the blockers.

    JSON: items (id, checklist, blocking, answer, comment …), findings (id,
    severity, disposition …), decision, blockers, progress.
    """
    lang = resolve_lang()
    with _guard(lang):
        state = _review(path, db_path).status()
    if fmt == "json":
        click.echo(json.dumps(state.to_dict(), ensure_ascii=False, indent=2))
        return
    _print_status(state, lang, show_all)


# ---------------------------------------------------------------- actions

@review.command()
@click.argument("path", type=click.Path())
@click.argument("item")
@click.argument("answer", type=click.Choice(["pass", "fail", "na"], case_sensitive=False))
@click.option("--comment", "-m", default=None, help="Comment (required for fail and na).")
@click.option("--confirm-open-findings", "confirm", is_flag=True,
              help="Answer pass although error findings in the item's evidence have no "
                   "disposition (needs --comment). Without it a terminal asks; a script is refused.")
@db_option
def answer(path: str, item: str, answer: str, comment: str | None, confirm: bool,
           db_path: str | None) -> None:
    """Answer checklist ITEM with pass, fail or na (fail and na need --comment).

    `pass` on an item whose own evidence holds error findings nobody has
    disposed of is not taken silently: at a terminal you are shown them and
    asked to confirm and comment; a script passes --confirm-open-findings and
    --comment, or is refused (exit 1).  The confirmation is audited.
    """
    lang = resolve_lang()
    with _guard(lang):
        review_ = _review(path, db_path)
        state = _with_confirmation(
            lambda text, sure: review_.answer(item, answer, text, confirm_open_findings=sure),
            item, comment, confirm, lang)
    click.echo(_t("answered", lang, item=state.item_id, answer=_label(ANSWER, state.answer, lang)))


def _with_confirmation(record, item: str, comment: str | None, confirm: bool, lang: str):
    """``record(comment, confirmed)``; a pass refused over open error findings is asked
    about at a terminal (shown, confirmed, commented) and recorded again, else refused."""
    from reviewer.service.api import ReviewError

    try:
        return record(comment, confirm)
    except ReviewError as exc:
        asked = exc.code == "open-findings" or (exc.code == "comment-required" and confirm
                                                and bool(exc.details))
        if not (asked and _interactive()):
            raise
        return record(_confirm_open_findings(exc, item, comment, lang), True)


def _confirm_open_findings(exc, item: str, comment: str | None, lang: str) -> str:
    """Show the open error findings, ask to confirm the pass and for its comment."""
    from reviewer.i18n import in_lang, t

    click.echo(f"reviewer: {exc.msg(lang)}", err=True)
    for d in exc.details:
        click.echo(f"  - [{d.get('id')}] {in_lang(d.get('message'), lang)}", err=True)
    item_id = item.strip()
    if not click.confirm(t("review.open_findings.ask", lang, item=item_id), default=False,
                         err=True):
        fail(t("review.open_findings.not_recorded", lang, item=item_id), EXIT_PROBLEMS)
    while not (comment or "").strip():
        comment = click.prompt(t("review.open_findings.ask_comment", lang), err=True)
    return comment


@review.command()
@click.argument("path", type=click.Path())
@click.argument("finding")
@click.argument("disposition", type=click.Choice(["confirmed", "false-alarm", "accepted"],
                                                 case_sensitive=False))
@click.option("--reason", "-r", default=None,
              help="Why (required for false-alarm; the justification for accepted).")
@click.option("--group", "-g", "whole_group", is_flag=True,
              help="Dispose of FINDING's whole group: every finding of the same rule and text.")
@db_option
def dispose(path: str, finding: str, disposition: str, reason: str | None, whole_group: bool,
            db_path: str | None) -> None:
    """Record what FINDING is: confirmed, false-alarm (--reason) or accepted (--reason).

    FINDING is a finding id from `review status` (a unique prefix of 4+ characters
    will do).  With --group, FINDING is a group id from `review status` or the id
    of any finding in the group, and every finding of the group gets the
    disposition (occurrences found by a later scan stay open).
    """
    lang = resolve_lang()
    with _guard(lang):
        done = _review(path, db_path).dispose(finding, disposition, reason, group=whole_group)
    if whole_group:
        click.echo(_t("disposed_group", lang, group=done.group, n=len(done.members),
                      changed=done.changed, disposition=_label(DISPOSITION, done.disposition, lang)))
        return
    click.echo(_t("disposed", lang, finding=done.finding_id,
                  disposition=_label(DISPOSITION, done.disposition, lang)))


@review.command()
@click.argument("path", type=click.Path())
@click.argument("decision", type=click.Choice(["recommend", "revise", "reject"],
                                              case_sensitive=False))
@click.option("--comment", "-m", default=None, help="Comment (required for revise and reject).")
@db_option
def decide(path: str, decision: str, comment: str | None, db_path: str | None) -> None:
    """Record the decision. `recommend` is refused (exit 1) while anything blocks it."""
    lang = resolve_lang()
    with _guard(lang):
        result = _review(path, db_path).decide(decision, comment)
    click.echo(_t("decided", lang, decision=_label(DECISION, result.decision, lang)))


# ---------------------------------------------------------------- the review team

@review.group("team")
def team_() -> None:
    """The review team: several reviewers answer independently, the chair resolves.

    Without a team one reviewer reviews, as always.  Once the team has a chair,
    only the chair changes it.
    """


@team_.command("add")
@click.argument("path", type=click.Path())
@click.option("--name", required=True, help="The member's name (as their --actor, profile or key).")
@click.option("--chair", is_flag=True, help="The member chairs the team (resolves, decides).")
@click.option("--institution", default=None, help="The member's institution.")
@click.option("--key", "pub", type=click.Path(dir_okay=False), default=None,
              help="The member's .pub: institution and key id are read from it.")
@db_option
def team_add(path: str, name: str, chair: bool, institution: str | None, pub: str | None,
             db_path: str | None) -> None:
    """Add a member to the review team of PATH."""
    from reviewer.i18n import t

    lang = resolve_lang()
    keyid = None
    with _guard(lang):
        if pub:
            from reviewer.service.profile import profile_from_key

            key = profile_from_key(pub)
            institution, keyid = institution or key.institution, key.keyid
        member = _review(path, db_path).add_member(name, chair=chair, institution=institution,
                                                   keyid=keyid)
    click.echo(_t("member_added", lang, name=member.name, role=t(f"team.role.{member.role}", lang)))


@team_.command("remove")
@click.argument("path", type=click.Path())
@click.argument("name")
@db_option
def team_remove(path: str, name: str, db_path: str | None) -> None:
    """Remove NAME (and their own answers) from the review team."""
    lang = resolve_lang()
    with _guard(lang):
        _review(path, db_path).remove_member(name)
    click.echo(_t("member_removed", lang, name=name))


@team_.command("list")
@click.argument("path", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for programs.")
@db_option
def team_list(path: str, fmt: str, db_path: str | None) -> None:
    """List the review team of PATH."""
    from reviewer.i18n import t

    lang = resolve_lang()
    with _guard(lang):
        members = _review(path, db_path).team()
    if fmt == "json":
        click.echo(json.dumps([m.to_dict() for m in members], ensure_ascii=False, indent=2))
        return
    if not members:
        click.echo(_t("no_team", lang))
        return
    for m in members:
        click.echo(f"{m.name}\t{t(f'team.role.{m.role}', lang)}\t{m.institution or '—'}\t"
                   f"{m.keyid or '—'}")


@review.command()
@click.argument("path", type=click.Path())
@click.argument("item")
@click.option("--answer", "answer_", required=True,
              type=click.Choice(["pass", "fail", "na"], case_sensitive=False),
              help="The consolidated answer.")
@click.option("--comment", "-m", default=None, help="Comment (required for fail and na).")
@click.option("--confirm-open-findings", "confirm", is_flag=True,
              help="Resolve as pass although error findings in the item's evidence have no "
                   "disposition (needs --comment). Without it a terminal asks; a script is refused.")
@db_option
def resolve(path: str, item: str, answer_: str, comment: str | None, confirm: bool,
            db_path: str | None) -> None:
    """The chair records the team's consolidated answer to ITEM (e.g. a disputed one).

    As with `review answer`, a pass over error findings nobody has disposed of is
    asked about (or needs --confirm-open-findings and --comment), and audited.
    """
    lang = resolve_lang()
    with _guard(lang):
        review_ = _review(path, db_path)
        state = _with_confirmation(
            lambda text, sure: review_.resolve(item, answer_, text, confirm_open_findings=sure),
            item, comment, confirm, lang)
    click.echo(_t("resolved", lang, item=state.item_id, answer=_label(ANSWER, state.answer, lang)))


@review.command()
@click.argument("path", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for programs.")
@db_option
def disagreements(path: str, fmt: str, db_path: str | None) -> None:
    """Items the team members answered differently: each one's answer and comment."""
    from rich.table import Table
    from rich.text import Text

    lang = resolve_lang()
    with _guard(lang):
        rows = _review(path, db_path).disagreements()
    if fmt == "json":
        click.echo(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(_t("no_disagreements", lang))
        return
    table = Table(expand=False)
    table.add_column("ID", no_wrap=True)
    table.add_column(_t("member", lang), no_wrap=True)
    table.add_column(_t("answer", lang), no_wrap=True)
    table.add_column(_t("comment", lang), overflow="fold")
    table.add_column(_t("consolidated", lang), overflow="fold")
    for r in rows:
        resolved = (f"{_label(ANSWER, r.resolved.answer, lang)} — {r.resolved.comment or ''}"
                    f" ({r.resolved.actor})" if r.resolved else "—")
        for n, a in enumerate(r.answers):  # one row per member, the item on the first
            table.add_row(r.item + (" ●" if r.blocking else "") if n == 0 else "",
                          Text(a.member), _label(ANSWER, a.answer, lang), Text(a.comment or "—"),
                          Text(resolved) if n == 0 else "")
        table.add_section()
    _console().print(table)
    click.echo(_t("disputed_n", lang, n=len(rows), resolved=sum(1 for r in rows if r.resolved)))


@review.command()
@click.argument("path", type=click.Path())
@click.argument("text")
@click.option("--target", default=None, help="An item or finding id the note is about.")
@db_option
def note(path: str, text: str, target: str | None, db_path: str | None) -> None:
    """Add a free note to the review."""
    lang = resolve_lang()
    with _guard(lang):
        note_id = _review(path, db_path).note(text, target)
    click.echo(f"note {note_id}")


# ---------------------------------------------------------------- export / import / log

@review.command("export")
@click.argument("path", type=click.Path())
@click.argument("file", type=click.Path(dir_okay=False))
@db_option
def export_(path: str, file: str, db_path: str | None) -> None:
    """Write the answers, dispositions and notes to FILE.yaml ('-' for stdout)."""
    import yaml

    lang = resolve_lang()
    with _guard(lang):
        data = _review(path, db_path).export()
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    if file == "-":
        click.echo(text, nl=False)
        return
    write_output(file, text)
    click.echo(_t("exported", lang, answers=len(data["answers"]),
                  dispositions=len(data["dispositions"]), file=file))


@review.command("import")
@click.argument("path", type=click.Path())
@click.argument("file", type=click.Path(dir_okay=False))
@db_option
def import_(path: str, file: str, db_path: str | None) -> None:
    """Apply answers, dispositions and notes from FILE.yaml (e.g. one written by export).

    Bad entries are listed on stderr and the rest applied (exit 1 if any was refused).
    """
    import yaml

    lang = resolve_lang()
    try:
        raw = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        data = yaml.safe_load(raw)
    except (OSError, UnicodeDecodeError) as exc:
        fail_error(CodedError(f"cannot read {file}: {exc}", "file.unreadable", path=file,
                              reason=exc))
    except (yaml.YAMLError, RecursionError) as exc:  # RecursionError: hostile nesting
        mark = getattr(exc, "problem_mark", None)
        where = f"{file}:{mark.line + 1}" if mark else file
        fail_error(CodedError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}",
                              "file.unreadable", path=file, reason=exc))
    with _guard(lang):
        report = _review(path, db_path).import_(data)
    for warning in report.warnings:
        click.echo(f"reviewer: {warning.get(lang) or warning['zh']}", err=True)
    for error in report.errors:
        click.echo(f"  - {_t('refused', lang)} {error['entry']}: "
                   f"{error['message'].get(lang) or error['message']['zh']}", err=True)
    click.echo(_t("imported", lang, applied=len(report.applied),
                  unchanged=len(report.unchanged), errors=len(report.errors)))
    if report.errors:
        sys.exit(EXIT_PROBLEMS)


def _brief(value: Any, width: int = 40) -> str:
    """A compact one-line form of an audit value (long digests and texts shortened)."""
    if value is None:
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}={_brief(v, 24)}" for k, v in value.items()
                         if v not in (None, "", [], {}))
    if isinstance(value, list):
        return "[" + ", ".join(_brief(v, 24) for v in value[:5]) + (", …" if len(value) > 5 else "") + "]"
    text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


@review.command("log")
@click.argument("path", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for programs.")
@db_option
def log(path: str, fmt: str, db_path: str | None) -> None:
    """Show the audit trail: who changed what and when, across all versions."""
    from rich.table import Table
    from rich.text import Text

    lang = resolve_lang()
    with _guard(lang):
        entries = _review(path, db_path).audit()
    if fmt == "json":
        click.echo(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=2))
        return
    if not entries:
        click.echo(_t("log_empty", lang))
        return
    table = Table(expand=False)
    for key in ("at", "actor", "action", "target", "change"):
        table.add_column(_t(key, lang), overflow="fold")
    for e in entries:
        change = f"{_brief(e.old)} → {_brief(e.new)}" if e.old is not None else _brief(e.new)
        table.add_row(e.at.replace("T", " ")[:19], Text(e.actor), e.action,
                      Text(_brief(e.target or "", 19)), Text(change))
    _console().print(table)


@review.command("checklists")
@click.argument("dirs", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for programs.")
def checklists_(dirs: tuple[str, ...], fmt: str) -> None:
    """Validate and list the checklists in force (or those in DIRS).

    For institutions editing checklists: every problem is reported as
    file:line: message (exit 2).
    """
    from rich.table import Table
    from rich.text import Text

    lang = resolve_lang()
    with _guard(lang):
        cls = _service().load_checklists([Path(d) for d in dirs] if dirs else None)
    if fmt == "json":
        click.echo(json.dumps({
            "digest": cls.digest,
            "checklists": [{"id": c.id, "name": c.name, "source": c.source, "digest": c.digest,
                            "items": [{"id": i.id, "question": i.question, "blocking": i.blocking,
                                       "evidence": [e.to_dict() for e in i.evidence],
                                       "comment_required": sorted(i.comment_required),
                                       "regulation": i.regulation} for i in c.items]}
                           for c in cls.checklists]}, ensure_ascii=False, indent=2))
        return
    con = _console()
    for cl in cls.checklists:
        table = Table(title=f"{cl.name.get(lang) or cl.name['zh']} ({cl.source})",
                      title_justify="left")
        table.add_column("ID", no_wrap=True)
        table.add_column(_t("blocking", lang), no_wrap=True)
        table.add_column(_t("question", lang), overflow="fold")
        table.add_column(_t("evidence", lang), overflow="fold")
        for item in cl.items:
            evidence = "; ".join(_brief(e.to_dict(), 60) for e in item.evidence)
            table.add_row(item.id, "●" if item.blocking else "",
                          Text(item.question.get(lang) or item.question["zh"]), Text(evidence))
        con.print(table)
    n = sum(len(c.items) for c in cls.checklists)
    click.echo(_t("checklists_ok", lang, lists=len(cls.checklists), items=n,
                  digest=cls.digest[:19] + "…"))
