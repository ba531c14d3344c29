"""The documentation stays in step with the code."""

from pathlib import Path

from ledinfo.extract.schema import SCHEMA

ROOT = Path(__file__).parent.parent


def test_extract_format_documents_every_table_and_column():
    text = (ROOT / "docs" / "extract-format.md").read_text()
    for table in SCHEMA.values():
        assert f"### {table.name}" in text, table.name
        for column in table.columns:
            assert f"`{column.name}`" in text, f"{table.name}.{column.name}"
            for category in column.categories:
                assert f"`{category}`" in text, category


def test_readme_names_the_two_commands_and_ci_runs_the_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_readme_activates_the_environment_before_its_first_bare_ledinfo_command():
    """`make demo` installs into .venv; a bare `ledinfo` before activating it is `command not found`."""
    readme = (ROOT / "README.md").read_text()
    blocks = readme.split("```sh")[1:]
    lines = [line.strip() for block in blocks for line in block.split("```")[0].splitlines()]
    first = next(i for i, line in enumerate(lines) if line.startswith("ledinfo "))
    assert any(line.startswith(". .venv/bin/activate") for line in lines[:first]), lines[:first]


def test_the_crontab_and_the_service_get_the_smtp_password_where_the_example_config_says():
    import re
    import tomllib

    email = tomllib.loads((ROOT / "examples" / "ledinfo.toml").read_text())["delivery"]["email"]
    for name in ("crontab", "ledinfo-run.service"):
        text = (ROOT / "examples" / name).read_text()
        if "password_env" in email:  # the variable must be set where the run starts
            assert re.search(rf"^(Environment=)?{email['password_env']}=", text, re.M), name
        else:
            assert f'password_file = "{email["password_file"]}"' in text, name
