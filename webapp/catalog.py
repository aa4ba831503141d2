"""The lessons and exercises the app serves, loaded and validated on first use, then cached.

Loading lazily (not in create_app) keeps `flask --app webapp check-content` able to start and
report the problems of a broken key instead of failing inside app creation.
"""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app

from .content import Catalog, Exercise, Lesson, load_catalog


def get_catalog() -> Catalog:
    catalog = current_app.extensions.get("spotcheck.catalog")
    if catalog is None:
        catalog = load_catalog(Path(current_app.config["CONTENT_ROOT"]))
        current_app.extensions["spotcheck.catalog"] = catalog
    return catalog


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
