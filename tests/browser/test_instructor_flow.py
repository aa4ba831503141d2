"""An instructor's lesson in Chromium: log in, create a class, watch a submission arrive on the
live dashboard, open the heat map and download the scores as CSV."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DASHBOARD_POLL_MS = 5000  # static/spotcheck.js refreshes the progress table this often


def test_class_from_creation_to_csv(demo_site, new_context):
    demo_site.create_instructor()
    teacher = new_context().new_page()
    # Fake timers, paused: the dashboard refreshes only when the test moves its clock on (an
    # installed clock alone still runs in real time, and a slow machine reached the refresh).
    start = datetime.datetime.now()
    teacher.clock.install(time=start)
    teacher.clock.pause_at(start + datetime.timedelta(seconds=1))
    demo_site.log_in(teacher)
    teacher.get_by_label("Class name").fill("Period 3")
    teacher.get_by_role("button", name="Create class").click()
    expect(teacher.get_by_role("heading", name="Period 3", level=1)).to_be_visible()
    code = teacher.locator(".join-code .code").inner_text()
    progress = teacher.locator("#progress")
    expect(progress).to_contain_text(f"No students yet. They join at {demo_site.url}/join with the code {code}")

    student = new_context().new_page()
    demo_site.join(student, code, "Ana")
    student.get_by_role("link", name="Hedges, in the news").click()
    student.get_by_role("option", name="may", exact=True).click()
    student.get_by_role("button", name="Check my answers").click()
    expect(student.get_by_role("status")).to_contain_text("Score: 33%")

    expect(progress).not_to_contain_text("Ana")
    teacher.clock.run_for(DASHBOARD_POLL_MS)
    ana = progress.get_by_role("row").filter(has=teacher.get_by_role("rowheader", name="Ana"))
    expect(ana.get_by_role("cell").nth(1)).to_contain_text("33%")  # after Total, the first exercise
    expect(teacher.locator("#progress-status")).to_contain_text("Updated")

    teacher.get_by_role("listitem").filter(has_text="Hedges, in the news").get_by_role("link", name="heat map").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Heat map: Hedges, in the news")
    shaded = teacher.locator(".heatmap .article .h10")  # the top shade: marked by every student (1 of 1)
    assert shaded.all_text_contents() == ["may100%"]  # each share is written out
    key = teacher.locator(".heatmap .article .k").all_text_contents()
    assert [re.sub(r"\d+%$", "", text) for text in key] == ["may", "have", "likely", "reportedly"]

    teacher.get_by_role("link", name="Back to Period 3").click()
    with teacher.expect_download() as download:
        teacher.get_by_role("link", name="Spreadsheet (CSV)").click()
    assert download.value.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert rows == [
        ["Name", "Roster ID", "Hedges, in the news", "Unsourced claims", "Check your understanding", "Total"],
        ["Ana", "", "33.3", "", "", "14.3"],  # 1 of the 7 points of the whole lesson
    ]
