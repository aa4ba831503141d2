"""Layout and weight of every page type: a phone and a Chromebook without sideways scrolling, a
print worksheet, and the page budget (bytes, same-origin requests, a strict CSP)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
CHROMEBOOK = {"width": 1366, "height": 768}
PAGE_BUDGET = 120 * 1024  # HTML + CSS + JS of one page, uncompressed
COUNTED_TYPES = {"document", "stylesheet", "script"}

# Against clientWidth, the layout viewport: a phone zooms out to fit wide content, so
# window.innerWidth grows with the overflow it should reveal.
OVERFLOWS = """() => {
  const wider = e => e.scrollWidth > e.clientWidth;
  return {page: wider(document.documentElement),
          articles: [...document.querySelectorAll('.article')].filter(wider).length};
}"""


def computed(page: Page, selector: str, prop: str, pseudo: str | None = None) -> str:
    return page.locator(selector).first.evaluate("(e, [p, pseudo]) => getComputedStyle(e, pseudo)[p]", [prop, pseudo])


def test_feedback_prints_as_a_worksheet(visit):
    page = visit("feedback")
    page.emulate_media(media="print")
    for chrome in ("header.site nav", "footer.site", ".actions"):
        expect(page.locator(chrome).first).to_be_hidden()
    for content in (".score", ".article", ".fb-found", ".fb-missed", ".fb-false_alarms"):
        expect(page.locator(content)).to_be_visible()
    expect(page.locator(".score")).to_contain_text("(Ana, Period 3)")  # whose worksheet, in which class
    # No background colours on paper: the marks keep their lines and symbols.
    for kind, line, symbol in [("found", "underline", "✓"), ("missed", "underline", "?"),
                               ("false_alarms", "line-through", "✗")]:
        assert computed(page, f"mark.m-{kind}", "backgroundColor") == "rgba(0, 0, 0, 0)"
        assert computed(page, f"mark.m-{kind}", "textDecorationLine") == line
        assert computed(page, f"mark.m-{kind} .tag", "content", "::before") == f'"{symbol}"'
    assert page.pdf()[:5] == b"%PDF-"


def test_exercise_prints_the_learners_marks(visit):
    page = visit("exercise cz-pardon-hedge")
    page.emulate_media(media="print")
    expect(page.locator(".article")).to_be_visible()
    expect(page.locator("details.howto")).to_be_hidden()
    assert computed(page, ".para .on", "textDecorationLine") == "underline"


def test_page_budget_origin_and_width(user_page, case_study, page_name):
    """One visit per page type checks its weight, where it loads from, and that neither a Chromebook
    nor a phone has to scroll it sideways."""
    page = user_page(page_name, viewport=CHROMEBOOK)
    requests, messages = [], []
    page.on("request", lambda request: requests.append(request))
    page.on("console", lambda message: messages.append(message))
    response = page.goto(case_study.url(page_name))  # returns after the load event: every asset is in

    counted = sum(len(request.response().body()) for request in requests if request.resource_type in COUNTED_TYPES)
    assert counted <= PAGE_BUDGET
    origin = urlsplit(case_study.site.url)
    assert [r.url for r in requests if urlsplit(r.url)[:2] != origin[:2]] == []  # scheme and host:port
    policy = dict(directive.split(" ", 1) for directive in response.headers["content-security-policy"].split("; "))
    assert (policy["script-src"], policy["style-src"]) == ("'self'", "'self'")
    # Nothing inline for the policy to refuse, and so nothing refused: no CSP errors on the console.
    assert page.locator("script:not([src]), [style]").count() == 0
    assert [message.text for message in messages if message.type == "error"] == []

    assert page.evaluate(OVERFLOWS) == {"page": False, "articles": 0}
    page.set_viewport_size(PHONE)
    assert page.evaluate(OVERFLOWS) == {"page": False, "articles": 0}
