"""Render Spotcheck's main pages to PNG files (default: docs/screenshots/) for the README, from a
class in full swing (tests/servers.py's classroom): the lesson, an exercise with the student's marks,
their feedback, the join page, the instructor's dashboard and the heat map.

Usage: python bench/screenshots.py [OUTPUT_DIR]. Needs Debian's chromium at /usr/bin/chromium.
"""

from __future__ import annotations

import sys
from pathlib import Path

from classroom_demo import demo_classroom
from servers import MARKED_EXERCISE

ROOT = Path(__file__).resolve().parent.parent
VIEWPORT = {"width": 1100, "height": 820}
# File name -> (page name in the classroom, selector of what to bring near the top, or None for the top).
SHOTS = {
    "lesson": ("lesson cz-pardon", None),
    "exercise": (f"exercise {MARKED_EXERCISE}", "[role=option][aria-selected=true]"),
    "feedback": ("feedback", ".article mark"),
    "join": ("join", None),
    "dashboard": ("class", None),
    "heatmap": ("heat map", ".heatmap .article .k"),
}
# How far below the top of the window the selected element lands, so a little context shows above it.
LEAD_PX = 120


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with demo_classroom() as (browser, room):
        for file_name, (page_name, near_top) in SHOTS.items():
            page = room.new_page(browser.new_context, page_name, viewport=VIEWPORT)
            page.goto(room.url(page_name))
            if near_top:
                page.locator(near_top).first.evaluate(
                    "(e, lead) => window.scrollBy(0, e.getBoundingClientRect().top - lead)", LEAD_PX)
                # Paragraphs that were off screen (content-visibility: auto) render in the next frames.
                page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
            page.screenshot(path=out / f"{file_name}.png")
            page.context.close()
    for png in sorted(out.glob("*.png")):
        print(f"{png.relative_to(ROOT) if png.is_relative_to(ROOT) else png}: {png.stat().st_size} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs/screenshots")
