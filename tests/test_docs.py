"""The README stays honest: every CLI command and environment variable is documented."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_cli_command_is_documented(app):
    own = {name for name, command in app.cli.commands.items()
           if command.callback and command.callback.__module__.startswith("webapp")}
    assert own, "the app registers its commands on app.cli"
    missing = [name for name in own if f"flask --app webapp {name}" not in README]
    assert not missing, f"undocumented commands: {missing}"


def test_every_environment_variable_is_documented():
    used = set()
    for path in (ROOT / "webapp").rglob("*.py"):
        used |= set(re.findall(r"SPOTCHECK_[A-Z_]+", path.read_text(encoding="utf-8")))
    assert used
    missing = sorted(name for name in used if f"`{name}`" not in README)
    assert not missing, f"undocumented environment variables: {missing}"


def test_readme_names_the_two_commands_and_shows_a_screenshot():
    assert "make run" in README and "make test" in README
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README):
        assert (ROOT / image).exists(), image
