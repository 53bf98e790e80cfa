"""The reader: page through any file's extracted text, search the whole package (room: tui).

The left column lists the package's files (or, after a search, the hits);
the right shows one chunk of the chosen file's segments at a time, each with
its locator (page, slide, cue time, paragraph, line) in the gutter.  Jumping
from a finding opens its file at its segment with the match highlighted.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from reviewer.i18n import t
from reviewer.tui.actions import bindings_for
from reviewer.tui.cells import tail
from reviewer.tui.localized import FollowsLanguage, relabel_bindings
from reviewer.tui.widgets.search_input import SearchInput

#: Segments shown per chunk.
CHUNK = 50
#: Cells for a file name in the left column (its width minus border and padding).
LIST_WIDTH = 23
#: The same for a search hit's location: a long hit list has a scrollbar (two
#: cells), and one more keeps a wide character from wrapping 页 onto a line alone.
HIT_WIDTH = LIST_WIDTH - 3


@dataclass(slots=True)
class Mark:
    """A span to highlight: segment ordinal position in the file, start, end."""

    index: int
    start: int
    end: int


def segment_text(segment, lang: str, mark: Mark | None = None, index: int = -1) -> Text:
    """One segment as the reader shows it: its locator, then its text (match highlighted)."""
    out = Text()
    out.append(segment.locator.label(lang) + "\n", style="bold cyan")
    text = segment.text
    if mark is not None and mark.index == index and 0 <= mark.start < mark.end <= len(text):
        out.append(text[:mark.start])
        out.append(text[mark.start:mark.end], style="bold reverse")
        out.append(text[mark.end:])
    else:
        out.append(text)
    return out


class ReaderView(FollowsLanguage, Vertical):
    """Files or search hits on the left, a chunk of located text on the right."""

    ACTION_SCOPE = "reader"
    BINDINGS = bindings_for("reader", "zh")
    DEFAULT_CSS = """
    ReaderView #rv-main { height: 1fr; }
    ReaderView #rv-left { width: 26; border-right: solid $primary; }
    ReaderView #rv-search { height: 1; border: none; padding: 0 1; }
    ReaderView #rv-list-title { height: 1; color: $text-muted; padding: 0 1; }
    ReaderView #rv-list { height: 1fr; border: none; }
    ReaderView #rv-where { height: 1; background: $boost; padding: 0 1; width: 100%; }
    ReaderView #rv-text { height: 1fr; padding: 0 1; }
    ReaderView .seg { margin-bottom: 1; }
    ReaderView .seg.-marked { background: $warning 20%; }
    """

    def __init__(self, session, lang: str = "zh", **kwargs) -> None:
        super().__init__(**kwargs)
        relabel_bindings(self, lang)
        self.session = session
        self.lang = lang
        self.file: str | None = None
        self.segments: list = []
        self.chunk = 0
        self.mark: Mark | None = None
        self.mode = "files"
        self.hits: list = []

    def compose(self) -> ComposeResult:
        with Horizontal(id="rv-main"):
            with Vertical(id="rv-left"):
                yield SearchInput(placeholder=t("tui.reader.search", self.lang), id="rv-search",
                                  compact=True)
                yield Label("", id="rv-list-title")
                yield OptionList(id="rv-list")
            with Vertical():
                yield Label("", id="rv-where", markup=False)
                yield VerticalScroll(id="rv-text", can_focus=True)

    def on_mount(self) -> None:
        # nested children may still be mounting: fill after the first refresh
        self.call_after_refresh(self._first_fill)

    def _first_fill(self) -> None:
        self.show_files()
        self.render_chunk()

    def focus_main(self) -> None:
        if self.file is None:
            self.query_one("#rv-list", OptionList).focus()
        else:
            self.query_one("#rv-text").focus()

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.query_one("#rv-search", SearchInput).placeholder = t("tui.reader.search", lang)
        if self.mode == "files":
            self.show_files()
        else:
            self._title_hits()
        self.render_chunk()

    # -- left column
    def show_files(self) -> None:
        self.mode = "files"
        options = self.query_one("#rv-list", OptionList)
        options.clear_options()
        for row in self.session.files:
            label = tail(row["path"], LIST_WIDTH - (2 if row.get("status") == "error" else 0))
            if row.get("status") == "error":
                label += " ⚠"
            options.add_option(Option(Text(label), id=row["path"]))
        self.query_one("#rv-list-title", Label).update(
            t("tui.reader.files", self.lang, count=len(self.session.files)))
        if self.session.files:
            options.highlighted = 0
        if self.file is not None:
            for i, row in enumerate(self.session.files):
                if row["path"] == self.file:
                    options.highlighted = i

    def _title_hits(self) -> None:
        self.query_one("#rv-list-title", Label).update(
            t("tui.reader.hits", self.lang, count=len(self.hits)))

    def run_search(self, query: str) -> None:
        query = query.strip()
        if not query:
            self.show_files()
            return
        self.hits = self.session.search(query)
        self.mode = "hits"
        options = self.query_one("#rv-list", OptionList)
        options.clear_options()
        for i, (seg, offset) in enumerate(self.hits):
            start = max(0, offset - 6)
            snippet = seg.text[start:offset + len(query) + 10].replace("\n", " ")
            # the file on its own line (its name kept, the folder cut first), then where
            # in it: at 80 columns "file · 字幕 3 00:01:02.500–…" lost the file
            where = tail(seg.file, HIT_WIDTH) + "\n  " + tail(seg.locator.label(self.lang),
                                                              HIT_WIDTH - 2)
            options.add_option(Option(Text(f"{where}\n  {snippet}"), id=f"hit-{i}"))
        self._title_hits()
        if self.hits:
            options.highlighted = 0
        options.focus()

    def on_input_submitted(self, event: SearchInput.Submitted) -> None:
        if event.input.id == "rv-search":
            event.stop()
            self.run_search(event.value)

    def on_search_input_left(self, event: SearchInput.Left) -> None:
        event.stop()
        self.query_one("#rv-list", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith("hit-") and self.mode == "hits":
            seg, offset = self.hits[int(option_id[4:])]
            query = self.query_one("#rv-search", SearchInput).value.strip()
            self.open_file(seg.file, ordinal=seg.ordinal, start=offset, end=offset + len(query))
        else:
            self.open_file(option_id)
        self.query_one("#rv-text").focus()

    # -- right column
    def open_file(self, path: str, *, ordinal: int | None = None, locator_key: str | None = None,
                  start: int | None = None, end: int | None = None, match: str = "") -> None:
        """Show ``path``; with a target segment, go to its chunk and highlight the span."""
        if path != self.file:
            self.file = path
            self.segments = self.session.file_text(path)
        index = None
        for i, seg in enumerate(self.segments):
            if (ordinal is not None and seg.ordinal == ordinal) or \
                    (locator_key is not None and seg.locator.key() == locator_key):
                index = i
                break
        self.mark = None
        if index is not None:
            text = self.segments[index].text
            if (start is None or end is None or text[start:end] != match) and match:
                found = text.find(match)
                if found >= 0:
                    start, end = found, found + len(match)
            if start is not None and end is not None:
                self.mark = Mark(index, start, end)
            else:
                self.mark = Mark(index, 0, 0)
            self.chunk = index // CHUNK
        else:
            self.chunk = 0
        self.render_chunk()

    def show_finding(self, finding) -> None:
        """Open the finding's file at its location, the match highlighted."""
        if not finding.file:
            self.notify(t("tui.reader.no_location", self.lang), severity="warning")
            return
        extra = finding.extra or {}
        self.open_file(finding.file,
                       locator_key=finding.locator.key() if finding.locator else None,
                       start=extra.get("start"), end=extra.get("end"), match=finding.match)

    @property
    def chunks(self) -> int:
        return max(1, -(-len(self.segments) // CHUNK))

    def render_chunk(self) -> None:
        box = self.query_one("#rv-text", VerticalScroll)
        box.remove_children()
        if self.file is None:
            box.mount(Static(t("tui.reader.pick", self.lang), classes="seg"))
            self.update_where()
            return
        if not self.segments:
            record = next((r for r in self.session.files if r["path"] == self.file), {})
            reason = record.get("error") or t("tui.reader.no_text", self.lang)
            box.mount(Static(Text(reason), classes="seg"))
            self.update_where()
            return
        lo = self.chunk * CHUNK
        widgets = []
        target = None
        for i in range(lo, min(lo + CHUNK, len(self.segments))):
            w = Static(segment_text(self.segments[i], self.lang, self.mark, i), classes="seg")
            if self.mark is not None and self.mark.index == i:
                w.add_class("-marked")
                target = w
            widgets.append(w)
        box.mount_all(widgets)
        if target is not None:
            self.call_after_refresh(box.scroll_to_widget, target, animate=False, top=True)
        else:
            box.scroll_home(animate=False)
        self.update_where()

    def update_where(self) -> None:
        if self.file is None:
            text = t("tui.reader.nothing", self.lang)
        else:
            text = t("tui.reader.where", self.lang, file=self.file.rsplit("/", 1)[-1],
                     chunk=self.chunk + 1,
                     chunks=self.chunks, segments=len(self.segments))
        self.query_one("#rv-where", Label).update(text)

    # -- actions
    def action_next_chunk(self) -> None:
        if self.file is not None and self.chunk + 1 < self.chunks:
            self.chunk += 1
            self.render_chunk()

    def action_prev_chunk(self) -> None:
        if self.file is not None and self.chunk > 0:
            self.chunk -= 1
            self.render_chunk()

    def action_search_text(self) -> None:
        self.query_one("#rv-search", SearchInput).focus()

    def action_files(self) -> None:
        self.show_files()
        self.query_one("#rv-list", OptionList).focus()

    def action_focus_text(self) -> None:
        self.query_one("#rv-text").focus()
