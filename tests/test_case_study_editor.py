"""The case-study editor: items the assistant missed are added from a selection in the article
(or, without a script, a sentence and its words), with a drafted explanation for students; a
hard-wrapped article keeps every suggestion from the paste to a student's score."""

from __future__ import annotations

import io
import re
import textwrap
from pathlib import Path

import pytest
import yaml
from classroom_support import create_class, join_class, submit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_casestudy import ARTICLE, review_fields, start

from webapp.domain.article import Article
from webapp.domain.authoring import DraftItem, explanation_draft, items_from_selection, pin_to_article
from webapp.store.db import get_db

SEED = Path(__file__).resolve().parents[1] / "seeds/transfer-four-day-week.txt"


def hard_wrapped(text: str, width: int = 72, newline: str = "\r\n") -> str:
    """Paragraphs wrapped at `width` columns and separated by a blank line, as an email or a
    plain-text file has them."""
    paragraphs = [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]
    return (newline * 2).join(textwrap.fill(block, width).replace("\n", newline) for block in paragraphs)


def stored(app) -> dict:
    """The one case study saved so far."""
    with app.app_context():
        [row] = get_db().query("select article, key_yaml from case_studies")
    return row


def as_a_browser_sends(fields: dict) -> dict:
    """Line breaks in text areas and hidden fields travel as CRLF."""
    return {name: value.replace("\r\n", "\n").replace("\n", "\r\n") for name, value in fields.items()}


# --- the domain: selections, explanations, pinning ------------------------------------------------

WRAPPED = Article("Gardens\n\nReports suggest that school gardens\nmay have improved lunch. It may\nrain. "
                  "Our own research\nproves it may, and it may.")


def test_a_hedge_is_the_selected_words_and_the_near_offset_picks_the_copy():
    [item] = items_from_selection(WRAPPED, "hedge", 1, "may have")
    assert (item.text, item.occurrence, item.status) == ("may have", 1, "required")
    second_may = WRAPPED.text.index("may.")
    [item] = items_from_selection(WRAPPED, "hedge", 3, "may", near=second_may)
    assert item.occurrence == 4 and WRAPPED.find("may", 4)[0] == second_may
    [item] = items_from_selection(WRAPPED, "hedge", 3, "may")  # no script: the first in that sentence
    assert item.text == "may" and WRAPPED.find("may", item.occurrence)[0] == WRAPPED.text.index("may,")


def test_claims_and_filler_snap_to_whole_sentences_across_line_breaks():
    [item] = items_from_selection(WRAPPED, "unsourced", 1, "gardens may")  # selected across a line break
    assert item.text == "Reports suggest that school gardens\nmay have improved lunch."
    [item] = items_from_selection(WRAPPED, "seo_filler", 3)  # a sentence chosen by number, no words
    assert item.text == "Our own research\nproves it may, and it may."
    items = items_from_selection(WRAPPED, "unsourced", 1, "lunch. It may rain")
    assert [i.text for i in items] == ["Reports suggest that school gardens\nmay have improved lunch.",
                                       "It may\nrain."]


@pytest.mark.parametrize(("kind", "sentence", "words", "message"), [
    ("hedge", 9, "may", "Choose one of the article's sentences"),
    ("hedge", 1, "", "A hedge is a word or phrase"),
    ("hedge", 1, "lunch. It", "inside one sentence"),
    ("unsourced", 1, "rain", "is not in sentence 2"),
    ("hedge", 1, "Reports suggest that school gardens may have improved lunch", "at most 8 words"),
])
def test_a_selection_that_makes_no_item_says_why(kind, sentence, words, message):
    with pytest.raises(ValueError, match=message):
        items_from_selection(WRAPPED, kind, sentence, words)


def test_explanation_drafts_speak_to_students_about_the_text():
    assert explanation_draft("hedge", "likely").startswith("“likely” makes this sound less certain than a fact")
    claim = explanation_draft("unsourced", "Experts say gardens work.")
    assert "does not say who says so" in claim and "“Experts”" in claim
    assert "“" not in explanation_draft("unsourced", "Gardens work.")
    assert "the website itself" in explanation_draft("seo_filler", "At Garden News, we are the best.")
    assert "website" not in explanation_draft("seo_filler", "Gardens are good. Gardens.")
    for kind in ("hedge", "unsourced", "seo_filler"):
        draft = explanation_draft(kind, "word " * 200)
        assert len(draft) < 300 and ":" not in draft.split(".")[0]  # short, and no "hedge: …" jargon
    with pytest.raises(ValueError):
        explanation_draft("quiz", "x")


def test_pinning_gives_the_article_its_own_text_and_occurrence():
    typed = DraftItem("Our own research proves it may, and it may.", 1, "unsourced", "required", "")
    assert pin_to_article(WRAPPED, typed).text == "Our own research\nproves it may, and it may."
    crlf = DraftItem("It may\r\nrain.", 1, "unsourced", "required", "")
    assert pin_to_article(WRAPPED, crlf).text == "It may\nrain."
    missing = DraftItem("not there", 1, "hedge", "required", "")
    assert pin_to_article(WRAPPED, missing) is missing
    assert WRAPPED.occurrence_at(*WRAPPED.find("may", 3)) == 3
    assert WRAPPED.find_ignoring_spacing("may have", 2) is None
    assert WRAPPED.find_ignoring_spacing("may have", 0) is None and WRAPPED.find_ignoring_spacing("may", -1) is None


# --- the web page: adding items without retyping --------------------------------------------------

def sentence_number(page: str, beginning: str) -> str:
    return re.search(r'<option value="(\d+)">\d+\. “' + re.escape(beginning), page).group(1)


def test_the_review_page_shows_the_article_and_plain_explanations(client, instructor):
    page = start(client).get_data(as_text=True)
    assert 'data-case-study-editor' in page and 'data-sentence="1"' in page
    assert page.count('name="add"') == 3  # one "Add as" button per kind
    fields = review_fields(page)
    assert "items-0-text" in fields and not any(v == "" for k, v in fields.items() if k.endswith("-text"))
    assert re.search(r'<textarea[^>]*name="items-0-explanation"', page)  # multi-line, not a one-line box
    explanations = [v for k, v in fields.items() if k.endswith("-explanation")]
    assert explanations and not any(v.startswith(("hedge:", "no source:")) for v in explanations)
    assert any(v.startswith("This sentence states something as true") for v in explanations)


def test_adding_items_keeps_everything_entered_and_saves_them(app, client, instructor):
    page = start(client).get_data(as_text=True)
    fields = review_fields(page)
    rows = sum(1 for name in fields if name.endswith("-text"))
    fields.update({"title": "Gardens, my way", "items-0-explanation": "My own words.",
                   "teacher_notes": "Discuss after lunch."})
    number = sentence_number(page, "The county health department")
    added = client.post("/teacher/case-studies/save", data={
        **fields, "add": "unsourced", "add-sentence": number, "add-words": "health department"})
    assert added.status_code == 200
    page = added.get_data(as_text=True)
    after = review_fields(page)
    assert after[f"items-{rows}-text"].startswith("The county health department published")
    assert after[f"items-{rows}-kind"] == "unsourced" and after[f"items-{rows}-status"] == "required"
    assert after[f"items-{rows}-explanation"].startswith("This sentence states something as true")
    assert 'id="add-result"' in page and "Added 1 item" in page
    assert (after["title"], after["items-0-explanation"], after["teacher_notes"]) == (
        "Gardens, my way", "My own words.", "Discuss after lunch.")
    assert after["add-words"] == "" and after["add-sentence"] == ""  # ready for the next one

    # No limit: a hedge typed into the same sentence, then the same again, which is refused.
    hedge = {**after, "add": "hedge", "add-sentence": number, "add-words": "published"}
    again = review_fields(client.post("/teacher/case-studies/save", data=hedge).get_data(as_text=True))
    assert again[f"items-{rows + 1}-text"] == "published" and again[f"items-{rows + 1}-occurrence"] == "1"
    repeat = client.post("/teacher/case-studies/save", data={**again, "add": "hedge", "add-sentence": number,
                                                             "add-words": "published"})
    assert repeat.status_code == 422 and "is already an item" in repeat.get_data(as_text=True)

    saved = client.post("/teacher/case-studies/save", data=again)
    assert saved.status_code == 302
    key = yaml.safe_load(stored(app)["key_yaml"])
    texts = {item["text"]: item for exercise in key["exercises"] for item in exercise["items"]}
    assert texts["published"]["explanation"].startswith("“published” makes this sound less certain")
    assert "The county health department published a survey on 3 March 2025 covering 40 schools." in texts


@pytest.mark.parametrize(("add", "message"), [
    ({"add": "quiz", "add-sentence": "2"}, "Choose the kind of item to add."),
    ({"add": "hedge", "add-sentence": ""}, "Choose the sentence the item is in."),
    ({"add": "hedge", "add-sentence": "999", "add-words": "may"}, "Sentence: Not a valid choice"),
    ({"add": "hedge", "add-sentence": "2", "add-words": "elephants"}, "“elephants” is not in sentence 2"),
    ({"add": "hedge", "add-sentence": "2", "add-words": "x" * 2001}, "Field cannot be longer"),
    ({"add": "hedge", "add-sentence": "2", "add-words": "may have", "add-near": "soon"}, None),
])
def test_a_bad_addition_is_a_message_and_loses_nothing(client, instructor, add, message):
    fields = review_fields(start(client).get_data(as_text=True))
    fields["items-0-explanation"] = "Kept."
    response = client.post("/teacher/case-studies/save", data={**fields, **add})
    page = response.get_data(as_text=True)
    if message is None:  # a stray offset is ignored: the first "may have" of the sentence, suggested already
        assert response.status_code == 422 and "is already an item" in page
    else:
        assert response.status_code == 422 and message in page, page[:3000]
    assert review_fields(page)["items-0-explanation"] == "Kept."


@pytest.mark.parametrize(("field", "value", "message"), [
    ("items-1-occurrence", "-3", "Item 2, occurrence: Number must be between 1 and 10000"),
    ("items-1-occurrence", "two", "Item 2, occurrence: Not a valid integer value"),
    ("items-1-kind", "quiz", "Item 2, kind: Not a valid choice"),
    ("items-1-explanation", "x" * 1001, "Item 2, explanation for learners: Field cannot be longer than 1000"),
    ("items-1-text", "Reports suggest that school gardens may have improved lunch choices across the world.",
     "text not found in the article"),
])
def test_a_bad_row_is_named_and_nothing_is_lost(client, instructor, field, value, message):
    fields = review_fields(start(client).get_data(as_text=True))
    fields.update({field: value, "items-0-explanation": "Kept."})
    response = client.post("/teacher/case-studies/save", data=fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page
    after = review_fields(page)
    assert after["items-0-explanation"] == "Kept."
    if not field.endswith("-kind"):  # a choice that is not offered cannot be shown as chosen
        assert after[field] == value


def test_adding_without_the_article_goes_back_to_the_start(client, instructor):
    fields = review_fields(start(client).get_data(as_text=True))
    response = client.post("/teacher/case-studies/save", data={**fields, "article": "", "add": "hedge"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/teacher/case-studies/new")


# --- hard-wrapped articles, end to end ------------------------------------------------------------

def test_a_hard_wrapped_article_keeps_every_suggestion_to_the_students_score(app, client, instructor):
    wrapped = hard_wrapped(SEED.read_text(encoding="utf-8"))
    assert "\r\n" in wrapped and max(len(line) for line in wrapped.splitlines()) <= 72
    page = start(client, text=wrapped, title="Four-day week").get_data(as_text=True)
    fields = as_a_browser_sends(review_fields(page))
    suggested = [fields[name].replace("\r\n", "\n") for name in fields if name.endswith("-text")]
    assert len(suggested) >= 16 and sum("\n" in text for text in suggested) >= 7  # sentences that wrap
    response = client.post("/teacher/case-studies/save", data=fields)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    slug = response.headers["Location"].rsplit("/", 1)[-1]
    row = stored(app)
    assert "\r" not in row["article"]
    key = yaml.safe_load(row["key_yaml"])
    assert sorted(item["text"] for exercise in key["exercises"] for item in exercise["items"]) == sorted(suggested)

    # A student sees paragraphs, marks a wrapped suggested claim and scores it.
    unsourced_id = f"{slug}-unsourced"
    klass = create_class(app, instructor["id"], "Period 2", exercise_ids=[unsourced_id])
    student = app.test_client()
    join_class(student, klass["code"], "Noor")
    exercise_page = student.get(f"/exercises/{unsourced_id}").get_data(as_text=True)
    paragraphs = len(Article(wrapped).paragraphs)
    assert exercise_page.count(" data-units=") == paragraphs  # one per paragraph and heading
    text = student.get(f"/api/exercises/{unsourced_id}").get_json()["text"]
    claim = next(item["text"] for item in key["exercises"][1]["items"] if "\n" in item["text"])
    assert key["exercises"][1]["kind"] == "unsourced"
    start_at = text.index(claim)
    graded = submit(student, unsourced_id, "wrapped-1", spans=[[start_at, start_at + len(claim)]])
    data = graded.get_json()
    assert graded.status_code == 200 and data["points"] == 1 and data["score"] > 0
    assert [found["text"] for found in data["found"]] == [claim] and data["false_alarms"] == []


def test_an_uploaded_article_wrapped_at_40_columns_saves_all_its_suggestions(app, client, instructor):
    upload = (io.BytesIO(hard_wrapped(ARTICLE, 40).encode("utf-8")), "gardens.txt")
    page = client.post("/teacher/case-studies/new", data={"title": "Uploaded", "upload": upload},
                       content_type="multipart/form-data").get_data(as_text=True)
    fields = as_a_browser_sends(review_fields(page))
    rows = sum(1 for name in fields if name.endswith("-text"))
    assert client.post("/teacher/case-studies/save", data=fields).status_code == 302
    key = yaml.safe_load(stored(app)["key_yaml"])
    assert sum(len(exercise["items"]) for exercise in key["exercises"]) == rows


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(add=st.fixed_dictionaries({}, optional={
    "add": st.sampled_from(["hedge", "unsourced", "seo_filler", "", "x"]),
    "add-sentence": st.one_of(st.integers(-2, 8).map(str), st.text(max_size=5)),
    "add-words": st.one_of(st.sampled_from(["may", "gardens may", "survey on", "2025 covering"]), st.text(max_size=20)),
    "add-near": st.one_of(st.integers(-10, 500).map(str), st.text(max_size=5))}))
def test_any_addition_is_an_item_or_a_message_and_keeps_the_rows(client, instructor, add):
    fields = review_fields(start(client).get_data(as_text=True))
    response = client.post("/teacher/case-studies/save", data={**fields, "add": "hedge", **add})
    assert response.status_code in (200, 422)
    after = review_fields(response.get_data(as_text=True))
    assert all(after[name] == value for name, value in fields.items() if name.startswith("items-"))
