"""The CLI contracts of issue #10: delete-class, import-roster and import-case-study, each the
same operation as the dashboard's, with clear refusals."""

from __future__ import annotations

from pathlib import Path

from classroom_support import create_class, join_class

from webapp.store import classes
from webapp.store.db import get_db

ROOT = Path(__file__).resolve().parent.parent


def test_delete_class_removes_the_class_and_all_its_students_data(app, runner, instructor, demo_content):
    klass = create_class(app, instructor["id"])
    join_class(app.test_client(), klass["code"], "Ada")
    assert runner.invoke(args=["delete-class", klass["code"]], input="n\n").exit_code == 1  # asked, declined
    result = runner.invoke(args=["delete-class", klass["code"].lower(), "--yes"])
    assert result.exit_code == 0 and "Deleted class" in result.output
    with app.app_context():
        assert get_db()["classes"].count == 0 and get_db()["students"].count == 0
    missing = runner.invoke(args=["delete-class", "NOPE234", "--yes"])
    assert missing.exit_code == 1 and "No class has the join code" in missing.output


def test_import_roster_is_the_dashboards_import(app, runner, instructor, demo_content, tmp_path):
    klass = create_class(app, instructor["id"])
    roster = tmp_path / "roster.csv"
    roster.write_text("name,id\nAda Lovelace,S-1\nAlan Turing,S-2\n", encoding="utf-8")
    result = runner.invoke(args=["import-roster", klass["code"], str(roster)])
    assert result.exit_code == 0 and "2 added" in result.output
    with app.app_context():
        assert [row["name"] for row in classes.roster_entries(get_db(), klass["id"])] == ["Ada Lovelace", "Alan Turing"]
    roster.write_bytes(b"%PDF-1.7 not a roster")
    refused = runner.invoke(args=["import-roster", klass["code"], str(roster)])
    assert refused.exit_code == 1 and "not imported" in refused.output


def test_import_case_study_adds_a_private_lesson_and_prints_its_slug(app, runner, instructor, client, tmp_path):
    result = runner.invoke(args=["import-case-study", str(ROOT / "lessons/cz-pardon.md"), "--instructor",
                                 instructor["email"]])
    # The built-in lesson has a transfer article: a case study has one article, and says so.
    assert result.exit_code == 1 and "one article" in result.output
    lesson = ROOT / "lessons/cz-pardon.md"
    single = lesson.read_text(encoding="utf-8").replace("transfer_article: seeds/transfer-four-day-week.txt\n", "")
    single = single.replace("quizzes: [cz-pardon.yaml, cz-pardon-quiz.yaml, cz-pardon-transfer.yaml]",
                            "quizzes: [cz-pardon.yaml, cz-pardon-quiz.yaml]")
    single = single.replace(", transfer-hedge, transfer-unsourced, transfer-filler]", "]")
    # A teacher's folder laid out like the repository: lessons/, seeds/, quizzes/.
    for relative in ("seeds/000_1c820eb4196e347a.txt", "quizzes/cz-pardon.yaml", "quizzes/cz-pardon-quiz.yaml"):
        (tmp_path / relative).parent.mkdir(exist_ok=True)
        (tmp_path / relative).write_bytes((ROOT / relative).read_bytes())
    copy = tmp_path / "lessons" / "pardon.md"
    copy.parent.mkdir()
    copy.write_text(single, encoding="utf-8")
    result = runner.invoke(args=["import-case-study", str(copy), "--instructor", instructor["email"]])
    assert result.exit_code == 0, result.output
    slug = result.output.splitlines()[-1]
    assert slug == "cz-pardon-2"  # the built-in lesson keeps its slug
    assert client.get(f"/lessons/{slug}").status_code == 200  # its owner sees it
    assert app.test_client().get(f"/lessons/{slug}").status_code == 404  # and nobody else
    assert client.get(f"/exercises/{slug}-cz-pardon-hedge").status_code == 200
    create = runner.invoke(args=["create-class", "--instructor", instructor["email"], "--title", "P",
                                 "--lessons", slug])
    assert create.exit_code == 0, create.output
    unknown = runner.invoke(args=["import-case-study", str(copy), "--instructor", "nobody@example.org"])
    assert unknown.exit_code == 1 and "No instructor" in unknown.output
