"""The README stays honest: every CLI command and option, environment variable and /api route is
documented, from the code's own lists."""

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


def command_lines(name: str) -> str:
    """The README's table row for a command."""
    prefix = f"| `.venv/bin/flask --app webapp {name}"
    return "\n".join(line for line in README.splitlines() if line.startswith(prefix))


def test_every_cli_option_is_documented_with_its_command(app):
    missing = []
    for name, command in app.cli.commands.items():
        if not (command.callback and command.callback.__module__.startswith("webapp")):
            continue
        row = command_lines(name)
        for parameter in command.params:
            if parameter.param_type_name == "option" and not any(opt in row for opt in parameter.opts):
                missing.append(f"{name} {parameter.opts[-1]}")
    assert not missing, f"options missing from the README's commands table: {missing}"


def test_every_api_route_is_documented(app):
    routes = {(method, rule.rule) for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes
    documented = README.replace("<id>", "<exercise_id>")
    missing = sorted(f"{method} {path}" for method, path in routes if f"{method} {path}" not in documented)
    assert not missing, f"undocumented /api routes: {missing}"


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
