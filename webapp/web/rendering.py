"""Turn an article plus spans into paragraphs of text pieces for the templates.

One function serves the marking page (spans = units) and the feedback page (spans = found,
missed and falsely marked items), so both show exactly the canonical text.
"""

from __future__ import annotations

from dataclasses import dataclass
from weakref import WeakKeyDictionary

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from ..domain.article import Article

# CommonMark with raw HTML disabled: lesson text cannot inject markup.
_markdown = MarkdownIt("commonmark", {"html": False})


def markdown(text: str) -> Markup:
    # markdown-it escapes text and raw HTML is off (bandit B704 reviewed).
    return Markup(_markdown.render(text))  # noqa: S704  # nosec B704


@dataclass
class RenderedParagraph:
    index: int
    start: int
    is_heading: bool
    pieces: list[tuple[str, object]]  # (text, payload or None for plain text)


def split_paragraphs(article: Article, spans: list[tuple[int, int, object]]) -> list[RenderedParagraph]:
    """Cut each paragraph at the given non-overlapping spans (sorted by start)."""
    spans = sorted(spans, key=lambda span: span[0])
    result, cursor = [], 0
    for para in article.paragraphs:
        pieces, position = [], para.start
        while cursor < len(spans) and spans[cursor][0] < para.end:
            start, end, payload = spans[cursor]
            start, end = max(start, para.start), min(end, para.end)
            if start > position:
                pieces.append((article.text[position:start], None))
            pieces.append((article.text[start:end], payload))
            position = end
            if spans[cursor][1] <= para.end:
                cursor += 1
            else:
                break  # the span continues in the next paragraph
        if position < para.end:
            pieces.append((article.text[position:para.end], None))
        result.append(RenderedParagraph(para.index, para.start, para.is_heading, pieces))
    return result


@dataclass
class _MarkingParagraph:
    """One paragraph of the marking page, escaped once per article and unit kind."""

    open_tag: str  # "<p ... data-units=…" without its closing ">", so data-on can follow
    after_open: str  # ">" and, for a heading, its inner listbox's opening tag
    close: str
    first: int  # the number of its first unit on the page
    between: list[str]  # escaped text before each unit, and after the last
    texts: list[str]  # each unit's escaped text

    def __post_init__(self) -> None:
        # The paragraph with no unit marked, as most paragraphs are on most visits: joined once.
        pairs = zip(self.between[:-1], self.texts, strict=True)
        self.unmarked = "".join(piece for pair in pairs for piece in pair) + self.between[-1]


# Per article and unit kind.
_marking_templates: WeakKeyDictionary = WeakKeyDictionary()


def _marking_template(article: Article, unit: str) -> list[_MarkingParagraph]:
    cached = _marking_templates.setdefault(article, {})
    if unit not in cached:
        units = article.units(unit)
        paragraphs, count = [], 0
        for para in split_paragraphs(article, [(u.start, u.end, i) for i, u in enumerate(units)]):
            between, texts, bounds, current, position, previous_end = [], [], [], [], 0, 0
            for text, payload in para.pieces:
                length = len(text)  # code points, as the script counts them too
                if payload is not None:
                    between.append("".join(current))
                    texts.append(str(escape(text)))
                    bounds += [position - previous_end, length]
                    previous_end = position + length
                    current = []
                else:
                    current.append(str(escape(text)))
                position += length
            between.append("".join(current))
            # data-unit: the number of the paragraph's first unit; data-units: where its units are, as
            # a pair per unit: the gap since the previous unit's end (or the paragraph's start) and
            # the unit's length, so mostly "1,5" (half the bytes of start and end offsets, which were
            # a third of the hedge page). The script makes the units options from these when the
            # learner reaches the paragraph, so the page's HTML holds a span only for each marked unit.
            where = (f'data-start="{para.start}" data-unit="{count}" '
                     f'data-units="{",".join(map(str, bounds))}"')
            if para.is_heading:
                paragraphs.append(_MarkingParagraph(f'<h2 class="art-h" {where}', '><span class="para">',
                                                    "</span></h2>", count, between, texts))
            else:
                paragraphs.append(_MarkingParagraph(f'<p class="para" {where}', ">", "</p>", count, between, texts))
            count += len(texts)
        cached[unit] = paragraphs
    return cached[unit]


def marking_html(article: Article, unit: str, marked: set[int]) -> Markup:
    """The article as the marking page shows it: its text, each marked unit a <span class="on">,
    and in each paragraph's data attributes where its units are and which are marked (data-on),
    for the script. Without the script the marks still show, and the checkbox form marks.

    The marking page is the most requested page of a class; building it from a cached template
    instead of a template loop over thousands of words keeps it cheap, and leaving the unmarked
    words out of the markup (2,600 elements on the hedge page) halves the time its HTML takes
    a slow Chromebook to parse.
    """
    parts = ['<div class="article">']
    for para in _marking_template(article, unit):
        on = {index for index in range(len(para.texts)) if para.first + index in marked}
        parts.append(para.open_tag)
        if on:
            parts.append(f' data-on="{",".join(map(str, sorted(on)))}"')
        parts.append(para.after_open)
        if on:
            parts.append(para.between[0])
            for index, text in enumerate(para.texts):
                parts.append(f'<span class="on">{text}</span>' if index in on else text)
                parts.append(para.between[index + 1])
        else:
            parts.append(para.unmarked)
        parts.append(para.close)
    parts.append("</div>")
    # Every text piece above is escaped (bandit B704 reviewed).
    return Markup("".join(parts))  # noqa: S704  # nosec B704


# --- the marking kinds' pages (their templates call these as globals) ------------------------------


def marking_article(exercise, marked: set[int]) -> Markup:
    return marking_html(exercise.article, exercise.unit, marked)


MARK_LABELS = {"found": "found", "missed": "missed", "acceptable": "acceptable, not counted",
               "false_alarms": "not on the key"}


def feedback_marks(exercise, result: dict) -> tuple[list[RenderedParagraph], dict[int, int]]:
    """The article with the learner's marks and (when visible) the missed items, and the number
    each numbered mark carries, by its start. False alarms are not numbered (the list below groups
    them by explanation), and neighbouring ones in a line are one mark: a check with every word
    marked stays a page of a few dozen kilobytes, not thousands of marks."""
    marks: list[tuple[int, int, dict]] = []
    for group in ("found", "missed", "acceptable", "false_alarms"):
        for item in result.get(group, []):
            marks.append((item["start"], item["end"], {"kind": group, "label": MARK_LABELS[group]}))
    marks.sort(key=lambda mark: mark[0])
    text, merged = exercise.article.text, []
    for mark in marks:
        previous = merged[-1] if merged else None
        if (previous and previous[2]["kind"] == mark[2]["kind"] == "false_alarms"
                and not any(ch.isalnum() or ch == "\n" for ch in text[previous[1]:mark[0]])):
            merged[-1] = (previous[0], mark[1], previous[2])
        else:
            merged.append(mark)
    marks = merged
    numbers, number = {}, 0
    for start, _, info in marks:
        if info["kind"] != "false_alarms":
            number += 1
            info["number"] = numbers[start] = number
    return split_paragraphs(exercise.article, marks), numbers


@dataclass
class FalseAlarmGroup:
    explanation: str
    texts: dict[str, int]  # each text marked, and how many times


def group_false_alarms(items: list[dict]) -> list[FalseAlarmGroup]:
    """False alarms that share an explanation as one entry listing their texts with counts
    ("“the”, 87 times"), in the order of their first occurrence."""
    groups: dict[str, FalseAlarmGroup] = {}
    for item in items:
        group = groups.setdefault(item["explanation"], FalseAlarmGroup(item["explanation"], {}))
        group.texts[item["text"]] = group.texts.get(item["text"], 0) + 1
    return list(groups.values())


def solution_marks(exercise) -> list[tuple[int, int, dict]]:
    return [(item.start, item.end, {"kind": "solution" if item.required else "acceptable", "item": item,
                                    "number": number})
            for number, item in enumerate(exercise.items, 1)]


def solution_article(exercise, marks: list[tuple[int, int, dict]]) -> list[RenderedParagraph]:
    """The article with the solution's marks (from `solution_marks`, which the page lists too)."""
    return split_paragraphs(exercise.article, marks)


# --- numbers and words, the same on every page ------------------------------------------------------


def percent(fraction: float | None) -> str:
    """0.9166 -> "92%": whole percentages on every page (exports keep the exact figures)."""
    return "—" if fraction is None else f"{round(fraction * 100)}%"


def plural(count: int | float, noun: str, plural_form: str | None = None) -> str:
    """3, "mark" -> "3 marks"; 1 -> "1 mark"; counts of points may be fractional ("2.5 points")."""
    shown = f"{count:g}" if isinstance(count, float) else str(count)
    return f"{shown} {noun if count == 1 else plural_form or noun + 's'}"


def init_app(app) -> None:
    app.jinja_env.filters.update(percent=percent, plural=plural)
    app.jinja_env.globals.update(marking_article=marking_article, feedback_marks=feedback_marks,
                                 group_false_alarms=group_false_alarms, solution_marks=solution_marks,
                                 solution_article=solution_article)
