"""What a build lets go of, and when (issue 27, goal 5: a 200 MB extract's build under 1 GiB): the sections' context
once the committee's pack is disclosed."""


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
