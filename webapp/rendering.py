"""Turn an article plus spans into paragraphs of text pieces for the templates.

One function serves the marking page (spans = units) and the feedback page (spans = found,
missed and falsely marked items), so both show exactly the canonical text.
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt
from markupsafe import Markup

from .article import Article

# CommonMark with raw HTML disabled: lesson text cannot inject markup.
_markdown = MarkdownIt("commonmark", {"html": False})


def markdown(text: str) -> Markup:
    return Markup(_markdown.render(text))  # noqa: S704 - markdown-it escapes, html disabled


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
