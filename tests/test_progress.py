"""Progress on a terminal (a real pseudo-terminal), and nothing extra in a pipe or under cron."""

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_process
from smtp_server import SMTPServer
from test_run import write_config

pytestmark = pytest.mark.slow  # each test starts ledinfo in a process of its own, on a terminal or a pipe

LEDINFO = shutil.which("ledinfo", path=str(Path(sys.executable).parent)) or "ledinfo"


def on_a_terminal(*args: str) -> tuple[int, str]:
    """Run ledinfo with stdout and stderr on a pseudo-terminal, as in a shell: (exit code, what it showed)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([LEDINFO, *args], stdin=subprocess.DEVNULL, stdout=follower, stderr=follower,
                               env={**os.environ, "COLUMNS": "100"})
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the process has ended and closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return process.wait(timeout=600), shown.decode()


def test_build_on_a_terminal_shows_a_bar_and_still_every_pack(small_dir, tmp_path):
    code, shown = on_a_terminal("build", "--data", str(small_dir), "--period", "2024-03", "--out", str(tmp_path / "p"),
                                "--jobs", "1")
    assert code == 0, shown
    assert "Building  [" in shown and "reading the data" in shown and "making the PDFs (1 done)" in shown
    assert "udvalg.pdf, udvalg.json\r\n" in shown and "Wrote 4 pack(s)" in shown
    # The bar is cleared and the cursor shown again before the last line: the screen reads as a pipe's output.
    before_last = shown[:shown.index("Wrote 4 pack(s)")]
    assert before_last.endswith("\r\x1b[K\x1b[?25h")


def test_in_a_pipe_the_output_is_plain_lines(small_dir, tmp_path):
    result = run_process("build", "--data", str(small_dir), "--period", "2024-03", "--out", str(tmp_path / "p"),
                         "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "\r" not in result.stdout and "\x1b" not in result.stdout and "Building  [" not in result.stdout
    assert result.stdout.splitlines()[1:3] == ["  udvalg.pdf, udvalg.json", "  direktion.pdf, direktion.json"]


def test_dry_run_on_a_terminal_lists_who_would_get_what(prepared, tmp_path):
    config = write_config(tmp_path, prepared, 2525)  # a dry run connects to no server
    code, shown = on_a_terminal("run", "--config", str(config), "--period", "2024-03", "--jobs", "1", "--dry-run")
    assert code == 0, shown
    assert shown.count("  would send: ") == 4 and "would send: team-boern → leder.boern@fjordby.dk" in shown
    assert "4 would send" in shown


@pytest.fixture
def server():
    smtp = SMTPServer().start()
    yield smtp
    smtp.stop()


def test_a_real_run_on_a_terminal_counts_the_deliveries_on_the_bar(prepared, tmp_path, server):
    config = write_config(tmp_path, prepared, server.port)
    code, shown = on_a_terminal("run", "--config", str(config), "--period", "2024-03", "--jobs", "1")
    assert code == 0, shown
    assert "Delivering  [" in shown and "4/4" in shown and len(server.handler.received) == 4
    assert "ledinfo run for 2024-03: 4 sent" in shown
