"""Both processes busy from the first moment (issue 27): a pool started before the build knew it would need one,
the packs' charts drawn from their disclosure on, the slow committee pack disclosed after two quick ones, and a modest
whole-municipality pack rendered by the parent while the worker draws."""

import gc

import pytest

from ledinfo.runtime.workers import WorkerPool, no_pool, pool_for, pool_of, started_early


def _processes(pool: WorkerPool) -> list:
    return list(pool._executor._processes.values())


def _ended(processes) -> bool:
    for process in processes:
        process.join(timeout=30)
    return all(process.exitcode is not None for process in processes)


def test_a_pool_started_early_is_the_one_the_build_asks_for():
    with started_early(2) as early:
        assert pool_for(2) is early  # the default warm-up (none) and the size the build asks for
    processes = _processes(early)
    assert all(process.is_alive() for process in processes), "the block ended the pool the build took"
    early.close()


def test_a_warm_up_given_by_name_is_the_same_as_the_function():
    with started_early(2, warm_up="gc:collect") as early:
        assert pool_of(2, warm_up=gc.collect) is early
    early.close()


@pytest.mark.parametrize("asked", ["another size", "single-threaded", "another warm-up", "none", "nobody"])
def test_a_pool_started_early_that_no_build_takes_is_ended(asked):
    taken = None
    with started_early(2) as early:
        processes = _processes(early)
        if asked == "another size":
            taken = pool_for(3)
        elif asked == "single-threaded":
            taken = pool_of(2, single_threaded=True)
        elif asked == "another warm-up":
            taken = pool_of(2, warm_up="gc:collect")
        elif asked == "none":
            assert pool_for(1) is None and no_pool() is None
        if asked != "nobody":  # ended at once, not at the end of the block
            assert _ended(processes), f"{asked}: the early pool's workers are still running"
    assert _ended(processes)
    if taken is not None:
        assert taken is not early
        taken.close()


def test_the_committee_pack_is_disclosed_after_two_quick_ones():
    from ledinfo.config.file import folder_config
    from ledinfo.pipeline.build import disclosure_order
    from ledinfo.texts.content import plan_jobs

    jobs = plan_jobs(folder_config("unused"), ["A", "B"])
    ids = [job.pack_id for job in jobs]
    assert ids[:2] == ["udvalg", "direktion"]  # the jobs' order, which the files and the echo keep
    assert [job.pack_id for job in disclosure_order(jobs)] == ["direktion", ids[2], "udvalg", *ids[3:]]
    committee_only = [job for job in jobs if job.pack_id == "udvalg"]
    assert disclosure_order(committee_only) == committee_only
    without = [job for job in jobs if job.pack_id != "udvalg"]
    assert disclosure_order(without) == without


@pytest.fixture(scope="module")
def contents(tmp_path_factory):
    """The small extract's packs, disclosed and written (no chart drawn)."""
    from ledinfo.api.small_extract import write_small_extract
    from ledinfo.api.testing import load_test_plugins
    from ledinfo.config.file import folder_config
    from ledinfo.model.period import Period
    from ledinfo.pipeline.build import compute, language_for, load, prepare
    from ledinfo.pipeline.plan import plan
    from ledinfo.texts.content import plan_jobs

    folder = tmp_path_factory.mktemp("small") / "extract"
    write_small_extract(folder)
    registry = load_test_plugins().registry
    planned, period = plan(folder_config(folder), registry), Period(2024, 3)
    extract = load(planned, period)
    computed = compute(planned, extract, period)
    language = language_for("da", registry)
    return {job.pack_id: prepare(planned, computed, job, language, period)
            for job in plan_jobs(planned.config, extract.teams())}


def test_charts_asked_for_at_disclosure_are_not_drawn_again_with_the_texts(contents):
    from ledinfo.render.parallel import Renderer
    from ledinfo.runtime.timing import Timings

    content = contents["direktion"]
    alone = Renderer(None, Timings())
    alone.add("direktion", content)
    early = Renderer(None, Timings())
    early.draw("direktion", content.sections, content.view.language)
    drawn = early.timings.counts["charts"]
    early.add("direktion", content)
    assert drawn and early.timings.counts == alone.timings.counts  # each chart drawn and counted once
    assert early.keys_of == alone.keys_of
    [(pack_id, _, rendered, error)] = list(early.rendered())
    assert (pack_id, error) == ("direktion", None) and rendered[0].startswith(b"%PDF")


def test_the_parent_renders_a_modest_whole_municipality_pack_but_not_a_large_one(contents, monkeypatch):
    from ledinfo.render import parallel

    director, team = contents["direktion"], next(c for c in contents.values() if c.job.team is not None)
    assert parallel.Renderer._renders_here(director) and parallel.Renderer._renders_here(team)
    size = sum(len(s.figures) + sum(t.frame.height for t in s.tables) for s in director.sections)
    monkeypatch.setattr(parallel, "RENDERED_HERE_AT_MOST", size - 1)
    assert not parallel.Renderer._renders_here(director)
    assert parallel.Renderer._renders_here(team)  # a team's pack, whatever its size


def test_no_worker_starts_early_for_a_build_into_a_folder_holding_a_last_build(tmp_path):
    """Such a build may write a changed pack or two from the stored figures, without a worker (the secretary's
    loop): a worker started early would only be ended again."""
    from ledinfo.cli.commands import _workers_started_early
    from ledinfo.config.file import folder_config

    config, out = folder_config(tmp_path / "extract"), tmp_path / "out"
    with _workers_started_early(config, 2, out, "2024-03") as pool:
        assert pool is not None and pool.size == 2
    out.mkdir()
    (out / "manifest.json").write_text("{}", encoding="utf-8")
    with _workers_started_early(config, 2, out, "2024-03") as pool:
        assert pool is None
    with _workers_started_early(None, 2, tmp_path / "elsewhere", "2024-03") as pool:  # a config not read so
        assert pool is None


def test_in_the_last_packs_a_busy_worker_takes_one_more_only_while_one_is_left_for_the_parent():
    """Once every chart is drawn, a worker whose task would end before the parent's pack was left idle while the
    packs left were rendered by the parent one by one; with one pack left, the parent renders it rather than wait
    for a busy worker (issue 27)."""
    from ledinfo.render.parallel import worker_takes

    assert worker_takes(tasks=0, workers=1, ready=1, more_coming=False)  # an idle worker takes the last pack
    assert worker_takes(tasks=1, workers=1, ready=2, more_coming=False)  # one queued, one left for the parent
    assert not worker_takes(tasks=1, workers=1, ready=1, more_coming=False)  # the last one: the parent's
    assert not worker_takes(tasks=2, workers=1, ready=3, more_coming=False)  # never more than one queued
    assert worker_takes(tasks=1, workers=1, ready=1, more_coming=True)  # charts still drawn: one ahead, as before
    assert not worker_takes(tasks=2, workers=1, ready=1, more_coming=True)
    assert worker_takes(tasks=3, workers=2, ready=2, more_coming=False)


def test_a_folder_extracts_workers_start_before_its_config_is_made(tmp_path):
    """``--data`` builds the default packs, one per team: its pool's size is known before the config is made and the
    last build looked for, so the worker starts before them (as after them: not into a folder holding a last build;
    a config file's build starts its pool once the file is read)."""
    from ledinfo.cli.commands import _folder_workers_started_early

    out = tmp_path / "out"
    with _folder_workers_started_early(None, str(tmp_path / "extract"), 2, out, "2024-03") as pool:
        assert pool is not None and pool.size == 2
    for config, data, folder, period in [("ledinfo.toml", None, out, "2024-03"),  # a config file's build
                                         (None, str(tmp_path), None, "2024-13")]:  # a period refused later
        with _folder_workers_started_early(config, data, 2, folder, period) as pool:
            assert pool is None
    out.mkdir()
    (out / "manifest.json").write_text("{}", encoding="utf-8")
    with _folder_workers_started_early(None, str(tmp_path / "extract"), 2, out, "2024-03") as pool:
        assert pool is None
