"""Answer-key assistant: suggests hedge words, unsourced claims and SEO filler in an article.

Pure module (no Flask). `suggest(text)` returns `Suggestion`s whose offsets index the canonical
text `Article(text).text` (newlines normalised, outer whitespace trimmed), not the raw input, so
they line up with the units learners mark: hedge suggestions start and end on word boundaries,
unsourced and filler suggestions cover whole sentences.

The suggestions are a first draft for a teacher, never a key in themselves: `draft_key` turns
them into the quizzes/*.yaml format for the teacher to prune and explain. bench/analysis.py
measures them against the finished keys and against the WikiWeasel sentences.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .article import Article, Unit, canonical_text

KINDS = ("hedge", "unsourced", "seo_filler")
EXERCISE_TITLES = {
    "hedge": ("Hedge words", "Mark every word or phrase that softens or qualifies a claim."),
    "unsourced": (
        "Unsourced claims",
        "Mark every sentence that states something as fact without a named, checkable source.",
    ),
    "seo_filler": (
        "SEO filler",
        "Mark every sentence that is there to pad the page or promote the publisher, not to inform.",
    ),
}


@dataclass(frozen=True)
class Suggestion:
    start: int  # offsets into Article(text).text, the canonical text
    end: int
    kind: str  # one of KINDS
    reason: str  # short, human: why this span looks like a `kind`


# --- hedges -----------------------------------------------------------------------------------

# Cue phrases by the reason a reader should distrust them. Matching is greedy, longest phrase
# first, so "appears to have been" is one suggestion rather than "appears" plus "been".
HEDGE_CUES: dict[str, tuple[str, ...]] = {
    "the modal '{cue}' turns a statement into a mere possibility": (
        "may", "might", "could", "may have", "might have", "could have", "may have been",
        "might have been", "could have been", "may well", "might well", "could well",
    ),
    "'{cue}' passes on a claim without vouching for it": (
        "reportedly", "allegedly", "apparently", "purportedly", "supposedly", "seemingly",
        "ostensibly", "reported", "alleged", "apparent", "rumoured", "rumored",
        "according to some", "it is said", "is said to", "are said to", "was said to",
        "were said to", "it is reported", "it has been reported", "it has been suggested",
        "it is alleged", "it is claimed", "is claimed", "was claimed", "claimed to",
    ),
    "'{cue}' guesses at how likely something is instead of showing it": (
        "likely", "unlikely", "most likely", "probably", "possibly", "perhaps", "maybe",
        "presumably", "conceivably", "plausibly", "potentially", "arguably", "possible",
        "in all likelihood",
    ),
    "'{cue}' infers rather than states": (
        "suggest", "suggests", "suggested", "suggesting", "appear to", "appears to",
        "appeared to", "appears to have been", "appear to have been", "seem", "seems",
        "seemed", "seem to", "seems to", "seemed to", "it seems", "it appears", "tend to",
        "tends to", "tended to", "indicates", "indicate",
    ),
    "'{cue}' leans on unnamed people's opinion": (
        "it is believed", "is believed", "are believed", "was believed", "were believed",
        "widely believed", "believed to", "it is thought", "is thought", "are thought",
        "was thought", "were thought", "widely thought", "thought to", "is considered",
        "are considered", "was considered", "were considered", "widely considered",
        "generally considered", "considered to be", "considered by", "considered one",
        "regarded as", "some say", "some argue", "some believe", "many believe",
        "many argue", "many consider", "critics say", "critics argue", "viewed by some",
        "seen by some", "seen as", "viewed as",
    ),
    "'{cue}' softens the claim without saying by how much": (
        "somewhat", "to some extent", "to a certain extent", "in part", "partly", "largely",
        "relatively", "arguably",
    ),
    "'{cue}' generalises without saying how often or how many": (
        "often", "usually", "generally", "typically", "commonly", "frequently", "sometimes",
        "widely", "in general", "some", "many", "most", "various", "numerous",
    ),
}
HEDGE_REASONS = {
    tuple(phrase.split()): reason for reason, phrases in HEDGE_CUES.items() for phrase in phrases
}
LONGEST_CUE = max(len(phrase) for phrase in HEDGE_REASONS)

BE_FORMS = {"is", "are", "was", "were", "be", "been", "being", "it's", "isn't", "wasn't"}
DETERMINERS = {
    "the", "a", "an", "its", "his", "her", "their", "our", "your", "my", "this", "that",
    "these", "those",
}
MONTH_CONTEXT = {"in", "of", "since", "until", "till", "by", "early", "late", "mid", "from", "to", "through"}


@dataclass(frozen=True)
class _Context:
    """A cue candidate in its sentence: `tokens[index]` is its first word, lowercased."""

    tokens: list[str]
    raw: list[str]
    index: int
    length: int
    sentence_start: int  # index of the sentence's first word
    sentence_end: int  # index after the sentence's last word

    @property
    def previous(self) -> str:
        return self.tokens[self.index - 1] if self.index > self.sentence_start else ""

    @property
    def following(self) -> str:
        after = self.index + self.length
        return self.tokens[after] if after < self.sentence_end else ""


def _not_month(ctx: _Context) -> bool:
    # "May" is the month when capitalised mid-sentence, after "in"/"since", or before a number.
    raw = ctx.raw[ctx.index]
    if raw != "May":
        return True
    if ctx.index > ctx.sentence_start or ctx.following[:1].isdigit():
        return False
    return ctx.previous not in MONTH_CONTEXT


def _not_noun_might(ctx: _Context) -> bool:
    # "with all his might", "the military might of Rome"
    return ctx.previous not in DETERMINERS | {"military", "economic", "naval", "all"}


def _guessing_possible(ctx: _Context) -> bool:
    # "it is possible that" guesses; "as soon as possible" and "made possible" do not.
    return ctx.previous in BE_FORMS or ctx.previous in {"quite", "entirely", "also"} or ctx.following == "that"


def _qualifying_apparent(ctx: _Context) -> bool:
    # "the apparent motive" hedges; "it became apparent that" means "evident".
    return ctx.previous not in BE_FORMS | {"become", "became", "becomes", "becoming"} and ctx.following != "that"


def _unattributed_report(ctx: _Context) -> bool:
    # "the reported attempts", "was reported to" hedge; "The Times reported" and
    # "was reported by the BBC" name who reported it.
    return (ctx.previous in DETERMINERS or ctx.previous in BE_FORMS) and ctx.following not in {"by", "in"}


def _unattributed_allegation(ctx: _Context) -> bool:
    # "the alleged breaches" hedges; "prosecutors alleged that" is an attributed statement.
    return ctx.following != "that" and (ctx.index == ctx.sentence_start or ctx.previous in DETERMINERS | BE_FORMS | {
        "of", "for", "and", "or", "with", "over", "an"})


def _quantifier_not_superlative(ctx: _Context) -> bool:
    # "most scholars" and "most of" generalise; "the most lucrative" is a superlative.
    return ctx.previous not in DETERMINERS | {"at", "one", "what", "the"} and not ctx.following.endswith("ly")


def _not_ability(ctx: _Context) -> bool:
    # "could not attend" reports what did not happen; "could pave the way" speculates.
    return ctx.following not in {"not", "never"}


HEDGE_GUARDS: dict[tuple[str, ...], Callable[[_Context], bool]] = {
    ("may",): _not_month,
    ("might",): _not_noun_might,
    ("could",): _not_ability,
    ("possible",): _guessing_possible,
    ("apparent",): _qualifying_apparent,
    ("reported",): _unattributed_report,
    ("alleged",): _unattributed_allegation,
    ("most",): _quantifier_not_superlative,
}


def _normalise(word: str) -> str:
    return word.lower().replace("’", "'")


def find_hedges(article: Article) -> list[Suggestion]:
    """Hedge cues, each a span of one or more adjacent words (never across punctuation)."""
    text, words = article.text, article.words
    raw = [text[w.start:w.end] for w in words]
    tokens = [_normalise(word) for word in raw]
    bounds = _sentence_bounds(words)
    suggestions: list[Suggestion] = []
    index = 0
    while index < len(words):
        start, end = bounds[words[index].sentence]
        matched = 1
        for length in range(min(LONGEST_CUE, end - index), 0, -1):
            phrase = tuple(tokens[index:index + length])
            reason = HEDGE_REASONS.get(phrase)
            if reason is None or not _adjacent(text, words, index, length):
                continue
            guard = HEDGE_GUARDS.get(phrase)
            if guard and not guard(_Context(tokens, raw, index, length, start, end)):
                continue
            span_start, span_end = words[index].start, words[index + length - 1].end
            cue = text[span_start:span_end]
            suggestions.append(Suggestion(span_start, span_end, "hedge", "hedge: " + reason.format(cue=cue)))
            matched = length
            break
        index += matched
    return suggestions


def _sentence_bounds(words: list[Unit]) -> dict[int, tuple[int, int]]:
    bounds: dict[int, tuple[int, int]] = {}
    for index, word in enumerate(words):
        first, _ = bounds.get(word.sentence, (index, index))
        bounds[word.sentence] = (first, index + 1)
    return bounds


def _adjacent(text: str, words: list[Unit], index: int, length: int) -> bool:
    """True when the words of a phrase are separated by whitespace only."""
    return all(
        text[words[k].end:words[k + 1].start].isspace() for k in range(index, index + length - 1)
    )


def has_hedge(sentence: str) -> bool:
    """Whether a stand-alone sentence contains at least one hedge cue."""
    return bool(canonical_text(sentence)) and bool(find_hedges(Article(sentence)))


# --- public entry points ----------------------------------------------------------------------


def suggest(text: str) -> list[Suggestion]:
    """All suggestions for `text`, ordered by position; offsets index `Article(text).text`."""
    if not canonical_text(text):
        return []
    article = Article(text)
    suggestions = find_hedges(article)
    return sorted(suggestions, key=lambda s: (s.start, KINDS.index(s.kind)))
