"""Per-skill summaries of a lesson: the case-study score beside the transfer score.

Pure module (no Flask). A skill (hedges, sourcing, filler) is practised once on the case study
and once on the transfer article; putting the two scores side by side shows whether the skill
carried over to a text the learner had not seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import mean

from .content import Lesson

SKILL_LABELS = {"hedges": "Hedge words", "sourcing": "Sourced and unsourced claims", "filler": "SEO filler"}


@dataclass(frozen=True)
class SkillRow:
    skill: str
    label: str
    case_study: float | None  # None: not attempted yet
    transfer: float | None

    @property
    def change(self) -> float | None:
        if self.case_study is None or self.transfer is None:
            return None
        return round(self.transfer - self.case_study, 4)


def skill_summary(lesson: Lesson, scores: dict[str, float]) -> list[SkillRow]:
    """`scores`: exercise id -> counting score (0..1) of the exercises attempted."""
    rows = []
    for skill, label in SKILL_LABELS.items():
        by_role: dict[str, list[float]] = {"case-study": [], "transfer": []}
        for exercise in lesson.exercises:
            if exercise.skill == skill and exercise.id in scores:
                by_role[lesson.role_of(exercise)].append(scores[exercise.id])
        rows.append(SkillRow(
            skill, label,
            round(mean(by_role["case-study"]), 4) if by_role["case-study"] else None,
            round(mean(by_role["transfer"]), 4) if by_role["transfer"] else None,
        ))
    return rows


def class_skill_summary(lesson: Lesson, students_scores: list[dict[str, float]]) -> list[SkillRow]:
    """The class's mean per skill: each student's summary, averaged over those who attempted."""
    per_student = [skill_summary(lesson, scores) for scores in students_scores]
    rows = []
    for position, (skill, label) in enumerate(SKILL_LABELS.items()):
        case = [s[position].case_study for s in per_student if s[position].case_study is not None]
        transfer = [s[position].transfer for s in per_student if s[position].transfer is not None]
        rows.append(SkillRow(skill, label, round(mean(case), 4) if case else None,
                             round(mean(transfer), 4) if transfer else None))
    return rows
