"""Time the CSV export of a large class against a plain dump of the same attempt rows.

Seeds 300 students x 10 exercises x 3 attempts (7 built-in exercises and a stored case study's
3), then times `flask export-scores --format csv`'s code path (query, derive scores, write CSV)
and, in the same run, dumping the same attempt rows with Python's sqlite3 and csv modules
directly. Goal: the export takes at most 3 times as long as the plain dump.

Usage: python bench/export.py [--students 300] [--attempts 3] [--repeat 5]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from classroom_support import INSTRUCTOR_EMAIL, PASSWORD  # noqa: E402

from webapp.domain import export  # noqa: E402
from webapp.domain.analysis import suggest  # noqa: E402
from webapp.domain.article import Article  # noqa: E402
from webapp.domain.authoring import DraftItem, build_case_study  # noqa: E402
from webapp.domain.kinds import grade  # noqa: E402
from webapp.store import case_studies, learners  # noqa: E402
from webapp.store.attempts import INSERT_ATTEMPT  # noqa: E402
from webapp.store.clock import now  # noqa: E402
from webapp.store.db import get_db, transaction  # noqa: E402
from webapp.web import classroom  # noqa: E402
from webapp.web.auth import create_instructor  # noqa: E402
from webapp.web.catalog import forget_stored_lessons, get_catalog  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def store_case_study(db, instructor_id: int) -> list[str]:
    """A teacher's own case study (the case-study article, keyed by the assistant): 3 more
    exercises; their ids."""
    text = (ROOT / "seeds/000_1c820eb4196e347a.txt").read_text(encoding="utf-8")
    article = Article(text)
    items = [DraftItem(article.text[s.start:s.end], article.text.count(article.text[s.start:s.end], 0, s.start) + 1,
                       s.kind, "required", s.reason) for s in suggest(text)]
    lesson, _, key_yaml, lesson_md = build_case_study("Bench case study", article.text, items, "bench-case")
    case_studies.add_case_study(db, slug="bench-case", title=lesson.title, instructor_id=instructor_id,
                                article=article.text, key_yaml=key_yaml, lesson_md=lesson_md)
    forget_stored_lessons()
    return lesson.flow


def answers_for(exercise, rng: random.Random):
    if exercise.unit is None:  # a quiz
        return {q.id: [rng.choice(q.options).id] for q in exercise.questions}
    units = exercise.article.units(exercise.unit)
    return [[u.start, u.end] for u in rng.sample(units, min(len(units), 12))]


def seed(db, klass: dict, students: int, attempts: int) -> int:
    rng = random.Random(3)
    exercises = classroom.assigned_exercises(db, klass)
    # Grade a handful of answers per exercise once; attempts reuse them (the export never re-grades).
    graded = {ex.id: [(answer, grade(ex, answer)) for answer in (answers_for(ex, rng) for _ in range(4))]
              for ex in exercises}
    rows = []
    student_ids = [learners.add_student(db, klass["id"], f"Student {number}")["id"] for number in range(students)]
    with transaction(db):
        for number, student_id in enumerate(student_ids):
            for exercise in exercises:
                for attempt in range(attempts):
                    answer, result = rng.choice(graded[exercise.id])
                    rows.append((exercise.id, student_id, None, f"s{number}-{exercise.id}-{attempt}",
                                 json.dumps(answer), result.points, result.max_points, result.score,
                                 json.dumps(result.stored_form()), now()))
        db.conn.executemany(INSERT_ATTEMPT, rows)
    return len(rows)


def timed(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--attempts", type=int, default=3, help="attempts per student and exercise")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from webapp import create_app

    with tempfile.TemporaryDirectory() as tmp:
        db_path = f"{tmp}/export.sqlite"
        app = create_app({"DATABASE": db_path, "SECRET_KEY": "bench"})
        with app.app_context():
            db = get_db()
            teacher = create_instructor(db, INSTRUCTOR_EMAIL, PASSWORD)
            own = store_case_study(db, teacher["id"])
            klass = classroom.create_class(db, teacher["id"], "Bench class", classroom.default_exercise_ids() + own)
            count = seed(db, klass, args.students, args.attempts)
            exercises = classroom.assigned_exercises(db, klass)

            def spotcheck_export() -> str:
                exported_exercises, rows = classroom.class_scores(get_db(), klass)
                return export.FORMATS["csv"].render(klass, exported_exercises, rows)

            def plain_dump(columns: str) -> str:
                out = io.StringIO()
                with sqlite3.connect(db_path) as conn:
                    cursor = conn.execute(
                        f"select {columns} from attempts a join students s on s.id = a.student_id "  # noqa: S608
                        "where s.class_id = ?", [klass["id"]])
                    writer = csv.writer(out)
                    writer.writerow([column[0] for column in cursor.description])
                    writer.writerows(cursor)
                return out.getvalue()

            export_seconds = timed(spotcheck_export, args.repeat)
            full_dump_seconds = timed(lambda: plain_dump("a.*"), args.repeat)
            # The stricter baseline: only the columns an export needs, without the stored feedback.
            dump_seconds = timed(lambda: plain_dump("a.student_id, a.exercise_id, a.score, a.created_at"), args.repeat)
            rows_out = spotcheck_export().count("\n") - 1
            assert len(get_catalog().lessons) >= 2

    ratio = export_seconds / dump_seconds
    print(f"{args.students} students x {len(exercises)} exercises x {args.attempts} attempts = {count} attempt rows")
    print(f"export to CSV (query, derive scores, write): {export_seconds * 1000:.1f} ms for {rows_out} student rows")
    print(f"plain sqlite3 + csv dump of the attempt rows, every column: {full_dump_seconds * 1000:.1f} ms")
    print(f"plain sqlite3 + csv dump of the attempt rows, score columns only: {dump_seconds * 1000:.1f} ms")
    print(f"ratio to the score-column dump {ratio:.2f}, to the full dump {export_seconds / full_dump_seconds:.2f} "
          f"(goal: at most 3) -> {'met' if ratio <= 3 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
