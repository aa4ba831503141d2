"""The same exercises with JavaScript disabled: join, mark with checkboxes, save, check, quiz."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def page(new_context):
    return new_context(java_script_enabled=False).new_page()


def test_marking_with_checkboxes(demo_site, page):
    demo_site.join(page, demo_site.create_class("Period 3"), "Ben")
    page.get_by_role("link", name="Hedges, in the news").click()
    expect(page.get_by_role("listbox")).to_have_count(0)  # nothing enhanced the paragraphs
    page.get_by_role("link", name="Mark this exercise with checkboxes instead.").click()

    page.get_by_label("may", exact=True).check()
    page.get_by_label("Tuesday", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Part 1 saved.")
    expect(page.get_by_text("You have 2 marks so far.")).to_be_visible()
    expect(page.get_by_label("may", exact=True)).to_be_checked()

    # The saved marks show on the exercise page too, drawn by the server.
    page.goto(f"{demo_site.url}/exercises/demo-hedge")
    assert page.locator(".para .on").all_text_contents() == ["may", "Tuesday"]
    page.get_by_role("link", name="Use checkboxes instead").click()

    page.get_by_label("Tuesday", exact=True).uncheck()
    page.get_by_label("likely", exact=True).check()
    page.get_by_label("reportedly", exact=True).check()
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_role("status")).to_contain_text("Score: 100%")
    assert page.locator("mark.m-found").count() == 3
    assert page.locator(".fb-found li").all_text_contents() == [
        "may have — Softens the approval.", "likely — Guesses at the odds.", "reportedly — Names no reporter."]


def test_quiz(demo_site, page):
    demo_site.join(page, demo_site.create_class("Period 3"), "Ben")
    page.goto(f"{demo_site.url}/exercises/demo-quiz")
    page.get_by_label("The ridership figure").check()
    page.get_by_label("may have").check()
    page.get_by_label("Tuesday").check()
    page.get_by_role("button", name="Check my answers").click()
    # One question right; on the other, one right option and one wrong cancel out.
    expect(page.get_by_role("status")).to_contain_text("Score: 50%")
    expect(page.locator("li.m-false_alarms")).to_have_text("✗ Not right: Tuesday — A plain date.")
