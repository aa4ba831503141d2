"""LTI in Chromium: from the test LMS's course page to a checked exercise, and the score in the LMS.

The test LMS (tests/lti_platform.py, on lti1p3platform) and Spotcheck each run on a loopback port;
every call between them is real HTTP on 127.0.0.1: the OIDC redirects and the auto-posted launch
form in the browser, the tool's JWKS/token/AGS calls and the platform's fetch of the tool's JWKS.
"""

from __future__ import annotations

import json
import re
import sys
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect
from servers import live_server

from webapp.lti.services import HttpResponse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/lti_platform.py
from lti_platform import TestLMS  # noqa: E402

pytestmark = pytest.mark.browser


def fetch(url: str) -> HttpResponse:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
        return HttpResponse(response.status, dict(response.headers), response.read())


def test_launch_from_the_lms_to_a_checked_exercise_and_the_score_in_the_gradebook(demo_site, page):
    lms = TestLMS(tool_url=demo_site.url)
    lms.fetch_tool = fetch
    lms.add_link("link-1", custom={"spotcheck_exercise": "demo-hedge"},
                 lineitem={"scoreMaximum": 3, "label": "Hedges, in the news"})
    with live_server(lms.app) as lms_url:
        lms.base = lms_url
        demo_site.cli(*lms.register_args())

        page.goto(lms_url + "/")
        page.locator("#open-student-1-link-1").click()
        expect(page).to_have_url(re.compile(r"/exercises/demo-hedge$"))
        expect(page.get_by_role("listbox")).to_have_count(4)
        for word in ("may", "likely", "reportedly"):
            page.get_by_role("option", name=word, exact=True).click()
        page.get_by_role("button", name="Check my answers").click()
        expect(page.get_by_role("status")).to_contain_text("Score: 100%")

    assert len(lms.scores) == 1, json.dumps(lms.scores)
    score = lms.scores[0]
    assert (score["userId"], score["scoreGiven"], score["scoreMaximum"]) == ("student-1", 3.0, 3)
    assert score["gradingProgress"] == "FullyGraded"
