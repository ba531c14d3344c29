"""An unchanged rerun reuses the last build; any change to what the packs depend on builds again."""

import json
import time

import pytest

from conftest import run_cli

pytestmark = pytest.mark.slow  # five command-line builds


def build(small_dir, out, *extra):
    started = time.perf_counter()
    result = run_cli("build", "--data", str(small_dir), "--period", "2024-03", "--out", str(out), "--jobs", "1",
                     *extra)
    assert result.returncode == 0, result.stderr
    return result, time.perf_counter() - started


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
