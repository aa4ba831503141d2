"""Case studies teachers create in the app (SQL only): the article and the same lesson and key
text formats as the files in lessons/ and quizzes/, validated by the same parser."""

from __future__ import annotations

from .clock import now
from .db import AppDatabase, transaction


def add_case_study(db: AppDatabase, *, slug: str, title: str, instructor_id: int, article: str, key_yaml: str,
                   lesson_md: str) -> int:
    with transaction(db):
        return db.execute(
            "insert into case_studies (slug, title, instructor_id, article, key_yaml, lesson_md, created_at) "
            "values (?, ?, ?, ?, ?, ?, ?)", [slug, title, instructor_id, article, key_yaml, lesson_md, now()]).lastrowid


def slug_taken(db: AppDatabase, slug: str) -> bool:
    return db.execute("select 1 from case_studies where slug = ?", [slug]).fetchone() is not None


def version(db: AppDatabase) -> tuple[int, int]:
    """Changes whenever a case study is added or removed: (count, highest id ever used)."""
    count, highest = db.execute("select count(*), coalesce(max(id), 0) from case_studies").fetchone()
    sequence = db.execute("select seq from sqlite_sequence where name = 'case_studies'").fetchone()
    return count, max(highest, sequence[0] if sequence else 0)


def case_study_rows(db: AppDatabase, known_ids: set[int] | None = None) -> list[dict]:
    """Every stored case study, or only those whose ids are not in `known_ids`: the articles and
    keys of the ones a worker has parsed already are not read again."""
    wanted = [case_id for case_id in sorted(case_study_ids(db)) if known_ids is None or case_id not in known_ids]
    return [row for case_id in wanted for row in db.query(
        "select id, slug, instructor_id, article, key_yaml, lesson_md from case_studies where id = ?", [case_id])]


def case_study_ids(db: AppDatabase) -> set[int]:
    return {row[0] for row in db.execute("select id from case_studies")}


def case_studies_of(db: AppDatabase, instructor_id: int) -> list[dict]:
    return list(db.query("select id, slug, title, created_at from case_studies where instructor_id = ? order by title",
                         [instructor_id]))


def delete_case_study(db: AppDatabase, case_study_id: int) -> None:
    with transaction(db):
        db.execute("delete from case_studies where id = ?", [case_study_id])


def get_case_study(db: AppDatabase, case_study_id: int) -> dict | None:
    return next(db.query("select * from case_studies where id = ?", [case_study_id]), None)


def title_taken(db: AppDatabase, instructor_id: int, title: str, except_id: int | None = None) -> bool:
    """Whether the teacher has another case study of this title (case ignored)."""
    return any(row["title"].casefold() == title.casefold() and row["id"] != except_id
               for row in db.query("select id, title from case_studies where instructor_id = ?", [instructor_id]))


def replace_case_study(db: AppDatabase, case_study_id: int, *, title: str, article: str, key_yaml: str,
                       lesson_md: str) -> int:
    """An edited case study under the same slug (so its exercise ids, and the attempts at them,
    stay). Stored as a new row, so every process's catalog sees the change (store.version)."""
    with transaction(db):
        row = db.execute("select slug, instructor_id, created_at from case_studies where id = ?",
                         [case_study_id]).fetchone()
        if row is None:
            raise LookupError(case_study_id)
        db.execute("delete from case_studies where id = ?", [case_study_id])
        return db.execute(
            "insert into case_studies (slug, title, instructor_id, article, key_yaml, lesson_md, created_at) "
            "values (?, ?, ?, ?, ?, ?, ?)", [row[0], title, row[1], article, key_yaml, lesson_md, row[2]]).lastrowid
