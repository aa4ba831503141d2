"""Colour contrast (axe-core's color-contrast rule, WCAG 2.1 AA) of the marking pages in every state
an option can be in: focused from the keyboard, marked, marked and focused, hovered, selected as text,
and under the sticky check bar; and of the feedback page's marks and the solution page (issue #11)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

AXE = Axe()
CONTRAST_ONLY = {"runOnly": {"type": "rule", "values": ["color-contrast"]}, "resultTypes": ["violations"]}
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "laptop": {"width": 1366, "height": 768}}


PROBE = "data-contrast-probe"
# The page as loaded, its words sampled: every option in one state has the same colours, so the
# first three blocks of the article (title, heading, paragraph) stand for the other 2,600 words.
AS_LOADED = {"include": [["body"]], "exclude": [["#marking .article > :nth-child(n+4) [role=option]"]]}


def contrast_failures(page: Page, context: dict | None = None) -> list[str]:
    # axe-core (half a megabyte of script) is added once per page, not before each of its checks.
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.axe_script)
    results = page.evaluate("([context, options]) => axe.run(context || document, options)", [context, CONTRAST_ONLY])
    return [f"{node['target']}: {node['any'][0]['message'] if node['any'] else node['html']}"
            for violation in results["violations"] for node in violation["nodes"]]


def assert_contrast(page: Page, state: str, *elements: Locator, context: dict | None = None) -> None:
    """No contrast failure in `context` (the whole page by default), or only among `elements` when
    given: the states below change how a few options look, and checking 2,600 options each time
    would take a minute."""
    if elements:
        page.evaluate(f"document.querySelectorAll('[{PROBE}]').forEach(e => e.removeAttribute('{PROBE}'))")
        for element in elements:
            element.evaluate(f"(e) => e.setAttribute('{PROBE}', '')")
        context = {"include": [[f"[{PROBE}]"]]}
    failures = contrast_failures(page, context)
    assert failures == [], f"{state}: {failures[:5]}"
    if elements:
        checked = page.locator(f"[{PROBE}]").count()
        assert checked == len(elements), f"{state}: {checked} of {len(elements)} elements checked"


def lines_under(page: Page, check: Locator) -> list[Locator]:
    """The sticky bar and every option on the screen's top lines, the ones scrolling under it."""
    bar = page.locator(".actions.sticky").filter(has=check)
    bottom = bar.evaluate("b => b.getBoundingClientRect().bottom") + 48
    indexes = page.evaluate("""bottom => Array.from(document.querySelectorAll('[role=option]'))
        .map((o, i) => [o.getBoundingClientRect(), i]).filter(([r]) => r.bottom > 0 && r.top < bottom)
        .map(([, i]) => i)""", bottom)
    assert indexes, "no option scrolled under the check bar"
    options = page.locator("[role=option]")
    return [bar, *(options.nth(i) for i in indexes)]


@pytest.fixture(params=list(VIEWPORTS))
def exercise_page(request, case_study, user_page):
    """The hedge exercise, as a fresh visitor (practice) sees it: marking here leaves Ana's draft alone."""
    page = user_page("home", viewport=VIEWPORTS[request.param])
    page.goto(f"{case_study.site.url}/exercises/cz-pardon-hedge")
    expect(page.locator("[role=listbox]").first).to_be_visible()
    return page


def test_contrast_of_options_in_every_state(exercise_page):
    page = exercise_page
    assert_contrast(page, "as loaded", context=AS_LOADED)
    paragraph = page.locator("[role=listbox]").nth(1)
    paragraph.focus()
    page.keyboard.press("ArrowRight")
    active = page.locator(f"#{paragraph.get_attribute('aria-activedescendant')}")
    assert_contrast(page, "an option focused from the keyboard", active)
    page.keyboard.press("Space")
    expect(active).to_have_attribute("aria-selected", "true")
    assert_contrast(page, "marked and focused", active)
    active.hover()
    assert_contrast(page, "marked, focused and hovered", active)
    # Two states at a time from here on, each on its own option: one axe run per pair.
    page.keyboard.press("Tab")  # focus leaves the paragraph: marked, not focused
    unmarked = paragraph.locator("[role=option][aria-selected=false]").nth(3)
    unmarked.hover()
    assert_contrast(page, "marked; another option hovered", active, unmarked)
    active.hover()
    # A double click (marking and unmarking fast) selects the word's text.
    page.evaluate("""option => { const range = document.createRange(); range.selectNodeContents(option);
                      getSelection().removeAllRanges(); getSelection().addRange(range); }""",
                  unmarked.element_handle())
    assert_contrast(page, "marked and hovered; another option selected as text", active, unmarked)
    page.evaluate("getSelection().removeAllRanges()")
    # Scrolled into the article: the sticky check bar lies over the lines under it.
    page.mouse.wheel(0, 1200)
    check = page.get_by_role("button", name="Check my answers")
    expect(check).to_be_in_viewport()
    assert_contrast(page, "scrolled under the sticky check bar", *lines_under(page, check))


def test_contrast_of_the_feedback_marks(visit):
    page = visit("feedback")
    for kind in ("found", "missed", "acceptable", "false_alarms"):
        expect(page.locator(f".m-{kind}").first).to_be_attached()
    assert_contrast(page, "feedback")
    page.locator("mark.m-false_alarms").first.scroll_into_view_if_needed()
    assert_contrast(page, "feedback, scrolled to a false alarm")


def test_contrast_of_the_solution(visit):
    page = visit("solution")
    expect(page.locator(".m-solution").first).to_be_attached()
    assert_contrast(page, "solution")
