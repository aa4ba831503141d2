"""The content model: exercises and their answer keys, as the loader builds them.

Pure module (no Flask, no SQL). `content.py` reads files into these classes; each exercise
holds its kind's plugin (`kinds/`), which every other module asks whatever depends on the kind.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from .article import Article, Unit

if TYPE_CHECKING:
    from .kinds.base import ExerciseKind

STATUSES = ("required", "acceptable")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


@dataclass(frozen=True)
class Problem:
    source: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.message}"


class ContentError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def text_field(data: dict, name: str, source: str, where: str, problems: list[Problem]) -> str:
    """A required, non-blank text field of a key or lesson entry, or a problem naming it."""
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(source, data.get("__line__"), f"{where}: missing '{name}' (text)"))
        return ""
    return value.strip()


# Compared by identity: an item is one entry of one key, and grading hashes items many times
# per check (hashing all five fields, long explanation included, cost more than the grading).
@dataclass(frozen=True, eq=False)
class KeyItem:
    start: int
    end: int
    text: str
    status: str  # required | acceptable | distractor (a tempting non-item, with its own explanation)
    explanation: str

    @property
    def required(self) -> bool:
        return self.status == "required"


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    correct: bool
    explanation: str


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    prompt: str
    options: tuple[Option, ...]


def units_touched(units: list[Unit], items: list[KeyItem]) -> list[list[KeyItem]]:
    """For each unit, the items that overlap it."""
    starts = [u.start for u in units]
    by_unit: list[list[KeyItem]] = [[] for _ in units]
    for item in items:
        index = max(bisect.bisect_right(starts, item.start) - 1, 0)
        while index < len(units) and units[index].start < item.end:
            if units[index].end > item.start:
                by_unit[index].append(item)
            index += 1
    return by_unit


@dataclass
class Exercise:
    id: str
    plugin: ExerciseKind
    title: str
    instructions: str
    source: str
    article_path: str | None = None
    article: Article | None = None
    items: list[KeyItem] = field(default_factory=list)
    distractors: list[KeyItem] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    lesson: str | None = None
    # What the exercise's kind works out once and reuses on every check (the key is fixed).
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def kind(self) -> str:
        """The kind's name, as key files and the JSON API write it."""
        return self.plugin.name

    @property
    def unit(self) -> str | None:
        return self.plugin.unit

    @property
    def skill(self) -> str:
        return self.plugin.skill

    @property
    def max_points(self) -> int:
        return self.plugin.max_points(self)

    # Computed once per exercise: the key is fixed, and every check of the exercise needs them.
    @cached_property
    def items_by_unit(self) -> list[list[KeyItem]]:
        """For each unit the exercise marks, the key items it touches."""
        return units_touched(self.article.units(self.unit), self.items)

    @cached_property
    def distractors_by_unit(self) -> list[KeyItem | None]:
        """For each unit, the distractor that covers it, if any."""
        return [touching[0] if touching else None
                for touching in units_touched(self.article.units(self.unit), self.distractors)]

    @cached_property
    def required_items(self) -> list[KeyItem]:
        return [item for item in self.items if item.required]
