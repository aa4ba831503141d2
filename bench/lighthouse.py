"""Optional: Lighthouse (mobile defaults) on student pages as Ana, the case study's student, sees
them (issue #11: every student page 100 for accessibility and best practices, at least 95 for
performance). Prints each page's three scores and any color-contrast failures. Not part of
`make test` or `make bench`.

Needs Lighthouse 12 from npm, e.g. `npm install --prefix /tmp/lighthouse lighthouse@12`, then
    LIGHTHOUSE=/tmp/lighthouse/node_modules/.bin/lighthouse python bench/lighthouse.py [PAGE NAME ...]
(default: every page a student sees; names as in tests/servers.py, e.g. "exercise cz-pardon-hedge").
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
from servers import page_types

FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"


def main() -> int:
    lighthouse = os.environ.get("LIGHTHOUSE", "lighthouse")
    types = page_types()
    pages = sys.argv[1:] or [name for name, (who, _) in types.items() if who in ("anyone", "student")]
    unknown = [name for name in pages if name not in types]
    if unknown:
        print(f"unknown page {unknown[0]!r}; pages: {', '.join(types)}", file=sys.stderr)
        return 2
    print(f"{'page':<32}{'accessibility':>14}{'best practices':>16}{'performance':>13}")
    with demo_classroom() as (_, room), tempfile.TemporaryDirectory() as folder:
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in room.sessions["student"]["cookies"])
        for name in pages:
            report = Path(folder) / "report.json"
            headers = {"Cookie": cookie} if types[name][0] == "student" else {}
            # A fixed program (from the environment) on our own loopback URL (bandit B603 reviewed).
            subprocess.run([lighthouse, room.url(name), "--quiet", "--output=json", f"--output-path={report}",  # noqa: S603  # nosec B603
                            f"--chrome-flags={FLAGS}", f"--extra-headers={json.dumps(headers)}"],
                           check=True, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"})
            result = json.loads(report.read_text())
            scores = [result["categories"][category]["score"]
                      for category in ("accessibility", "best-practices", "performance")]
            print(f"{name:<32}" + "".join(f"{'—' if score is None else round(score * 100):>{width}}"
                                          for score, width in zip(scores, (14, 16, 13), strict=True)))
            for item in (result["audits"]["color-contrast"].get("details") or {}).get("items", []):
                print("  color-contrast:", item["node"]["selector"], item["node"].get("explanation", ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
