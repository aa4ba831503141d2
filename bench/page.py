"""Page weight and speed: per page, the bytes of HTML, CSS and JS (uncompressed), the requests,
and the time from navigation to interactive in headless Chromium with the CPU slowed down 4×
(roughly a school Chromebook), as the median of several cold loads.

"Interactive" is the end of DOMContentLoaded: the deferred spotcheck.js runs before that event,
so by then an exercise page's paragraphs are listboxes that take a click or a key (checked on each
load); each fills with its options when the learner reaches it or in the frames just after load.
A deferred script also waits for the stylesheet, and Chromium renders what it has parsed before
running it, so an exercise page's time includes its first render (style, layout and paint of what
is on screen); a page without a script, such as a lesson, reaches the event as soon as its HTML is
parsed, without waiting for the stylesheet, and so usually before it is rendered.

Usage: python bench/page.py [PAGE NAME ...] (default: every reported page).
Needs Debian's chromium at /usr/bin/chromium.
"""

from __future__ import annotations

import statistics
import sys
from dataclasses import dataclass
from urllib.parse import urlsplit

from classroom_demo import demo_classroom
from playwright.sync_api import Browser
from servers import Classroom, page_types

RUNS = 5
CPU_SLOWDOWN = 4
BUDGET_BYTES = 120 * 1024
INTERACTIVE_GOAL_MS = 300  # on an exercise page
# Issue #11: the hedge exercise page interactive in at most 1.6x the lesson page's time, same run.
RATIO_PAGES = ("exercise cz-pardon-hedge", "lesson cz-pardon")
RATIO_GOAL = 1.6
COUNTED = ("document", "stylesheet", "script")
# The report's rows are the page types of tests/servers.py less those the browser tests added after
# the first report, and keep that report's name for a class's page.
NOT_REPORTED = {"solution", "my work", "dashboard", "exercise statistics"}
ROW_NAMES = {"class": "dashboard"}

NAVIGATION = """() => {
  const entry = performance.getEntriesByType('navigation')[0];
  const markable = !document.getElementById('marking') || document.querySelector('[role=listbox]') !== null;
  return {interactive: entry.domContentLoadedEventEnd, markable};
}"""


@dataclass
class Figures:
    bytes: dict[str, int]  # by resource type: document, stylesheet, script
    requests: int
    foreign: int  # requests that leave the app's origin
    interactive_ms: float

    @property
    def total(self) -> int:
        return sum(self.bytes.values())


def load_once(browser: Browser, room: Classroom, page_name: str) -> tuple[Figures, bool]:
    page = room.new_page(browser.new_context, page_name)
    page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    requests = []
    page.on("request", lambda request: requests.append(request))
    page.goto(room.url(page_name))
    navigation = page.evaluate(NAVIGATION)
    sizes = dict.fromkeys(COUNTED, 0)
    for request in requests:
        if request.resource_type in sizes:
            sizes[request.resource_type] += len(request.response().body())
    origin = urlsplit(room.site.url).netloc
    foreign = sum(urlsplit(request.url).netloc != origin for request in requests)
    page.context.close()
    return Figures(sizes, len(requests), foreign, navigation["interactive"]), navigation["markable"]


def measure(browser: Browser, room: Classroom, page_name: str) -> Figures:
    loads = []
    for _ in range(RUNS):
        figures, markable = load_once(browser, room, page_name)
        if not markable:
            raise RuntimeError(f"{page_name}: the marking script had not enhanced the page by DOMContentLoaded")
        loads.append(figures)
    loads[-1].interactive_ms = statistics.median(figures.interactive_ms for figures in loads)
    return loads[-1]


def kb(count: int) -> str:
    return f"{count / 1024:.1f} KB"


def table_row(*cells) -> str:
    """The page name left-aligned, the figures right-aligned under their headings."""
    widths = (28, 9, 8, 8, 9, 9, 8, 12)
    return " ".join(f"{cell:>{width}}" if column else f"{cell:<{width}}"
                    for column, (cell, width) in enumerate(zip(cells, widths, strict=True)))


def main() -> None:
    chosen = sys.argv[1:] or [name for name in page_types() if name not in NOT_REPORTED]
    with demo_classroom() as (browser, room):
        results = {ROW_NAMES.get(name, name): measure(browser, room, name) for name in chosen}
    print(f"Per page: HTML + CSS + JS uncompressed, requests, and navigation to interactive "
          f"(median of {RUNS} cold loads, CPU slowed {CPU_SLOWDOWN}x)")
    print(table_row("page", "HTML", "CSS", "JS", "total", "requests", "foreign", "interactive"))
    for name, figures in results.items():
        size = figures.bytes
        print(table_row(name, kb(size["document"]), kb(size["stylesheet"]), kb(size["script"]), kb(figures.total),
                        figures.requests, figures.foreign, f"{figures.interactive_ms:.0f} ms"))
    if all(name in results for name in RATIO_PAGES):
        hedge, lesson = (results[name].interactive_ms for name in RATIO_PAGES)
        print(f"Goal at most {RATIO_GOAL}x the lesson page's time to interactive: {RATIO_PAGES[0]} "
              f"{hedge:.0f} ms / {RATIO_PAGES[1]} {lesson:.0f} ms = {hedge / lesson:.2f}x.")
    heaviest = max(results, key=lambda name: results[name].total)
    exercises = {name: figures for name, figures in results.items() if name.startswith("exercise ")}
    if not exercises:
        return
    slowest = max(exercises, key=lambda name: exercises[name].interactive_ms)
    print(f"Budget {kb(BUDGET_BYTES)} per page: heaviest is {heaviest} at {kb(results[heaviest].total)}; "
          f"requests leaving the origin: {sum(figures.foreign for figures in results.values())}.")
    print(f"Goal {INTERACTIVE_GOAL_MS} ms to interactive on an exercise page: slowest is {slowest} at "
          f"{exercises[slowest].interactive_ms:.0f} ms.")


if __name__ == "__main__":
    main()
