"""Optional: Lighthouse (mobile defaults) on the hedge exercise page as Ana, the case study's student,
sees it. Prints the accessibility, best-practices and performance scores and any color-contrast
failures. Not part of `make test` or `make bench`.

Needs Lighthouse 12 from npm, e.g. `npm install --prefix /tmp/lighthouse lighthouse@12`, then
    LIGHTHOUSE=/tmp/lighthouse/node_modules/.bin/lighthouse python bench/lighthouse.py
Chromium is Debian's, at /usr/bin/chromium (CHROME_PATH).
"""

from __future__ import annotations

import json
import os
import subprocess  # nosec B404
import sys
import tempfile
from pathlib import Path

from classroom_demo import demo_classroom

PAGE = "exercise cz-pardon-hedge"
FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"


def main() -> None:
    lighthouse = os.environ.get("LIGHTHOUSE", "lighthouse")
    with demo_classroom() as (_, room), tempfile.TemporaryDirectory() as folder:
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in room.sessions["student"]["cookies"])
        report = Path(folder) / "report.json"
        # A fixed program (from the environment) on our own loopback URL (bandit B603 reviewed).
        subprocess.run([lighthouse, room.url(PAGE), "--quiet", "--output=json", f"--output-path={report}",  # noqa: S603  # nosec B603
                        f"--chrome-flags={FLAGS}", f"--extra-headers={json.dumps({'Cookie': cookie})}"],
                       check=True, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"})
        result = json.loads(report.read_text())
    for category in ("accessibility", "best-practices", "performance"):
        score = result["categories"][category]["score"]
        print(f"{category:<15} {'—' if score is None else round(score * 100)}")
    for item in (result["audits"]["color-contrast"].get("details") or {}).get("items", []):
        print("color-contrast:", item["node"]["selector"], item["node"].get("explanation", ""))


if __name__ == "__main__":
    sys.exit(main())
