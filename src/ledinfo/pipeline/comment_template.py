"""``ledinfo comments``: a ready comment file for a committee pack, with the questions a politician will ask.

The file goes where the build reads it (:mod:`ledinfo.texts.comments`): ``<comments folder>/<period>/<pack>.md``.
It holds the agenda item's three headings; under the first, as lines starting with ``??`` (never printed), the
changes of the period the pack's summary leads with — the build's own prompts, so the file and the build's
list agree — and under the last the usual proposal for a briefing, to keep or change. A file already there is
never overwritten.
"""

from __future__ import annotations

from pathlib import Path

from ledinfo.errors import ConfigError
from ledinfo.model.audiences import audience
from ledinfo.outside.files import FileRefused, write_new_confined
from ledinfo.pipeline.plan import Plan
from ledinfo.texts.comments import PROMPT, SUFFIXES
from ledinfo.texts.content import PackContent, PackJob, plan_jobs


def comment_jobs(plan: Plan, teams: list[str], pack_ids: tuple[str, ...]) -> list[PackJob]:
    """The packs to write a comment file for: the named ones, else every agenda item (the committee's packs)."""
    jobs = plan_jobs(plan.config, teams)
    if not pack_ids:
        chosen = [job for job in jobs if audience(job.audience).agenda_item]
        if not chosen:
            raise ConfigError("the config has no committee pack: ledinfo comments writes the committee's agenda item")
        return chosen
    known = {job.pack_id: job for job in jobs}
    unknown = [pack for pack in pack_ids if pack not in known]
    if unknown:
        raise ConfigError(f"--pack {', '.join(unknown)}: no such pack (the packs: {', '.join(known)})")
    wrong = [pack for pack in pack_ids if not audience(known[pack].audience).agenda_item]
    if wrong:
        raise ConfigError(f"--pack {', '.join(wrong)}: not a committee pack; ledinfo comments writes the committee's "
                          "agenda item (write another pack's comment as a plain Markdown file)")
    return [known[pack] for pack in pack_ids]


def comment_path(folder: Path, period: str, pack_id: str) -> tuple[str, ...]:
    """The parts of a pack's comment file beneath the comments folder; refused when a comment is there already."""
    for suffix in SUFFIXES:
        there = folder / period / f"{pack_id}{suffix}"
        if there.exists() or there.is_symlink():
            raise FileRefused(f"{folder.name}/{period}/{pack_id}{suffix}", "is there already; it is never "
                              "overwritten: edit it, or remove it to write a new one")
    return (period, f"{pack_id}.md")


def comment_text(content: PackContent) -> str:
    """The comment file for ``content``: the agenda item's headings, the questions under them, the usual proposal."""
    t = content.view.language
    ask = t("Write what the committee needs to know about {period}: what happened, and why the figures moved.",
            period=t.period(content.view.period))
    lines = [f"# {t('Background')}", "", f"{PROMPT} {ask}"]
    if content.prompts:
        lines.append(f"{PROMPT} {t('The changes a politician will ask about (from the summary of the pack):')}")
        lines += [f"{PROMPT} - {prompt}" for prompt in content.prompts]
    assess = t("What does the administration make of it, and what is done where a goal or a deadline is not met?")
    lines += ["", "# " + t("The administration's assessment"), "", f"{PROMPT} {assess}", "",
              f"# {t('Proposed decision')}", "",
              t("The administration proposes that the committee takes the briefing into account."), ""]
    return "\n".join(lines)


def write_comment(folder: Path, content: PackContent) -> Path:
    """Write ``content``'s comment file into the comments folder (created if missing); the path written."""
    period = str(content.view.period)
    parts = comment_path(folder, period, content.job.pack_id)
    folder.mkdir(parents=True, exist_ok=True)
    write_new_confined(folder, parts, comment_text(content).encode("utf-8"), f"{folder.name}/{'/'.join(parts)}")
    return folder.joinpath(*parts)
