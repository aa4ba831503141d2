"""The lessons and exercises the app serves: the files, plus case studies stored by teachers.

The files are loaded and validated on first use, then cached. Loading lazily (not in
create_app) keeps `flask --app webapp check-content` able to start and report the problems of a
broken key instead of failing inside app creation. Stored case studies are merged in and the
merge is rebuilt when the table changes, so every worker process sees a new lesson within seconds.
"""

from __future__ import annotations

import time
from pathlib import Path

from flask import abort, current_app

from ..domain.authoring import load_stored_lesson
from ..domain.content import Catalog, ContentError, Exercise, Lesson, add_lesson, load_catalog
from ..store.db import get_db

RECHECK_SECONDS = 2.0


def file_catalog() -> Catalog:
    catalog = current_app.extensions.get("spotcheck.files")
    if catalog is None:
        catalog = load_catalog(Path(current_app.config["CONTENT_ROOT"]))
        current_app.extensions["spotcheck.files"] = catalog
    return catalog


def get_catalog() -> Catalog:
    cached = current_app.extensions.get("spotcheck.catalog")
    # Re-check the stored case studies at most every few seconds: the check is a query, and the
    # catalog is read on every request.
    if cached and time.monotonic() - cached[2] < RECHECK_SECONDS:
        return cached[1]
    db = get_db()
    version = tuple(db.execute("select count(*), coalesce(max(id), 0) from case_studies").fetchone())
    if cached and cached[0] == version:
        current_app.extensions["spotcheck.catalog"] = (version, cached[1], time.monotonic())
        return cached[1]
    files = file_catalog()
    merged = Catalog(lessons=dict(files.lessons), exercises=dict(files.exercises))
    for row in db.query("select * from case_studies order by id"):
        try:
            lesson, exercises = load_stored_lesson(row["slug"], row["article"], row["key_yaml"], row["lesson_md"])
        except ContentError as exc:  # saved content is validated first; this guards older rows
            current_app.logger.error("stored case study %s is invalid: %s", row["slug"], exc)
            continue
        lesson.owner_id = row["instructor_id"]
        problems = add_lesson(merged, lesson, {ex.id: ex for ex in exercises})
        if problems:
            current_app.logger.error("stored case study %s: %s", row["slug"], problems)
    current_app.extensions["spotcheck.catalog"] = (version, merged, time.monotonic())
    return merged


def available_lessons(instructor_id: int) -> list[Lesson]:
    """What a class can be assigned: the lessons from files and its instructor's own case studies."""
    return [lesson for lesson in get_catalog().lessons.values() if lesson.owner_id in (None, instructor_id)]


def forget_stored_lessons() -> None:
    """After this process stores a case study: rebuild on next use, not seconds later."""
    current_app.extensions.pop("spotcheck.catalog", None)


def get_exercise(exercise_id: str) -> Exercise:
    exercise = get_catalog().exercises.get(exercise_id)
    if exercise is None:
        abort(404, f"No exercise {exercise_id!r}.")
    return exercise


def get_lesson(slug: str) -> Lesson:
    lesson = get_catalog().lessons.get(slug)
    if lesson is None:
        abort(404, f"No lesson {slug!r}.")
    return lesson
