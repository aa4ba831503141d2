"""Sentence marking: the unsourced-claims and SEO-filler exercises.

Pure module. The grading rules are MarkingKind's (kinds/marking.py); what is particular to each
kind is the reason a sentence that is not on the key was not an unsourced claim, or not filler.
Each reason is chosen from what the sentence itself shows (a heading, a question, a named source,
a dated record, a prediction, specific facts), so it is true of the sentence it explains.
"""

from __future__ import annotations

import re

from ..article import Unit
from ..model import Exercise
from .marking import MarkingKind

REPORTING_VERBS = (
    "said|says|stated|states|announced|announces|reported|reports|argued|argues|told|wrote|writes|confirmed|"
    "confirms|ruled|testified|found|finds|concluded|estimated|estimates|noted|notes|warned|warns|explained|"
    "acknowledged|admitted|disclosed|filed|published|showed|shows"
)
# A named source: "according to X", or a proper noun or a named office followed by a reporting verb.
ACCORDING_TO = re.compile(r"\baccording to (?:the )?[A-Z0-9][\w.’'&-]*(?: (?:of |for |the |and )?[A-Z0-9][\w.’'&-]*)*")
NAMED_SPEAKER = re.compile(
    r"\b(?:(?:[A-Z][\w.’'&-]*|U\.S\.)(?: [A-Z][\w.’'&-]*)*|[Pp]rosecutors|[Tt]he (?:court|judge|jury|agency|"
    r"department|ministry|council|company|firm|report|study|survey|district|school board))"
    rf"(?:,[^,]{{1,60}},)? (?:{REPORTING_VERBS})\b"
)
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATED = re.compile(rf"\b(?:(?:{MONTHS})(?: \d{{1,2}},?)? \d{{4}}|in \d{{4}}|on (?:{MONTHS}) \d{{1,2}})\b")
RECORD_VERBS = re.compile(
    r"\b(?:pleaded|pled|sentenced|convicted|charged|indicted|fined|settled|agreed to pay|resigned|stepped down|"
    r"signed|filed|ruled|approved|voted|announced|released|published)\b", re.I)
PREDICTION_OR_OPINION = re.compile(
    r"\b(?:will|would|should|must|could|might|may|we believe|i believe|we think|i think|in our view|"
    r"in my view|arguably|ought to)\b", re.I)
NUMBER = re.compile(r"\d[\d,.]*%?")
MID_SENTENCE_NAME = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]+(?: [A-Z][a-z]+)*")


def sentence_text(exercise: Exercise, unit: Unit) -> str:
    return exercise.article.text[unit.start:unit.end]


def is_heading(exercise: Exercise, unit: Unit) -> bool:
    return exercise.article.paragraphs[unit.paragraph].is_heading


def named_source(text: str) -> str | None:
    match = ACCORDING_TO.search(text) or NAMED_SPEAKER.search(text)
    return match.group(0) if match else None


class UnsourcedKind(MarkingKind):
    name = "unsourced"
    label = "Unsourced claims"
    skill = "sourcing"
    unit = "sentence"

    def false_alarm_reason(self, exercise: Exercise, unit: Unit) -> str:
        text = sentence_text(exercise, unit)
        if is_heading(exercise, unit):
            return "This is a heading, not a claim: there is nothing in it to source."
        if text.rstrip("”\"’' ").endswith("?"):
            return "This sentence asks a question; it states no fact that would need a source."
        source = named_source(text)
        if source:
            return f"This sentence names its source (“{source}”), so a reader knows where to check it."
        date, record = DATED.search(text), RECORD_VERBS.search(text)
        if date and record:
            return (f"This sentence reports a dated public record (“{date.group(0)}”, “{record.group(0)}”), "
                    "which a reader can look up.")
        opinion = PREDICTION_OR_OPINION.search(text)
        if opinion:
            return (f"“{opinion.group(0)}” makes this the writer's opinion or prediction, not a fact to check "
                    "against a source.")
        return "The key does not count this sentence as an unsourced claim: it states no fact that a reader " \
               "would need a source to believe."


class FillerKind(MarkingKind):
    name = "seo_filler"
    label = "SEO filler"
    skill = "filler"
    unit = "sentence"

    def false_alarm_reason(self, exercise: Exercise, unit: Unit) -> str:
        text = sentence_text(exercise, unit)
        if is_heading(exercise, unit):
            return "This is a heading: it organises the page for readers rather than padding it."
        source = named_source(text)
        if source:
            return f"This sentence reports who said what (“{source}”): information the article needs, not filler."
        number = NUMBER.search(text)
        if number:
            return f"This sentence gives a specific figure (“{number.group(0)}”): information, not padding."
        name = MID_SENTENCE_NAME.search(text)
        if name:
            return f"This sentence names a specific person, place or body (“{name.group(0)}”): information, " \
                   "not padding."
        return "The key does not count this sentence as filler: it makes a point of its own instead of " \
               "repeating the keywords or promoting the page."
