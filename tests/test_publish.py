"""The user's own files and folders in the output folder stay in place at every moment of a publish.

The swap is reached without building packs (a staging folder with a small manifest is
published), so a build can be killed exactly before or right after the swap, in a real
process with a real SIGKILL, instead of at a moment a test can only hope to hit.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ledinfo.runtime import staging as publish
from ledinfo.runtime.staging import Output


def manifest(period: str, *names: str) -> str:
    return json.dumps({"period": period, "packs": [{"files": [{"name": n} for n in names]}]})


def old_build(tmp_path: Path) -> Path:
    """An output folder with last month's build, the user's README and the user's folder ``noter``."""
    out = tmp_path / "packs"
    (out / "noter" / "sub").mkdir(parents=True)
    (out / "manifest.json").write_text(manifest("2024-02", "gammel.pdf"), encoding="utf-8")
    (out / "gammel.pdf").write_bytes(b"old pack")
    (out / "README.txt").write_text("egne noter\n", encoding="utf-8")
    (out / "noter" / "møde.txt").write_text("dagsorden\n", encoding="utf-8")
    (out / "noter" / "sub" / "dybt.txt").write_text("dybt\n", encoding="utf-8")
    (out / "noter" / "genvej").symlink_to("møde.txt")
    return out


def users(out: Path) -> dict[str, tuple]:
    """The user's entries below ``out``: a file by inode and content, a symlink by target, a folder by name."""
    found = {}
    for entry in [out / "README.txt", out / "noter", *sorted((out / "noter").rglob("*"))]:
        name = str(entry.relative_to(out))
        if entry.is_symlink():
            found[name] = ("symlink", os.readlink(entry))
        elif entry.is_dir():
            found[name] = ("folder",)
        else:
            found[name] = ("file", entry.stat().st_ino, entry.read_text(encoding="utf-8"))
    return found


def period(out: Path) -> str:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["period"]


def staging_folders(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.ledinfo-staging-*"))


def stage_new_build(output: Output) -> None:
    (output.path / "ny.pdf").write_bytes(b"new pack")
    (output.path / "manifest.json").write_text(manifest("2024-03", "ny.pdf"), encoding="utf-8")


def test_before_the_swap_the_users_folder_is_linked_in_and_stays_in_the_output_folder(tmp_path):
    out = old_build(tmp_path)
    before = users(out)
    staging = tmp_path / "staging"
    staging.mkdir()
    (staging / "manifest.json").write_text(manifest("2024-03", "ny.pdf"), encoding="utf-8")
    assert publish._carry_users_files(out, staging, before_swap=True) == []
    assert users(out) == before  # nothing taken out of the output folder
    assert users(staging) == before  # the same files (inodes), symlinks as symlinks
    assert not (staging / "gammel.pdf").exists()  # ledinfo's own files of the old build are not carried


# Runs a publish in a process of its own and SIGKILLs it exactly before, or right after, the swap.
KILL_AT_SWAP = """
import os, signal, sys
from pathlib import Path
from ledinfo.runtime import staging as publish

swap = publish._swap
def swap_and_die(staging, target):
    if sys.argv[2] == "after":
        swap(staging, target)
    os.kill(os.getpid(), signal.SIGKILL)
publish._swap = swap_and_die

output = publish.Output.open(Path(sys.argv[1]))
(output.path / "ny.pdf").write_bytes(b"new pack")
(output.path / "manifest.json").write_text(sys.argv[3], encoding="utf-8")
output.publish()
"""


def killed_at_swap(out: Path, when: str) -> None:
    process = subprocess.run([sys.executable, "-c", KILL_AT_SWAP, str(out), when, manifest("2024-03", "ny.pdf")],
                             capture_output=True, text=True, timeout=60)
    assert process.returncode == -signal.SIGKILL, process.stderr
    assert len(staging_folders(out)) == 1  # the killed build's leftover


@pytest.mark.parametrize("when, expected", [("before", "2024-02"), ("after", "2024-03")])
def test_a_build_killed_at_the_swap_leaves_the_users_folder_in_place(tmp_path, when, expected):
    out = old_build(tmp_path)
    before = users(out)
    killed_at_swap(out, when)
    assert users(out) == before  # right after the kill, before any clean-up
    assert period(out) == expected
    with Output.open(out):  # the next build cleans the leftover up
        pass
    assert staging_folders(out) == []
    assert users(out) == before
    assert period(out) == expected


def test_a_build_killed_before_the_swap_does_not_undo_what_the_user_changed_since(tmp_path):
    out = old_build(tmp_path)
    killed_at_swap(out, "before")  # its leftover holds links to the README and the notes as they were
    for name, text in (("README.txt", "ny udgave\n"), ("noter/møde.txt", "ny dagsorden\n")):
        (tmp_path / "draft").write_text(text, encoding="utf-8")
        os.replace(tmp_path / "draft", out / name)  # as an editor saves: a new file put in place
    with Output.open(out):
        pass
    assert (out / "README.txt").read_text(encoding="utf-8") == "ny udgave\n"
    assert (out / "noter" / "møde.txt").read_text(encoding="utf-8") == "ny dagsorden\n"
    assert staging_folders(out) == []


def test_what_the_user_adds_or_replaces_during_the_swap_ends_in_the_output_folder(tmp_path, monkeypatch):
    out = old_build(tmp_path)
    before = users(out)
    swap = publish._swap

    def user_writes_then_swap(staging: Path, target: Path) -> None:  # after the carry, before the swap
        assert users(target) == before
        (target / "noter" / "tilføjet.txt").write_text("tilføjet\n", encoding="utf-8")
        (target / "draft").write_text("ændret\n", encoding="utf-8")
        os.replace(target / "draft", target / "README.txt")
        swap(staging, target)

    monkeypatch.setattr(publish, "_swap", user_writes_then_swap)
    with Output.open(out) as output:
        stage_new_build(output)
        output.publish()
    assert period(out) == "2024-03"
    assert (out / "noter" / "tilføjet.txt").read_text(encoding="utf-8") == "tilføjet\n"
    assert (out / "README.txt").read_text(encoding="utf-8") == "ændret\n"
    assert users(out)["noter/møde.txt"] == before["noter/møde.txt"]
    assert staging_folders(out) == [] and not (out / "gammel.pdf").exists()


def test_a_file_that_cannot_be_linked_is_copied_and_its_original_put_back_after_the_swap(tmp_path, monkeypatch):
    """A file on another device below the user's folder cannot be hard-linked (no such mount can be
    made here without privileges, so ``os.link`` refuses it as the kernel would)."""
    out = old_build(tmp_path)
    before = users(out)
    link = os.link

    def no_link_across_devices(src, dst, **kwargs):
        if Path(src).name == "dybt.txt":
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV), src, None, dst)
        link(src, dst, **kwargs)

    swap = publish._swap

    def check_then_swap(staging: Path, target: Path) -> None:
        assert users(target) == before
        copy = users(staging)["noter/sub/dybt.txt"]
        assert copy[0] == "file" and copy[1] != before["noter/sub/dybt.txt"][1] and copy[2] == "dybt\n"
        swap(staging, target)

    monkeypatch.setattr(os, "link", no_link_across_devices)
    monkeypatch.setattr(publish, "_swap", check_then_swap)
    with Output.open(out) as output:
        stage_new_build(output)
        output.publish()
    assert users(out) == before  # the original file again, not the copy
    assert period(out) == "2024-03" and staging_folders(out) == []


def test_a_rerun_that_reuses_the_last_build_cleans_up_after_a_build_killed_after_its_swap(tmp_path):
    """A build killed after its swap, while it removed the old build, leaves a folder beside the output folder
    with part of the old packs (and maybe not its manifest). The next build of the same data reuses the new packs
    whole and opens no staging folder: it still removes that folder (a full run of the suite found it left there),
    keeping the user's files."""
    from ledinfo.model.period import Period
    from ledinfo.pipeline.manifest import sha256_file
    from ledinfo.pipeline.reuse import reused

    out = old_build(tmp_path)
    (out / "gammel.pdf").unlink()
    (out / "ny.pdf").write_bytes(b"new pack")
    (out / "manifest.json").write_text(json.dumps({"period": "2024-03", "build_key": "key", "packs": [
        {"pack": "ny", "files": [{"name": "ny.pdf", "sha256": sha256_file(out / "ny.pdf")}]}]}), encoding="utf-8")
    before = users(out)
    leftover = out.parent / f".{out.name}.ledinfo-staging-killed"
    leftover.mkdir()
    (leftover / "gammel.pdf").write_bytes(b"old pack")  # the old build, half removed when it was killed
    (leftover / "manifest.json").write_text(manifest("2024-02", "gammel.pdf"), encoding="utf-8")  # removed last
    report = reused(out, "key", Period(2024, 3), job_of=lambda pack, team: pack)
    assert report is not None and [o.files for o in report.outcomes] == [[out / "ny.pdf"]]
    assert staging_folders(out) == []
    assert users(out) == before
    assert not (out / "gammel.pdf").exists()  # the old build's pack is not taken for the user's


def test_a_folder_is_removed_with_its_manifest_last(tmp_path, monkeypatch):
    """So that a build killed while it removes its old build leaves the manifest naming what is left."""
    out = old_build(tmp_path)
    removed = []
    unlink = os.unlink
    monkeypatch.setattr(os, "unlink", lambda path, *a, **k: (removed.append(os.path.basename(path)),
                                                              unlink(path, *a, **k)))
    publish._remove(out)
    assert not out.exists()
    assert removed[-1] == "manifest.json", removed
