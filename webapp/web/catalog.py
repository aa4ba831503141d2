"""The lessons and exercises the app serves, and who may see which.

The files are loaded and validated on first use and cached for the process (loading lazily, not
in create_app, keeps `flask --app webapp check-content` able to report a broken key). Case studies
that teachers store are parsed once each, when first seen, and merged in; a worker notices new or
deleted ones within RECHECK_SECONDS, and never re-parses the ones it already has.

Visibility: the built-in lessons are public. A teacher's case study, with its key, is visible to
that teacher and to the students of classes it is assigned to, and listed to no one else; its
teacher notes are shown to its owner only (the built-in lesson's to every teacher).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import abort, current_app, g

from ..domain.authoring import load_stored_lesson
from ..domain.content import Catalog, ContentError, Exercise, Lesson, add_lesson, load_catalog
from ..store import case_studies
from ..store.db import get_db

RECHECK_SECONDS = 2.0
# Parsed content does not depend on the app or the database: tests that create many apps over the
# same folder share one parse (each process still loads it once).
_file_catalogs: dict[str, Catalog] = {}


def file_catalog() -> Catalog:
    root = str(Path(current_app.config["CONTENT_ROOT"]).resolve())
    if root not in _file_catalogs:
        _file_catalogs[root] = load_catalog(Path(root))
    return _file_catalogs[root]


@dataclass
class _Merged:
    version: tuple
    checked_at: float
    catalog: Catalog
    parsed: dict[int, tuple[Lesson, list[Exercise]] | None] = field(default_factory=dict)


def get_catalog() -> Catalog:
    state: _Merged | None = current_app.extensions.get("spotcheck.catalog")
    if state and time.monotonic() - state.checked_at < RECHECK_SECONDS:
        return state.catalog
    db = get_db()
    version = case_studies.version(db)
    if state and state.version == version:
        state.checked_at = time.monotonic()
        return state.catalog
    parsed = dict(state.parsed) if state else {}
    ids = case_studies.case_study_ids(db)
    for row in case_studies.case_study_rows(db, known_ids=set(parsed)):
        try:
            lesson, exercises = load_stored_lesson(row["slug"], row["article"], row["key_yaml"], row["lesson_md"])
            lesson.owner_id, lesson.case_study_id = row["instructor_id"], row["id"]
            parsed[row["id"]] = (lesson, exercises)
        except ContentError as exc:  # saved content is validated first; this guards older rows
            current_app.logger.error("stored case study %s is invalid: %s", row["slug"], exc)
            parsed[row["id"]] = None
    parsed = {key: value for key, value in parsed.items() if key in ids}
    files = file_catalog()
    merged = Catalog(lessons=dict(files.lessons), exercises=dict(files.exercises))
    for entry in parsed.values():
        if entry is not None:
            problems = add_lesson(merged, entry[0], {ex.id: ex for ex in entry[1]})
            if problems:
                current_app.logger.error("stored case study %s: %s", entry[0].slug, problems)
    current_app.extensions["spotcheck.catalog"] = _Merged(version, time.monotonic(), merged, parsed)
    return merged


def forget_stored_lessons() -> None:
    """After this process stores or deletes a case study: look again on next use, not seconds later."""
    state = current_app.extensions.get("spotcheck.catalog")
    if state:
        state.checked_at = float("-inf")


def available_lessons(instructor_id: int) -> list[Lesson]:
    """What a teacher may use and assign: the built-in lessons and their own case studies."""
    return [lesson for lesson in get_catalog().lessons.values() if lesson.owner_id in (None, instructor_id)]


# --- who may see what ------------------------------------------------------------------------------


def _assigned_ids() -> frozenset[str]:
    from .learners import current_learner  # noqa: PLC0415 - learners imports this module

    me = current_learner()
    return frozenset(me.learner.assigned or ()) if me.student else frozenset()


def lesson_visible(lesson: Lesson) -> bool:
    """Whether the visitor may see this lesson at all (and so its exercises and key)."""
    if lesson.owner_id is None:
        return True
    if g.get("instructor"):
        return g.instructor["id"] == lesson.owner_id
    return any(exercise.id in _assigned_ids() for exercise in lesson.exercises)


def notes_visible(lesson: Lesson) -> bool:
    """Teacher notes: the built-in lesson's to every teacher, a case study's to its owner only."""
    instructor = g.get("instructor")
    return bool(instructor) and lesson.owner_id in (None, instructor["id"])


def visible_lessons() -> list[Lesson]:
    return [lesson for lesson in get_catalog().lessons.values() if lesson_visible(lesson)]


def get_lesson(slug: str) -> Lesson:
    lesson = get_catalog().lessons.get(slug)
    if lesson is None or not lesson_visible(lesson):
        abort(404, f"No lesson {slug!r}.")
    return lesson


def get_exercise(exercise_id: str) -> Exercise:
    catalog = get_catalog()
    exercise = catalog.exercises.get(exercise_id)
    if exercise is None or not lesson_visible(catalog.lessons[exercise.lesson]):
        abort(404, f"No exercise {exercise_id!r}.")
    return exercise
