"""The case-study editor in Chromium: a teacher pastes a hard-wrapped article, adds what the
assistant missed by selecting it with the mouse or choosing it with the keyboard, and saves."""

from __future__ import annotations

import pytest
import yaml
from playwright.sync_api import Page, expect
from test_accessibility import serious_violations
from test_case_study_editor import hard_wrapped

pytestmark = pytest.mark.browser

ARTICLE = hard_wrapped("""Garden Lunches

Reports suggest that school gardens may have improved lunch choices across the whole county this year. \
The county health department published a survey on 3 March 2025 covering 40 schools in the district. \
Pupils were somewhat keener on salad after a term of gardening, and the cooks noticed it quickly. \
The gardens are without doubt the best thing to happen to school lunches in a generation of cooks.

At Garden News, we are the definitive resource for everything about school gardens and lunches. \
Read on for more about gardens, lunches and school gardens.""", 40)
MISSED_CLAIM = ("The gardens\nare without doubt the best thing to\nhappen to school lunches in a generation\n"
                "of cooks.")

# Where a piece of text is drawn, to point the mouse at it as a teacher would.
TEXT_BOX = """([sentence, text]) => {
  const node = document.querySelector(`[data-sentence="${sentence}"]`).firstChild;
  node.parentNode.scrollIntoView({block: "center"});  // after an addition, the page shows the new row
  const range = document.createRange();
  const at = node.data.indexOf(text);
  range.setStart(node, at);
  range.setEnd(node, at + text.length);
  const box = range.getClientRects()[0];
  return {x: box.x, y: box.y + box.height / 2, right: box.right};
}"""


def text_box(page: Page, sentence: int, text: str) -> dict:
    """Where `text` of the sentence is drawn, once it stays put: after an addition the browser keeps
    scrolling the page back to the new row (its #fragment) for a moment after it has loaded."""
    where = page.evaluate(TEXT_BOX, [sentence, text])
    for _ in range(50):
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        again = page.evaluate(TEXT_BOX, [sentence, text])
        if again == where:
            return where
        where = again
    raise AssertionError(f"{text!r} kept moving")


def added_row(page: Page, text: str):
    expect(page.get_by_role("status").filter(has_text="Added 1 item")).to_be_visible()
    row = page.locator("tr.added")
    expect(row.get_by_label("Exact text")).to_have_value(text)
    return row


def test_selecting_missed_items_in_the_editor_and_saving(demo_site, page):
    demo_site.create_instructor()
    demo_site.log_in(page)
    page.goto(f"{demo_site.url}/teacher/case-studies/new")
    page.get_by_label("Title of the case study").fill("Garden lunches")
    page.get_by_label("Paste the article").fill(ARTICLE)
    page.get_by_role("button", name="Suggest an answer key").click()
    assert serious_violations(page) == []
    article = page.get_by_role("region", name="The article")
    expect(article).to_contain_text("Pupils were somewhat keener")

    # A missed hedge: double-click the word, add it.
    word = text_box(page, 4, "somewhat")
    page.mouse.dblclick(word["x"] + 3, word["y"])
    expect(page.get_by_role("status").filter(has_text="Selected “somewhat” in sentence 4")).to_be_visible()
    page.get_by_role("button", name="Add as hedge word").click()
    row = added_row(page, "somewhat")
    expect(row.get_by_label("Explanation for learners")).to_have_value(
        "“somewhat” makes this sound less certain than a fact. The writer does not say how sure anyone really "
        "is, or why.")

    # A missed claim: drag over part of it (across line breaks of the pasted text); the whole
    # sentence is added.
    start, end = text_box(page, 5, "without"), text_box(page, 5, "generation")
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    page.mouse.move(end["right"] - 5, end["y"], steps=3)
    page.mouse.up()
    # The page hears of a selection a moment later (selectionchange): wait for it, as a teacher sees it.
    expect(page.get_by_role("status").filter(has_text="in sentence 5")).to_be_visible()
    page.get_by_role("button", name="Add as unsourced claim").click()
    added_row(page, MISSED_CLAIM)

    # Missed filler, by keyboard alone: the last sentence from the list, then its button.
    sentence = page.get_by_label("Sentence", exact=True)
    sentence.focus()
    page.keyboard.press("End")
    expect(sentence).to_have_value("7")
    page.keyboard.press("Tab")  # the words: empty, for a whole sentence
    for _ in range(3):
        page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Add as SEO filler")).to_be_focused()
    page.keyboard.press("Enter")
    added_row(page, "Read on for more\nabout gardens, lunches and school\ngardens.")

    page.get_by_role("button", name="Validate and save the lesson").click()
    expect(page.get_by_text("Saved “Garden lunches”")).to_be_visible()
    with demo_site.app.app_context():
        from webapp.store.db import get_db
        key = yaml.safe_load(get_db().execute("select key_yaml from case_studies").fetchone()[0])
    items = {exercise["kind"]: [item["text"] for item in exercise["items"]] for exercise in key["exercises"]}
    assert "somewhat" in items["hedge"] and "may\nhave" in items["hedge"]  # added, and suggested across a break
    assert MISSED_CLAIM in items["unsourced"] and items["seo_filler"][-1].startswith("Read on for more")
