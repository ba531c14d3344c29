"""What a build lets go of, and when (issue 27, goal 5: a 200 MB extract's build under 1 GiB): the sections' context
once the committee's pack is disclosed."""

import sys

import pytest

from conftest import run_cli


@pytest.mark.slow  # a whole command-line build of the small extract
def test_the_sections_context_is_let_go_once_the_committees_pack_is_disclosed(tmp_path, small_dir, monkeypatch):
    """Its timeline holds the extract's tables (a 200 MB extract's ~380 MiB), and only the committee's series reads
    it: the committee's pack is disclosed with it, every pack after it without."""
    import ledinfo.pipeline.build as pipeline

    with_context: dict[str, bool] = {}  # pack -> whether the context was there as its texts were written
    texts = pipeline.Pipeline.texts

    def recording(self, computed, disclosed, language, *rest):
        with_context[disclosed.job.pack_id] = computed.context is not None
        return texts(self, computed, disclosed, language, *rest)

    monkeypatch.setattr(pipeline.Pipeline, "texts", recording)
    result = run_cli("build", "--data", str(small_dir), "--period", "2024-03", "--out", str(tmp_path / "out"),
                     "--jobs", "1")
    assert result.returncode == 0, result.stdout + result.stderr
    # the committee's pack is disclosed after two quick ones (pipeline.disclosure_order), which have the context too
    assert list(with_context)[0] == "direktion" and list(with_context)[2] == "udvalg" and len(with_context) > 3
    assert with_context.pop("udvalg")
    after = list(with_context)[2:]
    assert not any(with_context[pack] for pack in after), with_context


def _fresh_interpreter(code: str, **env: str):
    """``code`` run by a new Python (Polars not yet imported), with only ``env`` of the two settings set."""
    import os
    import subprocess

    clean = {k: v for k, v in os.environ.items() if k not in ("POLARS_MAX_THREADS", "_RJEM_MALLOC_CONF")}
    return subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True,
                          timeout=60)


def test_polars_allocator_gives_memory_back_on_one_thread():
    """Polars' jemalloc kept 8 arenas and freed pages counted as resident for 1.5 s: a 200 MB extract's main
    process peaked ~35 MiB higher. The commands set one arena and pages given back after 0.1 s (read by Polars'
    allocator as it starts: its statistics at exit print the options it took), not where the user chose."""
    shown = ("from ledinfo.runtime.workers import one_polars_thread; one_polars_thread(); import os; "
             "print(os.environ.get('_RJEM_MALLOC_CONF'))")
    started = ("from ledinfo.runtime.workers import one_polars_thread; one_polars_thread(); import os; "
               "os.environ['_RJEM_MALLOC_CONF'] += ',stats_print:true'; import polars; polars.Series([1]).sum()")
    taken = _fresh_interpreter(started)
    assert taken.returncode == 0, taken.stderr[-2000:]
    for option in ("opt.narenas: 1", "opt.dirty_decay_ms: 100", "opt.muzzy_decay_ms: 0"):
        assert option in taken.stderr, option
    assert _fresh_interpreter(shown, POLARS_MAX_THREADS="4").stdout.strip() == "None"  # many threads: one arena each
    assert _fresh_interpreter(shown, _RJEM_MALLOC_CONF="narenas:2").stdout.strip() == "narenas:2"  # the user's
