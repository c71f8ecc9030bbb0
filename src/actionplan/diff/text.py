"""The diff as text for a terminal, and as Markdown for a pull-request comment.

Both show the same things in the same order; a word diff keeps a few words of context each
side of a change (`…` marks what is cut), and a text rewritten beyond recognition is named as
such, with the share of its words that changed per language, rather than shown as a word diff
(Markdown folds the old and new texts below it; the HTML and JSON formats hold them in full).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from actionplan.diff.model import (
    CommitmentDiff,
    CommitmentRef,
    FieldChange,
    MilestoneMove,
    MilestoneRef,
    PlanDiff,
    ProseDiff,
    WordSpan,
)
from actionplan.diff.present import Presenter, field_label
from actionplan.diff.record_text import write_record
from actionplan.diff.words import PARAGRAPH, as_translations, elide, join, tokens

CONTEXT_WORDS = 6
_RESET = "\x1b[0m"
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_LINE_BREAK = re.compile(r"\s*\n\s*")
_MENTION = re.compile(r"(?<![\w.+-])@(?=\w)")
T = TypeVar("T")


def one_line(text: str) -> str:
    """Plan text on one line: a paragraph break as ¶, any other line break as a space (a line
    break in a Markdown list item could start a block of its own: a list, a quote, a heading)."""
    if "\n" not in text:
        return text
    return _LINE_BREAK.sub(" ", _PARAGRAPH_BREAK.sub(" ¶ ", text.strip()))


def markdown_text(text: str) -> str:
    """Plan text as Markdown that shows it as it is: HTML and Markdown syntax escaped, and no
    `@name` that would notify a GitHub user or team (a word joiner after the @)."""
    text = html.escape(text, quote=False)
    return _MENTION.sub("@\u2060", re.sub(r"([\\`*_\[\]|~#!<>])", r"\\\1", text))


def code_span(text: str) -> str:
    """A Markdown code span holding any text: fenced by more backticks than it holds in a row."""
    text = one_line(text)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


@dataclass(frozen=True)
class _Style:
    """How text marks what changed: ANSI colours for a terminal, or Markdown and HTML tags."""

    color: bool = False
    markdown: bool = False

    def _ansi(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}{_RESET}" if self.color else text

    def escape(self, text: str) -> str:
        text = one_line(text.replace(PARAGRAPH, " ¶ "))
        return markdown_text(text) if self.markdown else text

    def ins(self, text: str) -> str:
        if self.markdown:
            return f"<ins>{self.escape(text)}</ins>"
        return self._ansi("32", "{+" + self.escape(text) + "+}")

    def dele(self, text: str) -> str:
        if self.markdown:
            return f"<del>{self.escape(text)}</del>"
        return self._ansi("31", "[-" + self.escape(text) + "-]")

    def code(self, text: str) -> str:
        return code_span(text) if self.markdown else one_line(text)

    def strong(self, text: str) -> str:
        return f"**{text}**" if self.markdown else self._ansi("1", text)

    def warn(self, text: str) -> str:
        return f"⚠️ **{text}**" if self.markdown else self._ansi("1;31", f"({text})")

    def heading(self, text: str, level: int) -> str:
        if self.markdown:
            return f"{'#' * level} {text}"
        return self._ansi("1;36" if level <= 3 else "1", text)

    def marker(self, sign: str) -> str:
        if self.markdown:
            return "" if sign == " " else f"`{sign}` "
        return self._ansi({"+": "32", "-": "31"}.get(sign, "33"), sign)


def _html_text(text: str) -> str:
    """Plan text inside HTML in a Markdown comment: escaped, paragraph breaks kept (GitHub reads
    Markdown between inline HTML tags, so its syntax is escaped too)."""
    paragraphs = [join(tokens(part)) for part in re.split(r"\n[ \t]*\n", text)]
    return "<br><br>".join(markdown_text(p) for p in paragraphs if p)


class _Writer:
    def __init__(self, diff: PlanDiff, presenter: Presenter, style: _Style) -> None:
        self.diff = diff
        self.p = presenter
        self.s = style
        self.lines: list[str] = []

    # --- helpers ------------------------------------------------------------------------------

    def emit(self, line: str = "") -> None:
        self.lines.append(line)

    def heading(self, text: str, level: int, indent: str = "") -> None:
        if self.s.markdown:
            self.emit()
            self.emit(self.s.heading(text, level))
            self.emit()
        else:
            if level <= 3:
                self.emit()
            self.emit(indent + self.s.heading(text, level))

    def item(self, sign: str, text: str, indent: str, nested: bool = False) -> None:
        """One line of a list: `  + text` (or a Markdown item, `- `+` text`)."""
        if self.s.markdown:
            self.emit(f"{'  ' if nested else ''}- {self.s.marker(sign)}{text}")
        else:
            self.emit(f"{indent}{self.s.marker(sign)} {text}")

    def words(self, prose: ProseDiff) -> str:
        parts = []
        for span in elide(prose.spans, CONTEXT_WORDS):
            parts.append(self._span(span))
        return " ".join(parts)

    def _span(self, span: WordSpan | None) -> str:
        if span is None:
            return "…"
        if span.op == "insert":
            return self.s.ins(span.text)
        if span.op == "delete":
            return self.s.dele(span.text)
        return self.s.escape(span.text)

    def label(self, text: str) -> str:
        return self.s.code(text)

    def named(self, ident: str, title: str) -> str:
        """`id: Title` (or `**id** — Title` in Markdown)."""
        if self.s.markdown:
            return f"**{self.s.escape(ident)}** — {self.s.escape(title)}"
        return f"{self.s.strong(self.s.escape(ident))}: {self.s.escape(title)}"

    def entry_heading(self, ident: str, title: str) -> None:
        """A changed commitment or consultation: a heading in Markdown, a `~` line otherwise."""
        if self.s.markdown:
            self.heading(f"{self.s.escape(ident)} — {self.s.escape(title)}", 4)
        else:
            self.emit()
            self.item("~", self.named(ident, title), "  ")

    def added_removed(
        self,
        name: str,
        added: Sequence[T],
        removed: Sequence[T],
        line: Callable[[T], str],
        sub: str | None = None,
    ) -> None:
        """The lists `NAME_added` and `NAME_removed`, each under its heading when not empty: a
        section's, or with `sub` (its indent) a subheading inside a changed entry."""
        for suffix, refs, sign in (("added", added, "+"), ("removed", removed, "-")):
            if not refs:
                continue
            title = self.p.section(f"{name}_{suffix}")
            if sub is None:
                self.heading(title, 3)
            else:
                self.subheading(title, sub)
            for ref in refs:
                self.item(sign, line(ref), "  " if sub is None else sub + "  ")

    # --- fields -------------------------------------------------------------------------------

    def fields(self, changes: list[FieldChange], indent: str, nested: bool = False) -> None:
        for change in changes:
            for sign, line in self.field_lines(change):
                self.item(sign, line, indent, nested)

    def field_lines(self, change: FieldChange) -> Iterator[tuple[str, str]]:
        esc = self.s.escape
        if change.words:
            if self.p.rewritten(change):
                yield "~", f"{self.label(change.path)}: {self.rewrite(change)}"
            else:
                for prose in change.words:
                    yield "~", f"{self.label(field_label(change, prose))}: {self.words(prose)}"
            return
        name = self.label(change.path)
        if change.change == "added":
            yield "+", f"{name}: {esc(self.p.value(change.new, change.path))}"
        elif change.change == "removed":
            yield "-", f"{name}: {esc(self.p.value(change.old, change.path))}"
        else:
            old = esc(self.p.value(change.old, change.path))
            new = esc(self.p.value(change.new, change.path))
            yield "~", f"{name}: {old} → {new}"

    def rewrite(self, change: FieldChange) -> str:
        """`rewritten (words changed: fr 90%, en 87%)`; in Markdown, the texts folded below."""
        rewritten = change.words
        note = self.p.rewritten_note(rewritten)
        if not self.s.markdown:
            return note
        old = as_translations(change.old, self.diff.old.languages[0])  # type: ignore[arg-type]
        new = as_translations(change.new, self.diff.new.languages[0])  # type: ignore[arg-type]
        texts = []
        for prose in rewritten:
            before = _html_text(old.get(prose.lang, ""))
            after = _html_text(new.get(prose.lang, ""))
            texts.append(
                f'<p lang="{prose.lang}"><del>{before}</del></p>'
                f'<p lang="{prose.lang}"><ins>{after}</ins></p>'
            )
        return f"<details><summary>{html.escape(note)}</summary>{''.join(texts)}</details>"

    # --- the document -------------------------------------------------------------------------

    def document(self) -> str:
        d, p, s = self.diff, self.p, self.s
        if s.markdown:
            self.emit(f"**{s.escape(p.plan_name(d.new))}**: {p.summary()}")
            self.emit()
            compared = p.text("compared", old=s.code(d.old.source), new=s.code(d.new.source))
            self.emit(f"<sub>{html.escape(compared, quote=False)}</sub>")
        else:
            self.emit(s.heading(p.title(), 1))
            self.emit(p.compared())
            self.emit(p.summary())
        if d.cross_cycle:
            if s.markdown:
                self.emit()
            self.emit(p.text("cross_cycle") if not s.markdown else f"> {p.text('cross_cycle')}")
        if d.identical:
            return self.finish()
        self.commitment_lists()
        for commitment in d.commitments.changed:
            if commitment is d.commitments.changed[0]:
                self.heading(p.section("commitments_changed"), 3)
            self.commitment(commitment)
        if d.cross_cycle and d.commitments.unchanged:
            self.heading(p.section("commitments_unchanged"), 3)
            for ref in d.commitments.unchanged:
                self.item("=", self.named(ref.id, p.plain(ref.title)), "  ")
        self.vision()
        write_record(self)
        return self.finish()

    def finish(self) -> str:
        text = "\n".join(self.lines).rstrip("\n") + "\n"
        return re.sub(r"\n{3,}", "\n\n", text)

    def commitment_lists(self) -> None:
        d, p = self.diff, self.p

        def line(ref: CommitmentRef) -> str:
            return f"{self.named(ref.id, p.plain(ref.title))} ({p.commitment_detail(ref)})"

        self.added_removed("commitments", d.commitments.added, d.commitments.removed, line)

    def commitment(self, c: CommitmentDiff) -> None:
        p, s = self.p, self.s
        self.entry_heading(c.id, p.plain(c.title))
        sub = "    "
        inner = "      "
        if c.fields:
            self.subheading(p.section("fields"), sub)
            self.fields(c.fields, inner)
        self.added_removed(
            "milestones", c.milestones_added, c.milestones_removed, self.milestone, sub
        )
        if c.milestones_moved:
            self.subheading(p.section("milestones_moved"), sub)
            for move in c.milestones_moved:
                self.item(
                    "~", f"{self.named(move.id, p.plain(move.title))} — {self.move(move)}", inner
                )
        if c.milestones_changed:
            self.subheading(p.section("milestones_changed"), sub)
            for milestone in c.milestones_changed:
                self.item("~", self.named(milestone.id, p.plain(milestone.title)), inner)
                self.fields(milestone.fields, inner + "    ", nested=True)
        if c.status_changes:
            self.subheading(p.section("status_changes"), sub)
            for status in c.status_changes:
                change = f"{p.status(status.old)} → {p.status(status.new)}"
                if status.regression:
                    change += " " + s.warn(p.text("regression"))
                self.item(
                    "!" if status.regression else "~",
                    f"{self.named(status.milestone, p.plain(status.title))} — {change}",
                    inner,
                )
        if c.progress_added or c.progress_removed or c.progress_changed:
            self.subheading(p.section("progress"), sub)
            for sign, entries in (("+", c.progress_added), ("-", c.progress_removed)):
                for entry in entries:
                    note = f" — {s.escape(p.plain(entry.note))}" if entry.note else ""
                    self.item(
                        sign,
                        f"{entry.date.isoformat()} {s.code(entry.milestone)}: "
                        f"{p.status(entry.status)}{note}",
                        inner,
                    )
            for changed in c.progress_changed:
                self.item("~", f"{changed.date.isoformat()} {s.code(changed.milestone)}", inner)
                self.fields(changed.fields, inner + "    ", nested=True)

    def milestone(self, ref: MilestoneRef) -> str:
        when = f"{ref.start.isoformat()} – {ref.end.isoformat()}"
        if ref.status:
            when += f", {self.p.status(ref.status)}"
        return f"{self.named(ref.id, self.p.plain(ref.title))} ({when})"

    def subheading(self, text: str, indent: str) -> None:
        if self.s.markdown:
            self.emit()
            self.emit(f"**{text}**")
            self.emit()
        else:
            self.emit(indent + self.s.heading(text, 5))

    def move(self, move: MilestoneMove) -> str:
        p = self.p
        parts = []
        if move.start_shift_days:
            start = self.p.text("column.start").lower()
            parts.append(
                f"{start} {move.old_start.isoformat()} → {move.new_start.isoformat()} "
                f"({p.days(move.start_shift_days)})"
            )
        if move.slip_days:
            end = self.p.text("column.end").lower()
            parts.append(
                f"{end} {move.old_end.isoformat()} → {move.new_end.isoformat()} "
                f"({p.days(move.slip_days)})"
            )
        return ", ".join(parts)

    def vision(self) -> None:
        d, p = self.diff, self.p
        if d.vision:
            self.heading(p.section("vision"), 3)
            self.fields(d.vision, "  ")
        if d.approval is not None:
            self.heading(p.section("approval"), 3)
            if d.approval.change == "changed":
                self.fields(d.approval.fields, "  ")
            else:
                sign = "+" if d.approval.change == "added" else "-"
                self.item(sign, p.text(f"approval.{d.approval.change}"), "  ")
        people = d.participants
        if people.added or people.removed or people.changed:
            self.heading(p.section("participants"), 3)
            for sign, group in (("+", people.added), ("-", people.removed)):
                for person in group:
                    org = f" ({person.organization})" if person.organization else ""
                    role = self.p.labels.enum("role", person.role)
                    self.item(
                        sign,
                        f"{self.s.strong(self.s.escape(person.name))}{self.s.escape(org)}: {role}",
                        "  ",
                    )
            for changed in people.changed:
                for sign, line in self._person_lines(changed.name, changed.fields):
                    self.item(sign, line, "  ")
        if d.member:
            self.heading(p.section("member"), 3)
            self.fields(d.member, "  ")
        if d.assessments:
            self.heading(p.section("assessments"), 3)
            for doc in d.assessments:
                sign = {"added": "+", "removed": "-"}.get(doc.change, "~")
                self.item(
                    sign, f"{self.s.code(doc.document)}: {p.text('change.' + doc.change)}", "  "
                )
                self.fields(doc.fields, "      ", nested=True)

    def _person_lines(self, name: str, fields: list[FieldChange]) -> Iterator[tuple[str, str]]:
        for change in fields:
            for sign, line in self.field_lines(change):
                yield sign, f"{self.s.strong(self.s.escape(name))}: {line}"


def render_text(diff: PlanDiff, presenter: Presenter, color: bool = False) -> str:
    """The diff for a terminal; ANSI colours when `color`."""
    return _Writer(diff, presenter, _Style(color=color)).document()


def render_markdown(diff: PlanDiff, presenter: Presenter) -> str:
    """The diff as GitHub-flavoured Markdown, its summary on the first line."""
    return _Writer(diff, presenter, _Style(markdown=True)).document()
