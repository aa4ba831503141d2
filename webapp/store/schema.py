"""The schema, as numbered migrations (sqlite-utils' Migrations), and `init_db` that applies them.

Every database, new or years old, reaches the same schema by running the migrations it has not
run yet, in order. m006 rebuilt the tables for ids that are never reused and rows that die with
their owner (see its docstring); m010 keeps attempt ids so without AUTOINCREMENT's write per check.
"""

from __future__ import annotations

import json
import secrets

import yaml
from sqlite_utils import Database, Migrations

from .db import connect, writer_turn

migrations = Migrations("spotcheck")


@migrations()
def m001_core(db: Database):
    db["instructors"].create(
        {"id": int, "email": str, "password_hash": str, "created_at": str}, pk="id", not_null={"email"}
    )
    db["instructors"].create_index(["email"], unique=True)
    db["classes"].create(
        {
            "id": int, "code": str, "title": str, "instructor_id": int, "open": int,
            "assigned": str,  # JSON list of exercise ids; NULL = every exercise
            "attempts_allowed": int,  # NULL = unlimited
            "counting": str,  # "best" or "last"
            "show_solutions": int, "created_at": str,
        },
        pk="id", foreign_keys=[("instructor_id", "instructors", "id")], not_null={"code", "title"},
    )
    db["classes"].create_index(["code"], unique=True)
    db["roster"].create(
        {"id": int, "class_id": int, "name": str, "roster_id": str},
        pk="id", foreign_keys=[("class_id", "classes", "id")],
    )
    db["roster"].create_index(["class_id", "roster_id"], unique=True)
    db["students"].create(
        {"id": int, "class_id": int, "name": str, "roster_entry_id": int, "resume_code": str, "created_at": str},
        pk="id", foreign_keys=[("class_id", "classes", "id"), ("roster_entry_id", "roster", "id")],
    )
    db["students"].create_index(["resume_code"], unique=True)
    db["students"].create_index(["class_id"])
    # The append-only log of every check. Practice attempts have a practice_session and no
    # student; classroom attempts have a student and the client's submission_id.
    db["attempts"].create(
        {
            "id": int, "exercise_id": str, "student_id": int, "practice_session": str,
            "submission_id": str, "answer": str, "points": float, "max_points": int,
            "score": float, "result": str, "created_at": str,
        },
        pk="id", foreign_keys=[("student_id", "students", "id")],
    )
    db["attempts"].create_index(["student_id", "submission_id"], unique=True)
    db["attempts"].create_index(["practice_session", "submission_id"], unique=True)
    db["attempts"].create_index(["student_id", "exercise_id"])
    # Marks in progress, one row per learner ("student:12" or "practice:<token>") and exercise.
    db["drafts"].create(
        {"owner": str, "exercise_id": str, "answer": str, "updated_at": str}, pk=("owner", "exercise_id")
    )
    db["login_failures"].create({"email": str, "at": float}, not_null={"email"})
    db["login_failures"].create_index(["email"])


@migrations()
def m002_roster_claims(db: Database):
    # A roster name can be joined once: a second "Alex Kim" must resume with Alex's code.
    db["students"].create_index(["roster_entry_id"], unique=True)


@migrations()
def m003_case_studies(db: Database):
    # Case studies teachers create in the app: the article and the same lesson + key text
    # formats as the files in lessons/ and quizzes/, validated by the same parser.
    db["case_studies"].create(
        {"id": int, "slug": str, "title": str, "instructor_id": int, "article": str, "key_yaml": str,
         "lesson_md": str, "created_at": str},
        pk="id", foreign_keys=[("instructor_id", "instructors", "id")], not_null={"slug", "article"},
    )
    db["case_studies"].create_index(["slug"], unique=True)


@migrations()
def m004_partial_attempt_indexes(db: Database):
    # A practice attempt has no student and a classroom attempt no practice session. Indexing
    # those NULLs made every check update two indexes that never find it: under a class's load
    # the write is the costliest step of a check. Queries on student_id = ? (or
    # practice_session = ?) imply IS NOT NULL, so SQLite still uses these (tests/test_app.py).
    for statement in (
        "drop index idx_attempts_student_id_submission_id",
        "drop index idx_attempts_practice_session_submission_id",
        "drop index idx_attempts_student_id_exercise_id",
        "create unique index idx_attempts_student_id_submission_id on attempts (student_id, submission_id) "
        "where student_id is not null",
        "create unique index idx_attempts_practice_session_submission_id on attempts "
        "(practice_session, submission_id) where practice_session is not null",
        "create index idx_attempts_student_id_exercise_id on attempts (student_id, exercise_id) "
        "where student_id is not null",
    ):
        db.execute(statement)


@migrations()
def m005_login_failures_by_device(db: Database):
    # NULL for browsers without a device cookie (webapp/auth.py): their failures are counted together.
    db["login_failures"].add_column("device", str)



# The schema after m006. Ids are AUTOINCREMENT, so a deleted student's or teacher's id is never
# given to anyone else (a cookie naming an old id can never open someone else's work); every row
# that belongs to a class, a student or a teacher goes with them (ON DELETE CASCADE); each account
# carries a session token, changed at logout and deletion, that its cookies must present.
TABLES_M006 = """
create table instructors (
    id integer primary key autoincrement, email text not null unique, password_hash text not null,
    session_token text not null, created_at text not null);
create table classes (
    id integer primary key autoincrement, code text not null unique, title text not null,
    instructor_id integer references instructors(id) on delete cascade,  -- NULL: made by a student's LMS launch
    open integer not null default 1,
    attempts_allowed integer,  -- NULL: unlimited
    counting text not null default 'best' check (counting in ('best', 'last')),
    solutions text not null default 'after-finishing'
        check (solutions in ('after-finishing', 'when-released', 'never')),
    created_at text not null);
create index idx_classes_instructor_id on classes (instructor_id);
create table class_exercises (
    class_id integer not null references classes(id) on delete cascade, exercise_id text not null,
    position integer not null, primary key (class_id, exercise_id));
create table released_solutions (
    class_id integer not null references classes(id) on delete cascade, exercise_id text not null,
    released_at text not null, primary key (class_id, exercise_id));
create table roster (
    id integer primary key autoincrement, class_id integer not null references classes(id) on delete cascade,
    name text not null, roster_id text not null);
create unique index idx_roster_class_id_roster_id on roster (class_id, roster_id);
create table students (
    id integer primary key autoincrement, class_id integer not null references classes(id) on delete cascade,
    name text not null, roster_entry_id integer references roster(id) on delete set null,
    resume_code text not null, session_token text not null, created_at text not null);
create unique index idx_students_resume_code on students (resume_code);
create unique index idx_students_roster_entry_id on students (roster_entry_id);
create index idx_students_class_id on students (class_id);
create table attempts (
    id integer primary key autoincrement, exercise_id text not null,
    student_id integer references students(id) on delete cascade, practice_session text,
    submission_id text not null, answer text not null, points real not null, max_points integer not null,
    score real not null, result text not null, created_at text not null,
    check ((student_id is null) != (practice_session is null)));
create unique index idx_attempts_student_id_submission_id on attempts (student_id, submission_id)
    where student_id is not null;
create unique index idx_attempts_practice_session_submission_id on attempts (practice_session, submission_id)
    where practice_session is not null;
create index idx_attempts_student_id_exercise_id on attempts (student_id, exercise_id) where student_id is not null;
create index idx_attempts_practice_created_at on attempts (created_at) where practice_session is not null;
create table drafts (
    student_id integer references students(id) on delete cascade, practice_session text,
    exercise_id text not null, answer text not null, updated_at text not null,
    check ((student_id is null) != (practice_session is null)));
create unique index idx_drafts_student on drafts (student_id, exercise_id) where student_id is not null;
create unique index idx_drafts_practice on drafts (practice_session, exercise_id) where practice_session is not null;
create table finished (
    student_id integer references students(id) on delete cascade, practice_session text,
    exercise_id text not null, finished_at text not null,
    check ((student_id is null) != (practice_session is null)));
create unique index idx_finished_student on finished (student_id, exercise_id) where student_id is not null;
create unique index idx_finished_practice on finished (practice_session, exercise_id)
    where practice_session is not null;
create table case_studies (
    id integer primary key autoincrement, slug text not null unique, title text not null,
    instructor_id integer not null references instructors(id) on delete cascade, article text not null,
    key_yaml text not null, lesson_md text not null, created_at text not null);
create index idx_case_studies_instructor_id on case_studies (instructor_id);
"""


def _token() -> str:
    return secrets.token_urlsafe(24)


def _default_exercises(db: Database, instructor_id: int) -> list[str]:
    """What a class with the old "every exercise" setting had: the built-in lessons' exercises and
    its teacher's case studies', in lesson order."""
    from .. import CONTENT_ROOT  # noqa: PLC0415 - only old databases need the content files
    from ..domain.content import ContentError, load_catalog  # noqa: PLC0415

    try:
        ids = [ex.id for lesson in load_catalog(CONTENT_ROOT).lessons.values() for ex in lesson.exercises]
    except ContentError:
        ids = []
    for (lesson_md,) in db.execute("select lesson_md from old_case_studies where instructor_id = ? order by id",
                                   [instructor_id]).fetchall():
        front = lesson_md.split("---", 2)[1] if lesson_md.startswith("---") else ""
        flow = (yaml.safe_load(front) or {}).get("flow") or []
        ids.extend(str(ex_id) for ex_id in flow)
    return ids


@migrations(transactional=False)
def m006_ids_never_reused_and_owned_rows(db: Database):
    """Rebuild every table: AUTOINCREMENT ids, cascading deletes, session tokens, assigned
    exercises as rows, a solution policy per class, drafts keyed by student, finished exercises.

    Runs with foreign keys off (SQLite cannot rebuild referenced tables otherwise) in one
    transaction, and checks every foreign key before committing.
    """
    conn = db.conn
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        conn.execute("BEGIN IMMEDIATE")
        names = ["instructors", "classes", "roster", "students", "attempts", "drafts", "case_studies"]
        for name in names:
            conn.execute(f"alter table {name} rename to old_{name}")
        old_indexes = conn.execute("select name from sqlite_master where type = 'index' and sql is not null "
                                   "and tbl_name like 'old_%'").fetchall()
        for (index_name,) in old_indexes:
            conn.execute(f'drop index "{index_name}"')
        for statement in TABLES_M006.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("insert into instructors select id, email, password_hash, '', created_at from old_instructors")
        for (instructor_id,) in conn.execute("select id from instructors").fetchall():
            conn.execute("update instructors set session_token = ? where id = ?", [_token(), instructor_id])
        conn.execute(
            "insert into classes select id, code, title, instructor_id, open, attempts_allowed, counting, "
            "case when show_solutions then 'after-finishing' else 'never' end, created_at from old_classes")
        for class_id, instructor_id, assigned in conn.execute(
                "select id, instructor_id, assigned from old_classes").fetchall():
            ids = json.loads(assigned) if assigned else _default_exercises(db, instructor_id)
            conn.executemany("insert or ignore into class_exercises values (?, ?, ?)",
                             [(class_id, ex_id, position) for position, ex_id in enumerate(ids)])
        conn.execute("insert into roster select id, class_id, name, roster_id from old_roster")
        conn.execute("insert into students select id, class_id, name, roster_entry_id, resume_code, '', created_at "
                     "from old_students")
        for (student_id,) in conn.execute("select id from students").fetchall():
            conn.execute("update students set session_token = ? where id = ?", [_token(), student_id])
        conn.execute("insert into attempts select id, exercise_id, student_id, practice_session, submission_id, "
                     "answer, points, max_points, score, result, created_at from old_attempts")
        conn.execute(
            "insert into drafts select cast(substr(owner, 9) as integer), null, exercise_id, answer, updated_at "
            "from old_drafts where owner like 'student:%' and cast(substr(owner, 9) as integer) in "
            "(select id from students)")
        conn.execute("insert into drafts select null, substr(owner, 10), exercise_id, answer, updated_at "
                     "from old_drafts where owner like 'practice:%'")
        conn.execute("insert into case_studies select id, slug, title, instructor_id, article, key_yaml, lesson_md, "
                     "created_at from old_case_studies")
        # Keep the highest id ever used, so AUTOINCREMENT never hands out an old one again.
        for name in ("instructors", "classes", "roster", "students", "attempts", "case_studies"):
            conn.execute("insert into sqlite_sequence (name, seq) select ?, coalesce(max(id), 0) from "  # noqa: S608
                         f"old_{name}", [name])  # nosec B608 - names from the fixed list above
        for name in names:
            conn.execute(f"drop table old_{name}")
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"m006: {len(broken)} rows point at rows that do not exist: {broken[:5]}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


@migrations(transactional=False)
def m007_lti(db: Database):
    """The LTI 1.3 tables (webapp/store/lti.py): platforms, keys, launches, links, scores to send.
    executescript commits by itself, so this migration runs outside the wrapping transaction."""
    from . import lti  # noqa: PLC0415 - store.lti imports the LTI domain, which only this migration needs

    lti.migrate(db)


@migrations()
def m008_resume_failures(db: Database):
    """Failed resume codes, counted against the student whose code they share a group of four
    with (webapp/store/learners.py: `resume`). The expression indexes find those students
    without reading every code."""
    db.execute("create table resume_failures (student_id integer not null references students(id) "
               "on delete cascade, at real not null)")
    db.execute("create index idx_resume_failures_student_id on resume_failures (student_id)")
    db.execute("create index idx_students_resume_code_first on students (substr(resume_code, 1, 4))")
    db.execute("create index idx_students_resume_code_second on students (substr(resume_code, 5))")


@migrations()
def m009_no_practice_time_index(db: Database):
    """Drop the index of practice attempts by time. Only `flask prune` used it, a maintenance
    command run now and then, while every practice check changed a page of it (strace: 11.3 -> 9.1
    writes per check); prune now reads the attempts table through instead."""
    db.execute("drop index if exists idx_attempts_practice_created_at")


@migrations()
def m010_attempt_ids_without_a_sequence_row(db: Database):
    """Attempt ids stay never reused, without AUTOINCREMENT's write of sqlite_sequence at every check
    (strace: a page of the write-ahead log each time, a quarter of a practice check's page writes).

    AUTOINCREMENT remembers the highest id ever used in sqlite_sequence, so that deleting the
    newest rows cannot make their ids come round again. Here `attempt_ids.last` remembers the
    highest id deleted (a trigger, so cascading deletes count too), and `attempts.record_attempt`
    gives each new attempt an id above both it and every id in the table: ids still grow in the
    order attempts are recorded, which the exports and "last attempt counts" read, and no id is
    ever given twice. A check writes no row but its own; only deletions write `attempt_ids`."""
    sequence = db.execute("select seq from sqlite_sequence where name = 'attempts'").fetchone()
    db.execute("create table attempt_ids (last integer not null)")
    db.execute("insert into attempt_ids (last) values (?)", [sequence[0] if sequence else 0])
    db.execute("alter table attempts rename to old_attempts")
    db.execute(
        "create table attempts (id integer primary key, exercise_id text not null, "
        "student_id integer references students(id) on delete cascade, practice_session text, "
        "submission_id text not null, answer text not null, points real not null, max_points integer not null, "
        "score real not null, result text not null, created_at text not null, "
        "check ((student_id is null) != (practice_session is null)))")
    db.execute("insert into attempts select id, exercise_id, student_id, practice_session, submission_id, answer, "
               "points, max_points, score, result, created_at from old_attempts")
    db.execute("drop table old_attempts")
    for statement in (
        "create unique index idx_attempts_student_id_submission_id on attempts (student_id, submission_id) "
        "where student_id is not null",
        "create unique index idx_attempts_practice_session_submission_id on attempts (practice_session, "
        "submission_id) where practice_session is not null",
        "create index idx_attempts_student_id_exercise_id on attempts (student_id, exercise_id) "
        "where student_id is not null",
        "create trigger attempts_deleted after delete on attempts begin "
        "update attempt_ids set last = old.id where old.id > last; end",
    ):
        db.execute(statement)


def _up_to_date(db: Database) -> bool:
    return db.execute("PRAGMA journal_mode").fetchone()[0] == "wal" and not migrations.pending(db)


def init_db(path: str) -> None:
    """Create or upgrade the schema and switch the file to WAL mode (both idempotent). A database
    that is already up to date is only read, so a read-only file still serves.

    gunicorn's workers start together, each creating the app: one of them migrates, holding the
    writers' turn, and the others find the work done (two migrating at once failed on "table
    already exists", and gunicorn stopped)."""
    db = connect(path)
    try:
        if _up_to_date(db):
            return
        with writer_turn(path):
            # WAL first: the migrations then commit without an fsync each (a new database is
            # ready in milliseconds, not a fifth of a second).
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.enable_wal()
            if migrations.pending(db):
                migrations.apply(db)
    finally:
        db.close()
