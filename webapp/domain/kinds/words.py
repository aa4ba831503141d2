"""Word marking: the hedge-words exercise.

Pure module. The grading rules are MarkingKind's (kinds/marking.py); what is particular to
hedges is the reason a word that is not on the key was not a hedge.
"""

from __future__ import annotations

from ..article import Unit
from ..model import Exercise
from .marking import MarkingKind

# Words learners often take for hedges, by what they really do. Each reason is true of every
# word in its list, so the feedback never has to guess between two explanations.
BOOSTERS = frozenset({
    "undoubtedly", "clearly", "certainly", "definitely", "obviously", "surely", "undeniably", "indeed", "truly",
    "absolutely", "unquestionably", "evidently", "plainly", "always", "never",
})
QUANTIFIERS = frozenset({"some", "many", "most", "several", "few", "all", "much", "numerous", "various", "multiple",
                         "countless"})
FREQUENCY = frozenset({"often", "usually", "sometimes", "rarely", "frequently", "occasionally", "typically",
                       "generally"})


class HedgeKind(MarkingKind):
    name = "hedge"
    label = "Hedge words"
    skill = "hedges"
    unit = "word"

    def false_alarm_reason(self, exercise: Exercise, unit: Unit) -> str:
        word = exercise.article.text[unit.start:unit.end]
        folded = word.casefold()
        if folded in BOOSTERS:
            return f"“{word}” is a booster: it makes the claim sound more certain, the opposite of a hedge."
        if folded in QUANTIFIERS:
            return f"“{word}” says how many or how much, not how sure the writer is, so it is not a hedge."
        if folded in FREQUENCY:
            return f"“{word}” says how often something happens; it does not show that the writer is unsure."
        return "These words do not soften or qualify a claim, so they are not hedges."
