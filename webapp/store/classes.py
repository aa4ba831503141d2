"""Classes: settings, assigned exercises, released solutions, rosters (SQL only)."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain import codes
from ..domain.roster import RosterEntry
from .clock import now
from .db import AppDatabase, transaction

SOLUTION_POLICIES = ("after-finishing", "when-released", "never")
COUNTING_RULES = ("best", "last")


def create_class(db: AppDatabase, instructor_id: int, title: str, exercise_ids: list[str], *,
                 attempts_allowed: int | None = None, solutions: str = "after-finishing", counting: str = "best",
                 open_for_joining: bool = True) -> dict:
    """A new class with a fresh join code and these exercises assigned, in this order."""
    with transaction(db):
        code = codes.unique_code(codes.JOIN_CODE_LENGTH,
                                 lambda c: db.execute("select 1 from classes where code = ?", [c]).fetchone())
        class_id = db.execute(
            "insert into classes (code, title, instructor_id, open, attempts_allowed, counting, solutions, created_at) "
            "values (?, ?, ?, ?, ?, ?, ?, ?)",
            [code, title, instructor_id, int(open_for_joining), attempts_allowed, counting, solutions, now()]).lastrowid
        _assign(db, class_id, exercise_ids)
    return get_class(db, class_id)


def _assign(db: AppDatabase, class_id: int, exercise_ids: list[str]) -> None:
    db.execute("delete from class_exercises where class_id = ?", [class_id])
    db.conn.executemany("insert or ignore into class_exercises (class_id, exercise_id, position) values (?, ?, ?)",
                        [(class_id, ex_id, position) for position, ex_id in enumerate(exercise_ids)])


def get_class(db: AppDatabase, class_id: int) -> dict | None:
    return next(db.query("select * from classes where id = ?", [class_id]), None)


def find_class(db: AppDatabase, code: str) -> dict | None:
    return next(db.query("select * from classes where code = ?", [codes.normalise(code)]), None)


def classes_of(db: AppDatabase, instructor_id: int) -> list[dict]:
    """The teacher's classes, newest first, each with its number of students."""
    return list(db.query(
        "select c.*, (select count(*) from students s where s.class_id = c.id) as student_count "
        "from classes c where c.instructor_id = ? order by c.id desc", [instructor_id]))


def assigned_exercise_ids(db: AppDatabase, class_id: int) -> list[str]:
    return [row[0] for row in db.execute(
        "select exercise_id from class_exercises where class_id = ? order by position", [class_id])]


def classes_using(db: AppDatabase, instructor_id: int, exercise_ids: list[str]) -> list[dict]:
    """The teacher's classes that have any of these exercises assigned."""
    if not exercise_ids:
        return []
    marks = ",".join("?" * len(exercise_ids))
    return list(db.query(
        f"select distinct c.* from classes c join class_exercises e on e.class_id = c.id "  # noqa: S608  # nosec B608
        f"where c.instructor_id = ? and e.exercise_id in ({marks}) order by c.title", [instructor_id, *exercise_ids]))


def update_settings(db: AppDatabase, class_id: int, *, title: str, open_for_joining: bool,
                    attempts_allowed: int | None, counting: str, solutions: str, exercise_ids: list[str]) -> None:
    with transaction(db):
        db.execute("update classes set title = ?, open = ?, attempts_allowed = ?, counting = ?, solutions = ? "
                   "where id = ?", [title, int(open_for_joining), attempts_allowed, counting, solutions, class_id])
        _assign(db, class_id, exercise_ids)


def adopt_class(db: AppDatabase, class_id: int, instructor_id: int) -> None:
    """Give a class that has no teacher yet (created by a student's LMS launch) its teacher."""
    with transaction(db):
        db.execute("update classes set instructor_id = ? where id = ? and instructor_id is null",
                   [instructor_id, class_id])


def released_exercise_ids(db: AppDatabase, class_id: int) -> set[str]:
    return {row[0] for row in db.execute("select exercise_id from released_solutions where class_id = ?", [class_id])}


def set_released(db: AppDatabase, class_id: int, exercise_id: str, released: bool) -> None:
    with transaction(db):
        if released:
            db.execute("insert or ignore into released_solutions (class_id, exercise_id, released_at) values (?, ?, ?)",
                       [class_id, exercise_id, now()])
        else:
            db.execute("delete from released_solutions where class_id = ? and exercise_id = ?", [class_id, exercise_id])


def delete_class(db: AppDatabase, class_id: int) -> None:
    """The class, its roster, its students and all of their work (by cascading foreign keys)."""
    with transaction(db):
        db.execute("delete from classes where id = ?", [class_id])


# --- rosters ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterChanges:
    added: int
    renamed: int
    removed: int
    kept: int  # entries missing from the new file that a student already joined as

    def summary(self) -> str:
        text = f"Roster imported: {self.added} added, {self.renamed} renamed, {self.removed} removed."
        if self.kept:
            text += (f" {self.kept} {'student' if self.kept == 1 else 'students'} not in the new file had already "
                     f"joined and {'was' if self.kept == 1 else 'were'} kept.")
        return text


def import_roster(db: AppDatabase, class_id: int, entries: list[RosterEntry]) -> RosterChanges:
    """Make the class roster match `entries`, matched by roster id, in one transaction."""
    with transaction(db):
        existing = {row["roster_id"]: row for row in db.query("select * from roster where class_id = ?", [class_id])}
        claimed = {row[0] for row in db.execute(
            "select roster_entry_id from students where class_id = ? and roster_entry_id is not null", [class_id])}
        added = renamed = 0
        for entry in entries:
            row = existing.pop(entry.roster_id, None)
            if row is None:
                db.execute("insert into roster (class_id, name, roster_id) values (?, ?, ?)",
                           [class_id, entry.name, entry.roster_id])
                added += 1
            elif row["name"] != entry.name:
                db.execute("update roster set name = ? where id = ?", [entry.name, row["id"]])
                renamed += 1
        removable = [row["id"] for row in existing.values() if row["id"] not in claimed]
        db.conn.executemany("delete from roster where id = ?", [(entry_id,) for entry_id in removable])
    return RosterChanges(added, renamed, len(removable), len(existing) - len(removable))


def roster_entries(db: AppDatabase, class_id: int) -> list[dict]:
    """The roster, by name, each entry with the id of the student who joined as it (or None)."""
    return list(db.query(
        "select r.*, s.id as student_id from roster r left join students s on s.roster_entry_id = r.id "
        "where r.class_id = ? order by r.name collate nocase, r.id", [class_id]))
