"""What a build reports: each pack's files or why it failed, and the build as a whole.

A module of its own, importing no heavy library, so that the unchanged rerun
(:func:`ledinfo.pipeline.reuse.unchanged`), decided before any plugin loads, reports a reused build
with the very types a build reports with.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ledinfo.runtime.timing import Timings

if TYPE_CHECKING:
    from ledinfo.model.period import Period
    from ledinfo.texts.content import PackJob


@dataclass
class PackOutcome:
    job: PackJob  # reused before the plugins load: a record of the pack's id, audience and team (pipeline.reuse)
    files: list[Path] = field(default_factory=list)
    error: str | None = None
    draft: bool = False  # an agenda item (the committee's pack) built without the administration's comment
    prompts: list[str] = field(default_factory=list)  # what a politician will ask about: the comment's questions
    key: str | None = None  # what the pack was made from (ledinfo.pipeline.reuse.pack_key), in the manifest
    kept: bool = False  # its inputs unchanged: the last build's files, not written again

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class BuildReport:
    period: Period
    out_dir: Path
    outcomes: list[PackOutcome]
    manifest: Path
    extract_description: str = ""
    timings: Timings = field(default_factory=Timings)
    reused: bool = False  # the output folder already held this very build (ledinfo.pipeline.reuse)

    @property
    def failed(self) -> list[PackOutcome]:
        return [o for o in self.outcomes if not o.ok]

    def moved_to(self, out_dir: Path) -> BuildReport:
        """The same report for the files' place after the staging folder was published as ``out_dir``."""
        outcomes = [replace(o, files=[out_dir / p.name for p in o.files]) for o in self.outcomes]
        return replace(self, out_dir=out_dir, outcomes=outcomes, manifest=out_dir / self.manifest.name)
