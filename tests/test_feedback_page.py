"""The feedback page of a check with every unit marked (issue #11): small, and its false alarms
grouped by explanation, one entry each, not one line per word. Timings are in bench/feedback.py."""

from __future__ import annotations

import html
import json
import re

import pytest

MAX_BYTES = 100 * 1024
SECTION = re.compile(r'<section class="fb-group fb-false_alarms".*?</section>', re.S)
ENTRY = re.compile(r"<li>(.*?)</li>", re.S)
COUNT = re.compile(r"\((\d+) times\)")


def check_every_unit(client, exercise) -> str:
    spans = [[unit.start, unit.end] for unit in exercise.article.units(exercise.unit)]
    response = client.post(f"/exercises/{exercise.id}/check",
                           data={"spans": json.dumps(spans), "submission_id": f"every-{exercise.id}"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    return page.get_data(as_text=True)


@pytest.mark.parametrize("exercise_id", ["cz-pardon-hedge", "cz-pardon-unsourced", "cz-pardon-filler"])
def test_every_unit_marked_gives_a_small_page_with_grouped_false_alarms(client, catalog, exercise_id):
    exercise = catalog.exercises[exercise_id]
    page = check_every_unit(client, exercise)
    assert len(page.encode()) < MAX_BYTES
    false_alarms = int(re.search(r"Not on the key \((\d+)\)", page).group(1))
    assert false_alarms > 0
    entries = ENTRY.findall(SECTION.search(page).group(0))
    explanations = [html.unescape(entry.rsplit(" — ", 1)[1]) for entry in entries]
    assert len(explanations) == len(set(explanations)), "an explanation is listed more than once"
    # Every false alarm is in one entry: a text counted "(N times)" or once.
    listed = sum(sum(int(n) for n in COUNT.findall(entry)) + entry.count("</q>") - len(COUNT.findall(entry))
                 for entry in entries)
    assert listed == false_alarms
    assert len(entries) < 50  # grouped: a few dozen lines at most, not thousands


def test_the_hedge_page_merges_neighbouring_false_alarms_into_few_marks(client, hedge):
    page = check_every_unit(client, hedge)
    # 2,500-odd false alarms, marked in the article as runs between the key's items, not word by word.
    assert page.count('<mark class="m-false_alarms"') < 500
