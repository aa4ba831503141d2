"""The lessons and exercises the app serves, and who may see which.

The files are loaded and validated on first use and cached for the process (loading lazily, not
in create_app, keeps `flask --app webapp check-content` able to report a broken key). Case studies
that teachers store are parsed once each, when first seen, and merged in; a worker notices new or
deleted ones within RECHECK_SECONDS, and never re-parses the ones it already has.

A case study another process stored is parsed off the request path, in a thread, while the
worker goes on serving the catalog it has: parsing one of 500 items on a long article takes a
few hundred milliseconds, which stalled every request queued behind it on every worker
(bench/casestudy_save.py). A lookup that misses (`get_lesson`, `get_exercise`) looks again at
once, so the teacher who just saved, and their students, never meet a 404 meanwhile. The process
that stores a case study takes in what it has just parsed (`take_in_saved`) and refreshes on
its next use.

Visibility: the built-in lessons are public. A teacher's case study, with its key, is visible to
that teacher and to the students of classes it is assigned to, and listed to no one else; its
teacher notes are shown to its owner only (the built-in lesson's to every teacher).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from logging import Logger
from pathlib import Path

from flask import abort, current_app, g

from ..domain.authoring import load_stored_lesson
from ..domain.content import Catalog, ContentError, Exercise, Lesson, add_lesson, load_catalog
from ..store import case_studies
from ..store.db import get_db

RECHECK_SECONDS = 2.0
EXTENSION = "spotcheck.catalog"
# Parsed content does not depend on the app or the database: tests that create many apps over the
# same folder share one parse (each process still loads it once).
_file_catalogs: dict[str, Catalog] = {}
# Held while a merged catalog is installed, so a background parse never replaces a newer one.
_install_lock = threading.Lock()


def file_catalog() -> Catalog:
    root = str(Path(current_app.config["CONTENT_ROOT"]).resolve())
    if root not in _file_catalogs:
        _file_catalogs[root] = load_catalog(Path(root))
    return _file_catalogs[root]


ParsedCaseStudy = tuple[Lesson, list[Exercise]]


@dataclass
class _Merged:
    version: tuple
    checked_at: float
    catalog: Catalog
    parsed: dict[int, ParsedCaseStudy | None] = field(default_factory=dict)
    refresh_now: bool = False  # this process changed the case studies: refresh in the request
    refreshing: bool = False  # a thread is parsing what other processes stored


def _parse(rows: list[dict], parsed: dict[int, ParsedCaseStudy | None], logger: Logger) -> None:
    for row in rows:
        try:
            lesson, exercises = load_stored_lesson(row["slug"], row["article"], row["key_yaml"], row["lesson_md"])
            lesson.owner_id, lesson.case_study_id = row["instructor_id"], row["id"]
            parsed[row["id"]] = (lesson, exercises)
        except ContentError as exc:  # saved content is validated first; this guards older rows
            logger.error("stored case study %s is invalid: %s", row["slug"], exc)
            parsed[row["id"]] = None


def _merged(files: Catalog, version: tuple, ids: set[int], rows: list[dict],
            known: dict[int, ParsedCaseStudy | None], logger: Logger) -> _Merged:
    """The file catalog with the stored case studies `ids`: those in `known` as parsed, `rows` parsed now."""
    parsed = {key: value for key, value in known.items() if key in ids}
    _parse(rows, parsed, logger)
    merged = Catalog(lessons=dict(files.lessons), exercises=dict(files.exercises))
    for entry in parsed.values():
        if entry is not None:
            problems = add_lesson(merged, entry[0], {ex.id: ex for ex in entry[1]})
            if problems:
                logger.error("stored case study %s: %s", entry[0].slug, problems)
    return _Merged(version, time.monotonic(), merged, parsed)


def _refresh_in_background(app, state: _Merged, files: Catalog, version: tuple, ids: set[int],
                           rows: list[dict]) -> None:
    known = dict(state.parsed)  # a copy: `take_in_saved` may add to state.parsed meanwhile

    def refresh() -> None:
        try:
            fresh = _merged(files, version, ids, rows, known, app.logger)
            with _install_lock:
                # Not over a newer catalog, nor over one this process changed meanwhile (that
                # one refreshes in its next request, with what it saved).
                if app.extensions.get(EXTENSION) is state and not state.refresh_now:
                    app.extensions[EXTENSION] = fresh
        finally:
            state.refreshing = False

    state.refreshing = True
    threading.Thread(target=refresh, name="catalog-refresh", daemon=True).start()


def get_catalog() -> Catalog:
    """The lessons and exercises this process serves: the files' and the stored case studies'.
    Case studies other processes stored are taken in by a thread (see the module docstring)."""
    state: _Merged | None = current_app.extensions.get(EXTENSION)
    if state and not state.refresh_now and (state.refreshing or time.monotonic() - state.checked_at < RECHECK_SECONDS):
        return state.catalog
    db = get_db()
    version = case_studies.version(db)
    if state and state.version == version:
        state.checked_at, state.refresh_now = time.monotonic(), False
        return state.catalog
    ids = case_studies.case_study_ids(db)
    rows = case_studies.case_study_rows(db, known_ids=set(state.parsed) if state else set())
    app = current_app._get_current_object()
    if state and rows and not state.refresh_now:
        _refresh_in_background(app, state, file_catalog(), version, ids, rows)
        return state.catalog
    fresh = _merged(file_catalog(), version, ids, rows, state.parsed if state else {}, app.logger)
    with _install_lock:
        app.extensions[EXTENSION] = fresh
    return fresh.catalog


def forget_stored_lessons() -> None:
    """After this process stores or deletes a case study: look again on next use, not seconds
    later, and in the request (the teacher is about to open what they saved)."""
    state = current_app.extensions.get(EXTENSION)
    if state:
        state.refresh_now = True


def take_in_saved(case_study_id: int, owner_id: int, lesson: Lesson, exercises: list[Exercise]) -> None:
    """A case study this process has just stored, as it parsed it to validate it: the next
    refresh merges it without parsing it again."""
    state = current_app.extensions.get(EXTENSION)
    lesson.owner_id, lesson.case_study_id = owner_id, case_study_id
    if state:
        state.parsed[case_study_id] = (lesson, exercises)
    forget_stored_lessons()


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


def _catalog_with(kind: str, name: str) -> Catalog:
    """The catalog; when it lacks this lesson or exercise, looked at again in the request (it may
    have just been stored by another process, whose parse here has not finished)."""
    catalog = get_catalog()
    if name not in getattr(catalog, kind):
        forget_stored_lessons()
        catalog = get_catalog()
    return catalog


def get_lesson(slug: str) -> Lesson:
    lesson = _catalog_with("lessons", slug).lessons.get(slug)
    if lesson is None or not lesson_visible(lesson):
        abort(404, f"No lesson {slug!r}.")
    return lesson


def get_exercise(exercise_id: str) -> Exercise:
    catalog = _catalog_with("exercises", exercise_id)
    exercise = catalog.exercises.get(exercise_id)
    if exercise is None or not lesson_visible(catalog.lessons[exercise.lesson]):
        abort(404, f"No exercise {exercise_id!r}.")
    return exercise
