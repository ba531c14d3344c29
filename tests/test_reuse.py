"""An unchanged rerun reuses the last build; any change to what the packs depend on builds again."""

import json
import time

import pytest

from conftest import run_cli

pytestmark = pytest.mark.slow  # five command-line builds


def build(small_dir, out, *extra, env=None):
    started = time.perf_counter()
    result = build_with(["--data", str(small_dir)], out, *extra, env=env)
    return result, time.perf_counter() - started


def build_with(source: list[str], out, *extra, env=None):
    result = run_cli("build", *source, "--period", "2024-03", "--out", str(out), "--jobs", "1", *extra, env=env)
    assert result.returncode == 0, result.stderr
    return result


def test_a_rerun_with_unchanged_inputs_reuses_the_build_and_a_change_builds_again(tmp_path, small_dir):
    out = tmp_path / "out"
    first, _ = build(small_dir, out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["build_key"] and "unchanged since the last build" not in first.stdout
    pdf = out / "udvalg.pdf"
    written = pdf.stat().st_mtime_ns
    again, _ = build(small_dir, out)
    assert "unchanged since the last build of 2024-03" in again.stdout
    assert pdf.stat().st_mtime_ns == written  # not written again
    # a changed input file: built again
    cases = small_dir / "cases.csv"
    cases.write_text(cases.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    changed, _ = build(small_dir, out)
    assert "unchanged since" not in changed.stdout
    # a pack file changed or removed since: built again, not reused
    (out / "direktion.pdf").write_bytes(b"%PDF-1.4 tampered")
    tampered, _ = build(small_dir, out)
    assert "unchanged since" not in tampered.stdout
    # another language: built again
    english, _ = build(small_dir, out, "--lang", "en")
    assert "unchanged since" not in english.stdout


HEAVY = ("polars", "reportlab", "altair", "vl_convert", "numpy")


def imported(result) -> set[str]:
    """The top-level packages a run imported, from Python's own import log (PYTHONPROFILEIMPORTTIME)."""
    names = [line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")]
    return {name.split(".")[0] for name in names}


def test_an_unchanged_rerun_imports_no_heavy_library_and_a_changed_folder_takes_the_normal_path(tmp_path, small_dir):
    out = tmp_path / "out"
    build(small_dir, out)
    profile = {"PYTHONPROFILEIMPORTTIME": "1"}
    again, _ = build(small_dir, out, env=profile)
    assert "unchanged since the last build of 2024-03" in again.stdout
    assert imported(again) & {"ledinfo", "click"} == {"ledinfo", "click"}  # the log is read right
    assert not imported(again) & set(HEAVY), sorted(imported(again) & set(HEAVY))
    # a file added to the folder (no table): this check cannot tell, so the plugins decide, and reuse
    (small_dir / "notes.txt").write_text("not a table\n", encoding="utf-8")
    added, _ = build(small_dir, out, env=profile)
    assert "unchanged since the last build of 2024-03" in added.stdout
    assert "polars" in imported(added)


def test_a_changed_comment_builds_again(tmp_path, small_dir):
    """A comment is printed in its pack, so it is part of what a build depends on."""
    config = tmp_path / "ledinfo.toml"
    config.write_text(f'[municipality]\nname = "Testby Kommune"\n\n[source]\ntype = "folder"\npath = "{small_dir}"\n\n'
                      '[comments]\nfolder = "comments"\n', encoding="utf-8")
    comment = tmp_path / "comments" / "2024-03" / "udvalg.md"
    comment.parent.mkdir(parents=True)
    comment.write_text("Udvalget bedes tage orienteringen til efterretning.\n", encoding="utf-8")
    out = tmp_path / "out"
    source = ["--config", str(config)]
    build_with(source, out)
    assert "unchanged since" in build_with(source, out).stdout
    comment.write_text("Udvalget bedes drøfte sagstallet.\n", encoding="utf-8")
    assert "unchanged since" not in build_with(source, out).stdout


def test_a_source_without_a_cheap_fingerprint_is_fingerprinted_by_loading(tmp_path, small_dir):
    """Such a source is read on every build; its build is reused when what it read is unchanged (docs/plugins.md)."""
    from pathlib import Path

    from ledinfo.api import Settings, Source, read_folder
    from ledinfo.api.testing import load_test_plugins
    from ledinfo.model.config import Config, Municipality, PackSpec
    from ledinfo.model.period import Period
    from ledinfo.pipeline.build import build
    from ledinfo.pipeline.plan import plan

    class ReadOnlyOptions(Settings):
        path: str

    class ReadOnly(Source):
        name, description, Options = "read_only", "A folder, with no cheap fingerprint.", ReadOnlyOptions
        reads = 0

        def read(self, options, context):
            ReadOnly.reads += 1
            return read_folder(Path(options.path), "the test's folder")

    registry = load_test_plugins().registry
    registry.register_callback("source", "test")(ReadOnly())
    config = Config(base_dir=tmp_path, source={"type": "read_only", "path": str(small_dir)},
                    municipality=Municipality("Testby Kommune"),
                    packs=(PackSpec("udvalg", "committee", ("six_week_followup",)),))
    out = tmp_path / "out"
    first = build(plan(config, registry), Period(2024, 3), out, workers=1)
    written = (out / "udvalg.pdf").stat().st_mtime_ns
    again = build(plan(config, registry), Period(2024, 3), out, workers=1)
    assert not first.reused and again.reused and ReadOnly.reads == 2  # read both times, built once
    assert (out / "udvalg.pdf").stat().st_mtime_ns == written
    assert "rerun" not in json.loads((out / "manifest.json").read_text(encoding="utf-8"))  # nothing to tell it early
    cases = small_dir / "cases.csv"
    cases.write_text(cases.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert not build(plan(config, registry), Period(2024, 3), out, workers=1).reused


def test_a_checkouts_changed_source_is_another_version_for_the_reuse_key(tmp_path):
    """`make demo` after the code changed reused the demo built before it ("unchanged since the last build"): an
    editable install keeps its version while its code changes. There the key holds the source files' state."""
    import os

    from ledinfo import __version__
    from ledinfo.runtime.code import code_version, source_state

    package = tmp_path / "ledinfo"
    (package / "render").mkdir(parents=True)
    (package / "render" / "charts.py").write_text("x = 1\n", encoding="utf-8")
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "charts.cpython-311.pyc").write_bytes(b"\0")
    before = source_state(package)
    (package / "__pycache__" / "charts.cpython-311.pyc").write_bytes(b"\1\1")  # compiled again: the same code
    (package / "__pycache__" / "charts.cpython-311.pyc.140234").write_bytes(b"")  # another process compiling
    assert source_state(package) == before
    stat = (package / "render" / "charts.py").stat()
    os.utime(package / "render" / "charts.py", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert source_state(package) != before
    # the tests run from a checkout installed editable (scripts/setup): the version carries the source's state
    assert code_version().startswith(__version__ + "+")
