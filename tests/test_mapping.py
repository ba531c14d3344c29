"""HR and finance exports as they really come, mapped by the config (examples/hr-finance)."""

import shutil
from pathlib import Path

import pytest

from conftest import run_cli
from ledinfo.config.file import load_config
from ledinfo.errors import ConfigError
from ledinfo.extract import ExtractError
from ledinfo.interfaces.source import load_extract
from ledinfo.model.period import Period

EXAMPLE = Path(__file__).parent.parent / "examples" / "hr-finance"


@pytest.fixture
def example(tmp_path):
    folder = tmp_path / "hr-finance"
    shutil.copytree(EXAMPLE, folder)
    return folder


def load(folder, registry):
    config = load_config(folder / "ledinfo.toml")
    return load_extract(config.source, registry, config.base_dir, Period(2024, 3), config.mappings)


def test_payroll_and_finance_exports_are_mapped(example, registry):
    extract = load(example, registry)
    staff = extract["staff"].sort("staff_id")
    assert staff["staff_id"].to_list() == ["L1", "M1", "M2", "M3", "M4"]
    assert staff["team"].to_list() == ["Børn", "Børn", "Børn", "Unge", "Unge"]
    assert staff["role"].to_list() == ["teamleder", "raadgiver", "raadgiver", "raadgiver", "raadgiver"]
    assert staff["fte"].to_list() == [1.0, 1.0, 0.5, 1.0, 1.0]  # 18,5 hours a week is 0.5 FTE
    assert "navn" not in [c.lower() for c in staff.columns]  # names are dropped at load
    budget = extract["budget"]
    assert sorted(set(budget["function_code"])) == ["5.28.21", "5.28.22"]
    assert sorted(set(budget["cost_center"])) == ["4711", "4712"]
    assert budget.filter(budget["month"] == 1)["actual"].sum() == 1_260_000 + 790_000 + 2_700_000


@pytest.mark.slow
def test_a_build_from_the_exports(example):
    # without worker processes: the same packs (test_scale), about 1.5 s of CPU less
    result = run_cli("build", "--config", str(example / "ledinfo.toml"), "--period", "2024-03", "--out",
                     str(example / "out"), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert (example / "out" / "direktion.pdf").exists()


def test_an_unknown_organisation_unit_is_located(example, registry):
    export = example / "loenudtraek.csv"
    export.write_bytes(export.read_bytes().replace(b"4712 Myndighed Unge", b"4713 Ny enhed", 1))
    with pytest.raises(ExtractError) as caught:
        load(example, registry)
    problem = caught.value.problems[0]
    assert problem.kind == "unmapped_value" and problem.column == "team" and problem.row == 4  # M3, under the header
    assert "'4713 Ny enhed' is not in the mapping; add it to [mapping.staff.values.team]" in problem.message
    assert problem.origin.endswith("loenudtraek.csv")


def test_an_account_string_that_does_not_parse_is_located(example, registry):
    export = example / "oekonomi.csv"
    export.write_bytes(export.read_bytes().replace(b"5.28.22.001-4711", b"528-22", 1))
    with pytest.raises(ExtractError) as caught:
        load(example, registry)
    kinds = {(p.kind, p.column) for p in caught.value.problems}
    assert ("unmapped_value", "account") in kinds
    assert any("'528-22' does not match the pattern for function_code" in p.message for p in caught.value.problems)


def test_mapping_mistakes_in_the_config_are_named(example):
    config = example / "ledinfo.toml"
    config.write_text(config.read_text() + '\n[mapping.salaries]\nrename = { a = "b" }\n'
                      '[mapping.cases]\nextract = { team = { from = "x", pattern = "[" } }\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    assert "mapping.salaries: 'salaries' is not a table" in str(caught.value)
    assert "mapping.cases.extract.team: not a regular expression" in str(caught.value)
