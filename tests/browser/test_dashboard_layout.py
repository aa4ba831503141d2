"""The class dashboard on a 1366×768 laptop and a 1024×768 projector: ten exercises and more,
40-character names, the name and Total columns in view, times in the teacher's time zone, and a
class report one page wide on paper."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from classroom_support import DEMO_KEY, DEMO_LESSON, MAY_HAVE
from playwright.sync_api import expect
from servers import Site, live_server

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
PROJECTOR = {"width": 1024, "height": 768}
LONG_NAMES = ["Maximiliana Alexandrova-Konstantinopoulos", "Bartholomew Fitzgerald-Worthington III",
              "Chloe"]


@pytest.fixture
def wide_site(app, demo_content) -> Iterator[Site]:
    """The demo lesson four times over: twelve exercises, assigned to a new class by default."""
    for n in (2, 3, 4):
        (demo_content / f"quizzes/demo{n}.yaml").write_text(DEMO_KEY.replace("demo-", f"demo{n}-"), encoding="utf-8")
        lesson = DEMO_LESSON.replace("slug: demo", f"slug: demo{n}").replace("demo.yaml", f"demo{n}.yaml")
        (demo_content / f"lessons/demo{n}.md").write_text(lesson.replace("demo-", f"demo{n}-"), encoding="utf-8")
    with live_server(app) as url:
        yield Site(app, url)


def fill_class(site: Site) -> int:
    code = site.create_class("Period 3")
    for name in LONG_NAMES:
        client = site.app.test_client()
        token = client.get("/api/csrf-token").get_json()["csrf_token"]
        headers = {"X-CSRFToken": token}
        assert client.post("/api/join", json={"code": code, "name": name[:40]}, headers=headers).status_code == 200
        for prefix in ("demo", "demo2", "demo3", "demo4"):
            response = client.post("/api/submissions", headers=headers, json={
                "exercise_id": f"{prefix}-hedge", "submission_id": f"{prefix}-first", "spans": [MAY_HAVE]})
            assert response.status_code == 200, response.get_json()
    with site.app.app_context():
        from webapp.store.db import get_db

        return get_db().execute("select id from classes").fetchone()[0]


def box(locator):
    return locator.first.bounding_box()


@pytest.mark.parametrize("viewport", [LAPTOP, PROJECTOR], ids=["laptop-1366", "projector-1024"])
def test_dashboard_fits_with_names_and_total_in_view(wide_site, new_context, viewport):
    class_id = fill_class(wide_site)
    page = new_context(viewport=viewport, timezone_id="America/New_York", locale="en-US").new_page()
    wide_site.log_in(page)
    page.goto(f"{wide_site.url}/teacher/classes/{class_id}")
    table = page.locator("table.progress")
    expect(table.locator("thead th")).to_have_count(2 + 12 + 1)
    # The page itself never scrolls sideways: only the table does, inside its frame.
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    # Before it scrolls, no heading covers the next one (the sticky Total once hid the first exercise's).
    edges = table.locator("thead th").evaluate_all("ths => ths.map(th => th.getBoundingClientRect())"
                                                   ".map(r => [Math.round(r.left), Math.round(r.right)])")
    assert all(right <= next_left + 1 for (_, right), (next_left, _) in itertools.pairwise(edges)), edges
    page.locator(".table-wrap").evaluate("wrap => { wrap.scrollLeft = wrap.scrollWidth; }")
    name, total = box(table.locator("tbody th.name")), box(table.locator("tbody td.total"))
    last_cell = box(table.locator("tbody tr").first.locator("td").last)
    assert name["x"] >= 0 and name["x"] + name["width"] <= total["x"] + 1, (name, total)
    assert total["x"] + total["width"] <= viewport["width"] and last_cell["x"] + last_cell["width"] <= viewport["width"]
    # A 40-character name wraps inside its column instead of widening it.
    assert name["width"] < 240
    # Scores only, until the teacher asks for the details.
    expect(table.locator(".cell-detail").first).to_be_hidden()
    page.get_by_label("Show attempts and times").check()
    expect(table.locator(".cell-detail").first).to_be_visible()
    # Times in the teacher's time zone, written by the script (the server's fallback says UTC).
    last_activity = table.locator("tbody tr").first.locator("time").last
    expect(last_activity).not_to_contain_text("UTC")
    expect(page.get_by_text("an exercise not tried counts as 0")).to_be_visible()


def test_dashboard_prints_one_page_wide(wide_site, new_context):
    class_id = fill_class(wide_site)
    # A4 landscape at 96 dpi, less the 1 cm margins: 1047 px.
    page = new_context(viewport={"width": 1047, "height": 718}).new_page()
    wide_site.log_in(page)
    page.goto(f"{wide_site.url}/teacher/classes/{class_id}")
    page.emulate_media(media="print")
    for chrome in ("header.site nav", ".progress-options", "#progress-status"):
        expect(page.locator(chrome).first).to_be_hidden()
    wrap = page.locator(".table-wrap").first
    assert wrap.evaluate("w => w.querySelector('table').getBoundingClientRect().width <= w.clientWidth + 1")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    pdf = page.pdf(landscape=True, format="A4", margin={"top": "1cm", "bottom": "1cm", "left": "1cm", "right": "1cm"})
    assert pdf.startswith(b"%PDF")


def test_projector_code_and_heat_map_with_the_key_hidden(wide_site, new_context):
    class_id = fill_class(wide_site)
    page = new_context(viewport=PROJECTOR).new_page()
    wide_site.log_in(page)
    page.goto(f"{wide_site.url}/teacher/classes/{class_id}")
    page.get_by_role("link", name="Projector: show the join code").click()
    page.wait_for_url("**/projector")
    page.wait_for_load_state()  # the style sheet too: the sizes below are computed from it
    code = page.locator(".projector-code .code")
    assert float(code.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 64
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.get_by_role("link", name="Heat map: Hedges, in the news").first.click()
    key = page.locator(".heatmap .k").first
    expect(key).to_have_css("outline-style", "solid")  # waits for the style sheet of the new page
    # Every student marked "may": its share is written out, not only in a tooltip.
    expect(page.locator(".heatmap .k").first).to_contain_text("100%")
    unmarked_key = page.locator(".heatmap .ko").first
    expect(unmarked_key).to_be_visible()
    page.get_by_label("Hide the key").check()
    expect(key).to_have_css("outline-style", "none")
    expect(unmarked_key).to_be_hidden()
    expect(page.locator(".key-legend").first).to_be_hidden()
    expect(page.locator(".heatmap .k sup").first).to_be_visible()  # shares stay
