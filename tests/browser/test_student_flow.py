"""A student's whole exercise in Chromium: join, mark by mouse and by keyboard, reload, check, retry.

The demo lesson (tests/conftest.py) has three required hedges, "may have", "likely" and
"reportedly", in "The council may have approved a new bus line on Tuesday. Officials said it will
likely open in spring. Ridership reportedly doubled last year, …".
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

AUTOSAVE_DELAY_MS = 300  # static/spotcheck.js saves this long after the last change


def option(page: Page, word: str):
    return page.get_by_role("option", name=word, exact=True)


def marked(page: Page):
    return page.locator("[role=option][aria-selected=true]")


def tab_into_listbox_with(page: Page, word: str) -> None:
    """Press Tab until the paragraph holding `word` has focus: each paragraph is one tab stop."""
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("w => document.activeElement.matches('[role=listbox]') && "
                         "[...document.activeElement.querySelectorAll('[role=option]')]"
                         ".some(o => o.textContent === w)", word):
            return
    raise AssertionError(f"no tab stop holds {word!r}")


def arrow_to(page: Page, word: str) -> None:
    for _ in range(30):
        if page.evaluate("document.getElementById(document.activeElement.getAttribute('aria-activedescendant'))"
                         ".textContent") == word:
            return
        page.keyboard.press("ArrowRight")
    raise AssertionError(f"the arrow keys never reached {word!r}")


def feedback_items(page: Page, kind: str) -> list[str]:
    return page.locator(f".fb-{kind} li").all_text_contents()


def test_join_mark_reload_check_and_retry(demo_site, page):
    code = demo_site.create_class("Period 3")
    demo_site.join(page, code, "Ana")  # welcomed on the lesson, then on to their work page
    page.get_by_role("link", name="Hedges, in the news").click()
    expect(page.get_by_role("listbox")).to_have_count(4)  # the heading and three paragraphs, enhanced

    # The mouse: one hedge and one word that is not a hedge.
    option(page, "may").click()
    option(page, "Tuesday").click()
    expect(option(page, "may")).to_have_attribute("aria-selected", "true")

    # The keyboard only: Tab into the paragraph, arrows to "likely", Space marks it; Enter marks
    # and unmarks the next word.
    tab_into_listbox_with(page, "likely")
    arrow_to(page, "likely")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    expect(option(page, "open")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    expect(option(page, "open")).to_have_attribute("aria-selected", "false")
    expect(page.locator("#mark-count")).to_have_text("3 marked, saved")

    page.reload()
    expect(marked(page)).to_have_text(["may", "Tuesday", "likely"])

    page.get_by_role("button", name="Check my answers").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    status = page.get_by_role("status")
    expect(status).to_be_focused()
    expect(status).to_contain_text("Score: 33%")  # two found, one false alarm: (2 - 1) of 3 points
    assert page.locator("mark.m-found").all_text_contents() == ["may have1 (found)", "likely2 (found)"]
    assert page.locator("mark.m-false_alarms").all_text_contents() == ["Tuesday (not on the key)"]
    assert feedback_items(page, "found") == ["may have — Softens the approval.", "likely — Guesses at the odds."]
    assert feedback_items(page, "false_alarms") == [
        "Tuesday — These words do not soften or qualify a claim, so they are not hedges."]
    # The class shows solutions after finishing: the miss is counted, not shown, so a retry still teaches.
    expect(status).to_contain_text("You missed one.")
    assert page.locator("mark.m-missed").count() == 0

    page.get_by_role("link", name="Retry").first.click()
    expect(marked(page)).to_have_text(["may", "Tuesday", "likely"])
    option(page, "Tuesday").click()
    option(page, "reportedly").click()
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_role("status")).to_contain_text("Score: 100%")
    assert page.locator("mark.m-found").count() == 3
    assert page.locator("mark.m-missed, mark.m-false_alarms").count() == 0


def test_marks_survive_autosaves_that_arrive_out_of_order(demo_site, page):
    """On a slow school network, an earlier autosave must not land after, and undo, a later one."""
    demo_site.join(page, demo_site.create_class("Period 3"), "Ana")
    page.goto(f"{demo_site.url}/exercises/demo-hedge")
    held = []  # the first autosave, held up on the network
    page.route("**/api/drafts/*", lambda route: held.append(route), times=1)
    with page.expect_request("**/api/drafts/*"):
        option(page, "may").click()
    option(page, "likely").click()
    page.wait_for_timeout(AUTOSAVE_DELAY_MS + 200)  # time for a second save to go through, if the page sends one
    held[0].continue_()
    expect(page.locator("#mark-count")).to_have_text("2 marked, saved")
    page.reload()
    expect(marked(page)).to_have_text(["may", "likely"])
