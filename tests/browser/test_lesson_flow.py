"""The full lesson flow in Chromium: teaching text, the three case-study exercises, the quiz,
the three transfer exercises, and the summary that puts each skill's two scores side by side."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from servers import live_server

from webapp.web.catalog import get_catalog

pytestmark = pytest.mark.browser


def mark(page: Page, exercise, items) -> None:
    """Click the unit where each item starts (for a sentence item, the whole sentence)."""
    article = exercise.article
    units = article.units(exercise.unit)
    for item in items:
        index = next(i for i, unit in enumerate(units) if unit.start == item.start)
        text = article.text[units[index].start:units[index].end]
        # Options share a name when a word repeats: pick this one by its rank among its namesakes.
        rank = sum(1 for unit in units[:index] if article.text[unit.start:unit.end] == text)
        page.get_by_role("option", name=text, exact=True).nth(rank).click()


def test_the_whole_lesson_from_teaching_text_to_summary(app, page):
    with app.app_context():
        lesson = get_catalog().lessons["cz-pardon"]
    with live_server(app) as url:
        page.goto(f"{url}/lessons/cz-pardon")
        expect(page.get_by_role("heading", name="Hedge words")).to_be_visible()
        page.get_by_role("link", name="Start the first exercise").click()

        for step, exercise in enumerate(lesson.exercises):
            expect(page.get_by_role("heading", level=1)).to_have_text(exercise.title)
            transfer = lesson.role_of(exercise) == "transfer"
            if exercise.kind == "quiz":
                for number, question in enumerate(exercise.questions):
                    fieldset = page.locator("fieldset.question").nth(number)
                    for option in question.options:
                        if option.correct:
                            fieldset.get_by_label(option.text, exact=True).check()
            else:
                required = [item for item in exercise.items if item.required]
                mark(page, exercise, required if transfer else required[:1])
            page.get_by_role("button", name="Check my answers").click()
            status = page.get_by_role("status")
            expect(status).to_be_focused()
            expected = 100 if transfer or exercise.kind == "quiz" else round(100 / exercise.max_points)
            expect(status).to_contain_text(f"Score: {expected}%")
            if step + 1 < len(lesson.exercises):
                page.get_by_role("link", name=f"Next: {lesson.exercises[step + 1].title}").first.click()
            else:
                page.get_by_role("link", name="See your summary").first.click()

        rows = {row.locator("th").inner_text(): [cell.inner_text() for cell in row.locator("td").all()]
                for row in page.locator("tbody tr").all()}
        by_kind = {e.kind: e for e in lesson.exercises if lesson.role_of(e) == "case-study"}
        for label, kind in (("Hedge words", "hedge"), ("Sourced and unsourced claims", "unsourced"),
                            ("SEO filler", "seo_filler")):
            case_study = round(100 / by_kind[kind].max_points)
            assert rows[label] == [f"{case_study}%", "100%", f"up {100 - case_study} points"], rows
        expect(page.get_by_text("Check your understanding: 100%")).to_be_visible()
