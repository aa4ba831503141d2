"""The feedback page of a check with every unit marked: server time and size.

For the hedge exercise (every word marked) and each sentence exercise (every sentence marked),
posts the check through the Flask test client, in process, and then requests the feedback page
several times after a warm-up. Prints the median server time of the check's POST and of the
feedback page's GET, the page's size, and how many entries its "Not on the key" list has (one per
explanation: grouped, not one line per false alarm), beside the goals of issue #11.

Usage: python bench/feedback.py [--runs 9]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from webapp import create_app  # noqa: E402
from webapp.store.schema import init_db  # noqa: E402
from webapp.web.catalog import get_catalog  # noqa: E402

EXERCISES = ("cz-pardon-hedge", "cz-pardon-unsourced", "cz-pardon-filler")
GOAL_SECONDS = 0.3
GOAL_BYTES = 100 * 1024
FALSE_ALARM_ENTRIES = re.compile(r'<section class="fb-group fb-false_alarms".*?</section>', re.S)


def make_app(database: Path):
    init_db(str(database))
    return create_app({"TESTING": True, "DATABASE": str(database), "SECRET_KEY": "bench-secret",  # nosec B105
                       "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})


def every_unit(app, exercise_id: str) -> list[list[int]]:
    with app.app_context():
        exercise = get_catalog().exercises[exercise_id]
        return [[unit.start, unit.end] for unit in exercise.article.units(exercise.unit)]


def false_alarm_entries(page: str) -> int:
    section = FALSE_ALARM_ENTRIES.search(page)
    return section.group(0).count("<li>") if section else 0


def timed(call) -> tuple[float, object]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def measure(app, exercise_id: str, runs: int) -> dict:
    client = app.test_client()
    spans = json.dumps(every_unit(app, exercise_id))
    posts, location = [], None
    for run in range(runs + 1):  # the first is the warm-up
        seconds, response = timed(lambda run=run: client.post(
            f"/exercises/{exercise_id}/check", data={"spans": spans, "submission_id": f"bench-{exercise_id}-{run}"}))
        if response.status_code != 302:
            raise RuntimeError(f"{exercise_id}: the check answered {response.status_code}")
        location = response.headers["Location"]
        if run:
            posts.append(seconds)
    gets, page = [], b""
    for run in range(runs + 1):
        seconds, response = timed(lambda: client.get(location))
        if response.status_code != 200:
            raise RuntimeError(f"{exercise_id}: the feedback page answered {response.status_code}")
        page = response.data
        if run:
            gets.append(seconds)
    text = page.decode()
    return {"units": len(json.loads(spans)), "post": statistics.median(posts), "get": statistics.median(gets),
            "bytes": len(page), "entries": false_alarm_entries(text),
            "false_alarms": int(m.group(1)) if (m := re.search(r"Not on the key \((\d+)\)", text)) else 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(Path(folder) / "spotcheck.sqlite")
        results = {exercise_id: measure(app, exercise_id, args.runs) for exercise_id in EXERCISES}
    print(f"Feedback page with every unit marked (in-process Flask test client, median of {args.runs} "
          f"after a warm-up); goals: under {GOAL_SECONDS} s of server time and under {GOAL_BYTES // 1024} KB")
    print(f"{'exercise':<22} {'marked':>7} {'check POST':>11} {'feedback GET':>13} {'size':>10} "
          f"{'false alarms':>13} {'listed as':>10}")
    for exercise_id, r in results.items():
        verdict = "ok" if r["post"] < GOAL_SECONDS and r["get"] < GOAL_SECONDS and r["bytes"] < GOAL_BYTES else "OVER"
        print(f"{exercise_id:<22} {r['units']:>7} {r['post']:>9.3f} s {r['get']:>11.3f} s "
              f"{r['bytes'] / 1024:>7.1f} KB {r['false_alarms']:>13} {r['entries']:>10}  {verdict}")


if __name__ == "__main__":
    main()
