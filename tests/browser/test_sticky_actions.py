"""The check button and the count of marks stay reachable without scrolling back up the article, on a
phone and a laptop; the feedback page offers its actions again after the explanations (issue #11)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

VIEWPORTS = [{"width": 360, "height": 740}, {"width": 1366, "height": 768}]


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["360px", "1366x768"])
@pytest.mark.parametrize("exercise_id", ["cz-pardon-hedge", "cz-pardon-filler"])
def test_check_button_and_count_in_view_at_the_end_of_the_article(case_study, user_page, viewport, exercise_id):
    page = user_page("home", viewport=viewport)
    page.goto(f"{case_study.site.url}/exercises/{exercise_id}")
    page.locator(".article > :last-child").scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_timeout(100)
    assert page.evaluate("window.scrollY") > 1000  # the article is long: this is far down the page
    expect(page.get_by_role("button", name="Check my answers")).to_be_in_viewport(ratio=1)
    expect(page.locator("#mark-count")).to_be_in_viewport(ratio=1)


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["360px", "1366x768"])
def test_feedback_has_its_actions_after_the_explanations(visit, viewport):
    page = visit("feedback", viewport=viewport)
    order = page.evaluate("""() => {
      const groups = [...document.querySelectorAll('.fb-group')], actions = [...document.querySelectorAll('.actions')];
      const last = groups[groups.length - 1];
      return {groups: groups.length, after: actions.filter(a =>
        last.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING).map(a => a.textContent.trim())};
    }""")
    assert order["groups"] >= 2
    assert any("Retry" in text or "Finish" in text or "Show the solution" in text for text in order["after"]), order
