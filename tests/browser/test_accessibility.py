"""Accessibility of every page type, as Chromium renders it: axe-core, focus, marks and status."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

AXE = Axe()  # the axe-core copy bundled with axe-playwright-python: no download
BLOCKING_IMPACTS = {"serious", "critical"}  # colour contrast (WCAG 2.1 AA) is "serious"
PAGE_BACKGROUND = (255, 255, 255)


# tests/browser/test_contrast.py checks the contrast of these pages: the hedge exercise in every
# state of an option on a phone and a laptop (the transfer article's hedge page is the same template
# and style sheet), the feedback marks and the solution. axe's contrast rule over a whole article
# takes seconds a page, so not twice.
CONTRAST_CHECKED_ELSEWHERE = {"exercise cz-pardon-hedge", "exercise transfer-hedge", "feedback", "solution"}
ALL_RULES = {"resultTypes": ["violations"]}  # axe lists one node of each passed rule, not all 2,600
ALL_RULES_BUT_CONTRAST = {**ALL_RULES, "rules": {"color-contrast": {"enabled": False}}}


def serious_violations(page: Page, options: dict = ALL_RULES) -> list[str]:
    results = AXE.run(page, options=options).response
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']][:5]}"
            for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]


def test_no_serious_or_critical_violations(visit, page_name):
    page = visit(page_name)
    assert page.evaluate("document.documentElement.lang") == "en"
    options = ALL_RULES_BUT_CONTRAST if page_name in CONTRAST_CHECKED_ELSEWHERE else ALL_RULES
    assert serious_violations(page, options) == []


def relative_luminance(rgb: tuple[int, ...]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: tuple[int, ...], second: tuple[int, ...]) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


OUTLINE_OF = """element => {
  const style = getComputedStyle(element);
  const position = Array.prototype.indexOf.call(document.querySelectorAll("*"), element);
  return {name: element.id || position + " " + element.outerHTML.slice(0, 120), style: style.outlineStyle,
          width: parseFloat(style.outlineWidth), color: style.outlineColor.match(/\\d+/g).map(Number)};
}"""


def assert_visible_outline(outline: dict) -> None:
    """WCAG 2.4.7 and 1.4.11: an outline at least 2 px wide, 3:1 against the page."""
    assert outline["style"] != "none" and outline["width"] >= 2, f"no visible focus: {outline}"
    assert contrast(tuple(outline["color"]), PAGE_BACKGROUND) >= 3, f"focus outline too faint: {outline}"


@pytest.mark.parametrize("name", ["exercise cz-pardon-hedge", "feedback", "login", "class"])
def test_every_tab_stop_shows_focus(visit, name):
    page = visit(name)
    seen = set()
    for _ in range(200):  # more than any of these pages has tab stops
        page.keyboard.press("Tab")
        # Past the last stop, focus leaves the page (the body is active) before it wraps around.
        outline = page.evaluate(f"(e => e === document.body ? null : ({OUTLINE_OF})(e))(document.activeElement)")
        if outline is None:
            continue
        if outline["name"] in seen:
            break
        seen.add(outline["name"])
        assert_visible_outline(outline)
    assert len(seen) >= 5


def test_active_option_shows_focus_only_while_its_listbox_has_it(visit):
    page = visit("exercise cz-pardon-unsourced")
    paragraph = page.locator("[role=listbox]").nth(2)
    paragraph.focus()
    page.keyboard.press("ArrowDown")
    active_id = paragraph.get_attribute("aria-activedescendant")
    active = page.locator(f"#{active_id}")
    expect(active).to_have_attribute("role", "option")
    assert_visible_outline(active.evaluate(OUTLINE_OF))
    page.keyboard.press("Tab")
    assert active.evaluate(OUTLINE_OF)["style"] == "none"  # one focus ring on the page, not two


# A slow device, where the script's background work has not begun when the learner clicks: the
# page's zero-delay timers (that work) are held until the test lets them run.
HOLD_BACKGROUND_WORK = """(() => {
  const later = window.setTimeout, held = [];
  window.setTimeout = (callback, delay, ...args) =>
    delay === 0 ? (held.push(callback), 0) : later(callback, delay, ...args);
  window.releaseHeld = () => { window.setTimeout = later; held.forEach(callback => later(callback, 0)); };
})();"""
FIRST_WORD_OF = """box => {
  const [gap, length] = box.dataset.units.split(",").map(Number);  // the first unit: its gap and length
  const range = document.createRange();
  range.setStart(box.firstChild, gap);
  range.setEnd(box.firstChild, gap + length);
  const where = range.getBoundingClientRect();
  return {word: range.toString(), x: where.left + where.width / 2, y: where.top + where.height / 2};
}"""


def test_words_answer_at_once_and_every_paragraph_fills_soon_after_load(user_page, case_study):
    """The paragraphs' words become options a few paragraphs at a time after load (a long article
    would otherwise wait for all 2,600); a click on a paragraph not yet filled marks its word."""
    page = user_page("home")
    page.add_init_script(HOLD_BACKGROUND_WORK)
    page.goto(f"{case_study.site.url}/exercises/cz-pardon-hedge")
    paragraph = page.locator("#marking p.para").first
    assert paragraph.get_attribute("aria-busy") == "true" and paragraph.locator("[role=option]").count() == 0
    paragraph.evaluate("p => p.scrollIntoView({block: 'center'})")
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    first = paragraph.evaluate(FIRST_WORD_OF)
    page.mouse.click(first["x"], first["y"])
    expect(paragraph.locator("[aria-selected=true]")).to_have_text(first["word"])
    expect(page.locator("#mark-count")).to_contain_text("1 marked")

    page.evaluate("window.releaseHeld()")
    expect(page.locator("[aria-busy]")).to_have_count(0)
    units = page.locator("#marking [data-units]").evaluate_all(
        "hosts => hosts.reduce((n, h) => n + (h.dataset.units ? h.dataset.units.split(',').length / 2 : 0), 0)")
    assert page.locator("[role=option]").count() == units > 2000

    # Page Down jumps to the next sentence's first word, numbered as in the whole article.
    starts = set(page.locator("#marking").evaluate("form => JSON.parse(form.dataset.sentences)"))
    paragraph = page.locator("[role=listbox]").nth(3)
    paragraph.focus()
    page.keyboard.press("PageDown")
    active = page.locator(f"#{paragraph.get_attribute('aria-activedescendant')}")
    number = active.evaluate("o => [...document.querySelectorAll('#marking [role=option]')].indexOf(o)")
    assert number in starts and active.get_attribute("id") == f"u{number}", (number, active.get_attribute("id"))


def test_checking_moves_focus_to_the_announced_result(visit):
    page = visit("exercise cz-pardon-filler")
    page.locator("[role=listbox]").nth(2).focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Check my answers").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/attempts/*")
    status = page.get_by_role("status")
    expect(status).to_be_focused()
    expect(status).to_contain_text("Score:")
    expect(status).to_contain_text("You found")


MARK_LOOK = """mark => {
  const style = getComputedStyle(mark), tag = mark.querySelector('.tag');
  return [style.textDecorationLine + ' ' + style.textDecorationStyle, getComputedStyle(tag, '::before').content,
          tag.querySelector('.visually-hidden').textContent.trim()];
}"""


def test_feedback_marks_differ_by_more_than_colour(visit):
    page = visit("feedback")
    looks = {kind: page.locator(f"mark.m-{kind}").first.evaluate(MARK_LOOK)
             for kind in ("found", "missed", "false_alarms")}
    assert looks["found"][2] == "(found)" and looks["false_alarms"][2] == "(not on the key)"
    # Without colour: each kind has its own line and its own symbol, and says its name to screen readers.
    for position in range(3):
        assert len({look[position] for look in looks.values()}) == 3, looks


def test_learner_marks_differ_by_more_than_colour(visit):
    page = visit("exercise cz-pardon-hedge")
    marked = page.locator("[role=option][aria-selected=true]").first
    unmarked = page.locator("[role=option][aria-selected=false]").first
    decoration = "e => getComputedStyle(e).textDecorationLine"
    assert (marked.evaluate(decoration), unmarked.evaluate(decoration)) == ("underline", "none")
