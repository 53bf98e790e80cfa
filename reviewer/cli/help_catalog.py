"""The commands' own help in the interface language (room: cli).

Click shows a command's docstring, its options' ``help=`` texts and its
subcommands' short help as written, in English.  In Chinese (the interface
language :mod:`reviewer.cli.click_lang` decides before Click parses) they come
from ``reviewer/i18n/cli_help.yaml`` instead, looked up by command path and
parameter name, never by the English text::

    trust add:                      # the command path; the root is "reviewer"
      short: 信任一个公钥 …          # its line in its group's command list
      help: |-                      # its description (paragraphs: a blank line)
        …
      options: {role: …}            # by the option's long name without dashes
      arguments: {…}                # by the argument's name, for one with help=

Every command of the ``reviewer`` tree is a :class:`HelpCommand` or
:class:`HelpGroup` (``cls=`` on the decorator; a group's subcommands and
subgroups inherit them).  They read the catalog only while formatting help,
copy a parameter before showing it in Chinese (the shared command objects are
never changed: zh and en alternate in one process) and lay Chinese text out by
its display width (a Chinese character is two columns).  In English Click's
own formatting stands.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from functools import cache
from typing import Any

import click

from reviewer.cli import click_lang

#: the root command's key in the catalog
ROOT = "reviewer"
#: Click's text for the help option, translated through click.yaml
HELP_OPTION_TEXT = "Show this message and exit."


@cache
def catalog() -> dict[str, Any]:
    """``reviewer/i18n/cli_help.yaml``: ``commands`` (path → entry) and ``metavars``."""
    from reviewer.i18n import read_catalog

    data = read_catalog("cli_help.yaml")
    return {"commands": dict(data.get("commands") or {}),
            "metavars": {str(k): str(v) for k, v in (data.get("metavars") or {}).items()}}


def entry(path: str) -> dict[str, Any]:
    return catalog()["commands"].get(path) or {}


def command_path(ctx: click.Context) -> str:
    """``"trust add"`` for the context of ``reviewer trust add`` (``"reviewer"`` for the root)."""
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name or ctx.command.name or "")
        ctx = ctx.parent
    return " ".join(reversed(names)) or ROOT


def param_key(param: click.Parameter) -> str:
    """An option's long name without its dashes (``only-lexicon``); an argument's name."""
    if isinstance(param, click.Option):
        longs = [o for o in param.opts if o.startswith("--")]
        return (longs[0] if longs else param.opts[0]).lstrip("-")
    return param.name or ""


def english_metavar(param: click.Parameter, ctx: click.Context) -> str:
    """The value placeholder Click shows in English.  A path's is worked out from what it
    accepts: Click names the type when it is made, in the language of that moment."""
    if param.metavar is not None:
        return param.metavar
    kind = param.type
    if isinstance(kind, click.Path):
        name = ("FILE" if kind.file_okay and not kind.dir_okay else
                "DIRECTORY" if kind.dir_okay and not kind.file_okay else "PATH")
        return name + ("..." if param.nargs != 1 else "")
    try:
        return param.make_metavar(ctx)
    except TypeError:  # Click < 8.2: make_metavar() takes no context
        return param.make_metavar()  # type: ignore[call-arg]


def metavar(text: str, chinese: bool) -> str:
    """Click's placeholder ``text`` (``FILE``, ``[OPTIONS]``) in Chinese, or as it is."""
    return catalog()["metavars"].get(text, text) if chinese else text


def zh() -> bool:
    return click_lang.current() == "zh"


# ---------------------------------------------------------------- layout by display width

_CLOSING = set("，。、；：！？）》」』”’…%,.;:!?)]}")
_OPENING = set("（《「『“‘([{")


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def width(text: str) -> int:
    """Columns ``text`` takes on a terminal: two for a wide (CJK) character."""
    return sum(2 if _wide(c) else 1 for c in text)


def _chunks(text: str) -> list[str]:
    """Break points of mixed text: each wide character stands alone, a run of narrow ones
    (an option, a path) stays whole, punctuation keeps to its neighbour and a short
    bracketed note (Click's ``[默认：text]``) stays in one piece."""
    chunks: list[str] = []
    for part in _NOTE.split(text):
        if _NOTE.fullmatch(part):
            chunks.append(part)
        else:
            _chunk_into(chunks, part)
    return chunks


_NOTE = re.compile(r"(\[[^\[\]\s]{1,24}\])")


def _chunk_into(chunks: list[str], text: str) -> None:
    for char in text:
        if char.isspace():
            if chunks and chunks[-1].isspace():
                chunks[-1] += " "
            else:
                chunks.append(" ")
        elif chunks and (char in _CLOSING or chunks[-1][-1] in _OPENING) \
                and not chunks[-1].isspace():
            chunks[-1] += char
        elif chunks and not _wide(char) and not chunks[-1].isspace() \
                and not _wide(chunks[-1][-1]):
            chunks[-1] += char
        else:
            chunks.append(char)


def wrap(text: str, limit: int, first: str = "", rest: str = "") -> list[str]:
    """One paragraph filled to ``limit`` columns, lines starting with ``first`` / ``rest``."""
    lines: list[str] = []
    line, used = first, width(first)
    fresh = True
    for chunk in _chunks(" ".join(text.split("\n"))):
        if chunk.isspace():
            if not fresh:
                line, used = line + chunk, used + len(chunk)
            continue
        size = width(chunk)
        if used + size > limit and not fresh:
            lines.append(line.rstrip())
            line, used = rest, width(rest)
        line, used, fresh = line + chunk, used + size, False
    lines.append(line.rstrip())
    return lines


def _join_lines(paragraph: str) -> str:
    """A paragraph's source lines as one: no space where two Chinese characters meet."""
    out = ""
    for piece in (p.strip() for p in paragraph.splitlines()):
        if out and piece and not (_wide(out[-1]) and _wide(piece[0])):
            out += " "
        out += piece
    return out


def fill(text: str, limit: int, indent: str = "") -> list[str]:
    """Paragraphs (split on blank lines) filled to ``limit`` columns, a blank line between."""
    lines: list[str] = []
    for paragraph in (p for p in text.split("\n\n") if p.strip()):
        if lines:
            lines.append("")
        if paragraph.startswith("\b"):  # Click's mark: keep the lines as written
            lines.extend(indent + p for p in paragraph[1:].strip("\n").splitlines())
            continue
        lines.extend(wrap(_join_lines(paragraph), limit, indent, indent))
    return lines


class WideHelpFormatter(click.HelpFormatter):
    """Click's formatter measuring text by display width, for Chinese help."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = click_lang.translate("Usage:")
            prefix += "" if prefix.endswith("：") else " "
        head = f"{prefix:>{self.current_indent}}{prog}"
        if not args:
            self.write(head + "\n")
            return
        indent = " " * min(width(head) + 1, max(self.width - 20, 0))
        for line in wrap(args, self.width, head + " ", indent):
            self.write(line + "\n")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        self.write("\n".join(fill(text, self.width, indent)) + "\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        if not rows:
            return
        first_col = min(max(width(a) for a, _ in rows), col_max) + col_spacing
        indent = " " * self.current_indent
        hang = " " * (self.current_indent + first_col)
        for term, text in rows:
            self.write(indent + term)
            if not text:
                self.write("\n")
                continue
            if width(term) <= first_col - col_spacing:
                self.write(" " * (first_col - width(term)))
            else:
                self.write("\n" + hang)
            lines = fill(text, max(self.width - first_col - 2, 10))
            self.write((lines[0] if lines else "") + "\n")
            for line in lines[1:]:
                self.write((hang + line if line else "") + "\n")


class HelpContext(click.Context):
    """A context whose formatter measures display width while the language is Chinese."""

    def make_formatter(self) -> click.HelpFormatter:
        if not zh():
            return super().make_formatter()
        return WideHelpFormatter(width=self.terminal_width, max_width=self.max_content_width)


class CatalogHelp:
    """Mixin for :class:`click.Command` and :class:`click.Group`: in Chinese the help,
    the options' help, the command list and the placeholders come from the catalog."""

    context_class = HelpContext

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        text = entry(command_path(ctx)).get("help") if zh() else None
        if not text:
            super().format_help_text(ctx, formatter)  # type: ignore[misc]
            return
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(str(text).strip())

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)  # type: ignore[misc]
        if not zh():
            return pieces
        own = {getattr(self, "options_metavar", None), getattr(self, "subcommand_metavar", None)}
        return [metavar(p, True) if p in own else p for p in pieces]

    def shown_param(self, ctx: click.Context, param: click.Parameter) -> click.Parameter:
        """``param`` as the help shows it: a copy carrying the text and placeholder in the
        interface language (the parameter itself is shared and stays as it is)."""
        chinese = zh()
        shown = copy.copy(param)
        if param is self.get_help_option(ctx):  # type: ignore[attr-defined]
            # Click makes it once, in the language of that moment: say it in this one
            shown.help = click_lang.translate(HELP_OPTION_TEXT)
            return shown
        if chinese:
            section = "options" if isinstance(param, click.Option) else "arguments"
            text = (entry(command_path(ctx)).get(section) or {}).get(param_key(param))
            if text:
                shown.help = str(text)
            elif param.help:  # Click's own (--version): its catalog, click.yaml
                shown.help = click_lang.translate(param.help)
        if isinstance(param, click.Option) and not (param.is_flag or param.count):
            shown.metavar = metavar(english_metavar(param, ctx), chinese)
        return shown

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            if isinstance(param, click.Option):
                record = self.shown_param(ctx, param).get_help_record(ctx)
                if record is not None:
                    rows.append(record)
        if rows:
            with formatter.section(click_lang.translate("Options")):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)

    def format_arguments(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Arguments documented with ``help=`` (Click 8.5+), in the interface language."""
        args = [self.shown_param(ctx, p) for p in self.get_params(ctx)  # type: ignore[attr-defined]
                if isinstance(p, click.Argument)]
        if any(getattr(a, "help", None) is not None for a in args):
            with formatter.section(click_lang.translate("Positional arguments")):
                formatter.write_dl([a.get_help_record(ctx) for a in args])

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if not zh():
            super().format_commands(ctx, formatter)  # type: ignore[misc]
            return
        base = command_path(ctx)
        prefix = "" if base == ROOT else base + " "
        rows = []
        for name in self.list_commands(ctx):  # type: ignore[attr-defined]
            cmd = self.get_command(ctx, name)  # type: ignore[attr-defined]
            if cmd is None or cmd.hidden:
                continue
            short = entry(prefix + name).get("short")
            rows.append((name, str(short) if short else cmd.get_short_help_str()))
        if rows:
            with formatter.section(click_lang.translate("Commands")):
                formatter.write_dl(rows)


class HelpCommand(CatalogHelp, click.Command):
    """A command whose help speaks the interface language."""


class HelpGroup(CatalogHelp, click.Group):
    """A group whose help speaks the interface language; its subcommands and subgroups
    are made as :class:`HelpCommand` / :class:`HelpGroup`."""

    command_class = HelpCommand
    group_class = type
