"""Article segmentation: text -> paragraphs, headings, sentences and words.

Pure module (no Flask). Every unit carries character offsets into one canonical text, so the
answer key, the learner's marks, the grader and the browser all speak the same coordinates.
Unit ids are derived from position only ("s12", "w340"), so they are stable across restarts
for the same text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property

# Abbreviations whose final period never ends a sentence (titles, Latin, corporate suffixes).
NEVER_FINAL = {
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "st", "jr", "sr", "vs",
    "etc", "e.g", "i.e", "inc", "ltd", "co", "corp", "no", "approx", "dept", "est", "fig",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}
# Words that, capitalised after an initialism such as "U.S." or "D.C.", start a new sentence
# ("... in Washington D.C. Our research suggests"); any other capitalised word continues a
# name ("U.S. Market Entry").
SENTENCE_STARTERS = {
    "a", "an", "the", "this", "that", "these", "those", "it", "its", "we", "our", "i", "he",
    "she", "they", "their", "his", "her", "you", "in", "on", "at", "for", "from", "with", "by",
    "but", "and", "or", "so", "yet", "however", "while", "although", "if", "when", "as",
    "there", "here", "what", "why", "how", "who", "some", "many", "most", "such", "after",
    "before", "since", "during", "despite", "to", "one", "no", "not", "both", "each",
}

# ZWNJ and ZWJ (kept in the text: they change how Persian, Indic scripts and emoji are drawn)
# join the letters on either side into one word, like an apostrophe or a hyphen.
WORD_RE = re.compile(r"(?:[A-Za-z]\.){2,}|\w+(?:(?:[’'\-.]|[\u200c\u200d]+)\w+)*")
# A candidate sentence end: terminal punctuation, optional closing quotes/brackets, whitespace.
END_RE = re.compile(r"[.!?]+[”\"’')\]]*(?=\s)")
INITIALISM_RE = re.compile(r"(?:\b[A-Za-z]\.){2,}$")
SPACE_RE = re.compile(r"\s*")
NEXT_WORD_RE = re.compile(r"\s+([“\"‘(\[]?)(\S+)")
# A paragraph starts at a visible character and runs up to a blank line: a line that is empty
# or holds only spaces and tabs. Starting at any non-newline character let a line of spaces
# open a "paragraph" of its own (an empty block: IndexError) or the next one (units that
# began with whitespace).
PARAGRAPH_RE = re.compile(r"\S(?:.|\n(?!\s*\n))*")
HEADING_MAX_WORDS = 16


@dataclass(frozen=True)
class Unit:
    id: str
    start: int
    end: int
    paragraph: int  # index of the paragraph that holds the unit
    sentence: int  # index of the sentence that holds the unit (itself, for sentences)


@dataclass(frozen=True)
class Paragraph:
    index: int
    start: int
    end: int
    is_heading: bool


# Characters that draw nothing and change no letter's shape: the soft hyphen (U+00AD), the
# zero-width space (U+200B), the word joiner (U+2060) and the byte-order mark (U+FEFF, at the
# start or pasted anywhere). Text copied from web pages and word processors carries them inside
# words ("report\u00adedly"), where they would cut one visible word into several units and hide
# it from an answer key. They are removed; ZWNJ and ZWJ are kept (see WORD_RE).
INVISIBLE_RE = re.compile("[\u00ad\u200b\u2060\ufeff]")


def _normalise(text: str) -> str:
    """Invisible characters removed, then NFC: one spelling for "é" whether typed or pasted."""
    return unicodedata.normalize("NFC", INVISIBLE_RE.sub("", text))


def canonical_text(raw: str) -> str:
    """The one text every offset indexes: invisible characters removed, NFC, newlines
    normalised, outer whitespace trimmed. Every path (answer keys, uploads, the analyser, the
    browser's offsets) goes through here, so they all agree. Idempotent."""
    text = _normalise(raw).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def _is_heading(block: str) -> bool:
    if "\n" in block:
        return False
    if block.startswith("#"):
        return True
    stripped = block.rstrip()
    if stripped[-1] in ".!?:;,”\"’)":
        return False
    return len(stripped.split()) <= HEADING_MAX_WORDS


def _sentence_ends_here(text: str, match: re.Match) -> bool:
    """Decide whether the punctuation run in `match` really closes a sentence."""
    # Look only at a short window before the punctuation: slicing the whole prefix made
    # segmentation quadratic in the article's length.
    before = text[max(0, match.start() - 64): match.start() + 1]
    following = NEXT_WORD_RE.match(text, match.end())
    if following is None:
        return True
    next_word = following.group(2)
    starts_upper = next_word[0].isupper() or next_word[0].isdigit() or bool(following.group(1))
    if text[match.start()] != ".":
        return starts_upper or not next_word[0].isalpha()
    word = re.search(r"([\w.]+)\.$", before)
    token = word.group(1).lower() if word else ""
    if token in NEVER_FINAL:
        return False
    if INITIALISM_RE.search(before) or re.fullmatch(r"[a-z]", token):
        # "U.S.", "D.C.", "J." end a sentence only before a typical sentence opener.
        bare = re.sub(r"\W+$", "", next_word).lower()
        return bare in SENTENCE_STARTERS
    return starts_upper


class Article:
    """A segmented article. Build with `Article(raw_text)`; all offsets index `self.text`."""

    def __init__(self, raw: str):
        self.text = canonical_text(raw)
        if not self.text:
            raise ValueError("the article is empty")
        self._unit_ends: dict[str, list[int]] = {}
        self._unit_indexes: dict[str, dict[tuple[int, int], int]] = {}

    @cached_property
    def paragraphs(self) -> list[Paragraph]:
        paragraphs = []
        for match in PARAGRAPH_RE.finditer(self.text):
            start = match.start()
            block = match.group().rstrip()
            end = start + len(block)
            title = block.lstrip("#").lstrip()
            if block.startswith("#") and title:
                # "## Title": the unit is the title; a bare "#" stays a unit of its own.
                start = end - len(title)
            paragraphs.append(Paragraph(len(paragraphs), start, end, _is_heading(block)))
        return paragraphs

    @cached_property
    def sentences(self) -> list[Unit]:
        sentences: list[Unit] = []
        for para in self.paragraphs:
            spans = [(para.start, para.end)] if para.is_heading else self._split(para)
            for start, end in spans:
                sentences.append(Unit(f"s{len(sentences)}", start, end, para.index, len(sentences)))
        return sentences

    def _split(self, para: Paragraph) -> list[tuple[int, int]]:
        spans, start = [], para.start
        # endpos stops the search at the paragraph's end; a paragraph's last sentence is
        # closed by the paragraph itself below.
        for match in END_RE.finditer(self.text, para.start, para.end):
            if _sentence_ends_here(self.text, match):
                spans.append((start, match.end()))
                start = SPACE_RE.match(self.text, match.end()).end()
        if start < para.end:
            spans.append((start, para.end))
        return spans

    @cached_property
    def words(self) -> list[Unit]:
        words: list[Unit] = []
        for sentence in self.sentences:
            for match in WORD_RE.finditer(self.text, sentence.start, sentence.end):
                words.append(
                    Unit(f"w{len(words)}", match.start(), match.end(),
                         sentence.paragraph, sentence.sentence)
                )
        return words

    @cached_property
    def sentence_openers(self) -> list[int]:
        """The index of each sentence's first word (kept: the hedge page sends them on every visit,
        for its sentence-by-sentence keyboard moves)."""
        return [index for index, word in enumerate(self.words)
                if index == 0 or word.sentence != self.words[index - 1].sentence]

    def units(self, unit: str) -> list[Unit]:
        """The units an exercise marks: "word" or "sentence"."""
        if unit == "word":
            return self.words
        if unit == "sentence":
            return self.sentences
        raise ValueError(f"unknown unit {unit!r}: expected 'word' or 'sentence'")

    def unit_ends(self, unit: str) -> list[int]:
        """The units' end offsets in order, to bisect an offset to its unit (kept: every check
        snaps its marks, and the case study has some 2,600 words)."""
        if unit not in self._unit_ends:
            self._unit_ends[unit] = [u.end for u in self.units(unit)]
        return self._unit_ends[unit]

    def unit_index(self, unit: str) -> dict[tuple[int, int], int]:
        """Each unit's (start, end) -> its index (kept: an answer in its stored form names whole
        units, and checking it looks each one up instead of snapping it again)."""
        if unit not in self._unit_indexes:
            self._unit_indexes[unit] = {(u.start, u.end): index for index, u in enumerate(self.units(unit))}
        return self._unit_indexes[unit]

    def sentence_at(self, offset: int) -> Unit | None:
        """The sentence that holds the character at `offset`, or None (between sentences)."""
        index = bisect_right(self.unit_ends("sentence"), offset)
        if index < len(self.sentences) and self.sentences[index].start <= offset:
            return self.sentences[index]
        return None

    def occurrence_at(self, start: int, end: int) -> int:
        """Which occurrence of text[start:end] begins at `start`, counted as `find` counts."""
        needle, count, position = self.text[start:end], 1, self.text.find(self.text[start:end])
        while 0 <= position < start:
            count += 1
            position = self.text.find(needle, position + 1)
        return count

    def find_ignoring_spacing(self, needle: str, occurrence: int = 1) -> tuple[int, int] | None:
        """Like `find`; where the exact text is not there, the n-th match ignoring spacing."""
        if occurrence < 1:
            return None
        exact = self.find(needle, occurrence)
        if exact is not None:
            return exact
        spans = self.spans_ignoring_spacing(needle)
        return spans[occurrence - 1] if occurrence <= len(spans) else None

    def spans_ignoring_spacing(self, needle: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """Every match of `needle` in text[start:end], any run of whitespace matching any other:
        a sentence of a hard-wrapped article, copied from a browser or typed on one line, still
        finds its line breaks."""
        words = _normalise(needle).split()
        if not words:
            return []
        pattern = re.compile(r"\s+".join(map(re.escape, words)))
        end = len(self.text) if end is None else end
        return [match.span() for match in pattern.finditer(self.text, start, end)]

    def find(self, needle: str, occurrence: int = 1) -> tuple[int, int] | None:
        """Offsets of the n-th (1-based) occurrence of `needle`, or None. The needle is normalised
        like the text, so a key copied with a soft hyphen or in NFD still finds its words."""
        needle = _normalise(needle)
        position = -1
        for _ in range(occurrence):
            position = self.text.find(needle, position + 1)
            if position < 0:
                return None
        return position, position + len(needle)
