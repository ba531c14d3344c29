"""The store of a build's figures (:mod:`ledinfo.pipeline.stored`): read back only under the very data key it was
written with; the committee series' figures it holds answer exactly what was computed, and nothing else."""

import os

import pytest

from ledinfo.domain.indicator import NotStored, StoredIndicators
from ledinfo.model.period import Period
from ledinfo.model.results import Figure, Unit
from ledinfo.pipeline import stored


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    """Each test's stores in a cache folder of its own (pruning counts every store in the folder)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def series() -> StoredIndicators:
    town = Figure("placements", 12, unit=Unit.COUNT, period="2026-09")
    return StoredIndicators({"placements": None}, {"placements": "children"}, {("placements", "2026-09"): (town,)})


def written(out, key: str) -> None:
    store = stored.Writer(out, key)
    assert store.path is not None
    store.finish({"computed": "figures"}, series())


def test_a_store_is_read_back_under_its_own_key_only(tmp_path):
    written(tmp_path / "out", "data-a")
    found, folder = stored.load(tmp_path / "out", "data-a")
    assert found == {"computed": "figures"} and stored.series(folder, "data-a") == series()
    assert stored.load(tmp_path / "out", "data-b") == (None, None)
    assert stored.series(folder, "data-b") is None  # the series of other data is never used


def test_stored_series_answers_only_what_was_computed():
    september, october = Period.parse("2026-09"), Period.parse("2026-10")
    assert series().figures_of("placements", [september]) == {september: [series().figures[("placements", "2026-09")][0]]}
    with pytest.raises(NotStored, match="2026-10"):
        series().figures_of("placements", [september, october])
    with pytest.raises(NotStored):
        series().figures_of("preventive", [september])


def test_an_installed_plugins_version_is_part_of_the_data_key():
    """An upgraded plugin may compute otherwise: its distribution's version is in the key the figures are stored
    under (the built-ins' is ledinfo's own, in the key already)."""
    from importlib.metadata import version
    from types import SimpleNamespace

    from ledinfo.pipeline.reuse import plugin_versions

    registry = SimpleNamespace(entries={"section": {"aftercare": SimpleNamespace(plugin="eftervaern"),
                                                    "caseload": SimpleNamespace(plugin="builtin:caseload")}})
    assert plugin_versions(registry) == ["builtin:caseload",
                                         f"eftervaern (ledinfo-eftervaern {version('ledinfo-eftervaern')})"]


def test_a_killed_builds_half_written_store_is_removed_by_the_next_build(tmp_path):
    import subprocess

    ended = subprocess.Popen(["true"])
    ended.wait()
    final = stored.path_of(tmp_path / "out")
    final.parent.mkdir(parents=True, exist_ok=True)
    abandoned = final.with_name(f"{final.name}.{ended.pid}.tmp")
    (abandoned / "figures.pickle").parent.mkdir()
    (abandoned / "figures.pickle").write_bytes(b"half")
    running = final.with_name(f"{final.name}.{os.getppid()}.tmp")  # a build still writing its own
    running.mkdir()
    written(tmp_path / "out", "data-a")
    assert not abandoned.exists() and running.is_dir() and final.is_dir()
    running.rmdir()


def test_only_the_last_output_folders_stores_are_kept(tmp_path):
    for number in range(stored.KEEP + 2):
        written(tmp_path / f"out-{number}", "data-a")
        os.utime(stored.path_of(tmp_path / f"out-{number}"), (1_000_000 + number, 1_000_000 + number))
    written(tmp_path / "out-last", "data-a")
    kept = [number for number in range(stored.KEEP + 2) if stored.path_of(tmp_path / f"out-{number}").exists()]
    assert kept == list(range(3, stored.KEEP + 2))  # the newest KEEP - 1, and the one just written
    assert stored.load(tmp_path / "out-last", "data-a")[0] == {"computed": "figures"}
