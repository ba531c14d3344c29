"""Progress on a terminal: a bar on stderr while packs are built or delivered.

Only when stderr is a terminal; under cron, in a pipe or in a test the output is
what it always was. The build is not changed for it: the bar follows the build's
stages through its :class:`~ledinfo.runtime.timing.Timings` (every stage is
entered there) and the packs through the ``echo`` callback (one line per pack
written), which here prints above the bar instead of through it.
"""

from __future__ import annotations

import logging
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field

import click

from ledinfo.runtime.timing import Timings

# Where each stage starts on a bar of 100, roughly by its share of a demo build's wall time,
# and what it is called there. The packs (PDF, guard, write) fill the rest as they come.
STAGES = {
    "start": (0, "starting"),
    "load": (3, "reading the data"),
    "compute": (15, "computing the figures"),
    "texts": (45, "writing the texts"),
    "charts": (52, "drawing the charts"),
    "guard": (78, "making the PDFs"),
}
PACK_STEP = 2  # per pack written: how many packs a build makes is not known before the data is read
CLEAR_LINE = "\r\033[K"
SHOW_CURSOR = "\033[?25h"  # click hides the cursor while it draws a bar


@dataclass
class StageTimings(Timings):
    """:class:`Timings` that also tells ``on_stage`` when a stage is entered."""

    on_stage: object = field(default=None, repr=False, compare=False)

    @contextmanager
    def stage(self, name: str):
        if self.on_stage is not None:
            self.on_stage(name)
        with super().stage(name):
            yield


class Bar:
    """A click progress bar on stderr that ``echo`` prints above, and log records too."""

    def __init__(self, length: int, label: str, show_percent: bool = True) -> None:
        self.bar = click.progressbar(length=length, label=label, file=sys.stderr, show_eta=False,
                                     show_percent=show_percent, show_pos=not show_percent,
                                     item_show_func=lambda text: text)
        self.text = ""

    def __enter__(self) -> Bar:
        self.bar.__enter__()
        self._handlers = [h for h in logging.getLogger("ledinfo").handlers
                          if getattr(getattr(h, "stream", None), "isatty", lambda: False)()]
        for handler in self._handlers:
            handler.addFilter(self._clear_for_record)
        return self

    def __exit__(self, *exc) -> None:
        for handler in self._handlers:
            handler.removeFilter(self._clear_for_record)
        # Leave no bar behind: the lines printed are what a run without a terminal prints.
        sys.stderr.write(CLEAR_LINE + SHOW_CURSOR)
        sys.stderr.flush()

    def _clear_for_record(self, record) -> bool:
        self._clear()
        return True

    def _clear(self) -> None:
        sys.stdout.flush()
        sys.stderr.write(CLEAR_LINE)
        sys.stderr.flush()
        self.bar._last_line = None  # click draws only a changed line; after a clear, the same one is new

    def echo(self, message: str = "", err: bool = False) -> None:
        """Print a line above the bar, then draw the bar again."""
        self._clear()
        click.echo(message, err=err)
        (sys.stderr if err else sys.stdout).flush()
        self.bar.render_progress()

    def to(self, position: int, text: str | None = None) -> None:
        if text is not None:
            self.text = text
        self.bar.update(max(0, min(position, self.bar.length) - self.bar.pos), self.text)

    def step(self, text: str | None = None) -> None:
        self.to(self.bar.pos + 1, text)


def on_terminal() -> bool:
    return sys.stderr.isatty()


class BuildProgress:
    """What a command passes to a build: ``echo``, ``timings`` and, for ``ledinfo run``, ``deliveries``."""

    def __init__(self, bar: Bar | None) -> None:
        self._bar = bar
        self._packs = 0
        self._building = True
        self.timings = StageTimings(on_stage=self._on_stage) if bar else Timings()
        self.echo = self._echo if bar else click.echo
        self.deliveries = self._deliveries if bar else None

    def _on_stage(self, name: str) -> None:
        if self._building and name in STAGES and self._bar.bar.pos < STAGES[name][0]:
            self._bar.to(*STAGES[name])

    def _echo(self, message: str = "", err: bool = False) -> None:
        self._bar.echo(message, err)
        if self._building and message.startswith("  "):  # while building: one line per pack written or failed
            self._packs += 1
            self._bar.to(min(STAGES["guard"][0] + PACK_STEP * self._packs, 99), f"making the PDFs ({self._packs} done)")

    def _deliveries(self, items):
        """The same bar, now counting the items delivered."""
        self._building = False
        bar = self._bar.bar
        bar.length, bar.pos, bar.label, bar.show_percent, bar.show_pos = len(items), 0, "Delivering", False, True
        for item in items:
            self._bar.to(bar.pos, item.pack_id)
            yield item
            self._bar.step()


@contextmanager
def build_progress(label: str = "Building"):
    """A :class:`BuildProgress`: with a bar on a terminal, else plain ``click.echo`` and timings."""
    if not on_terminal():
        yield BuildProgress(None)
        return
    with Bar(100, label) as bar:
        bar.to(0, STAGES["start"][1])
        yield BuildProgress(bar)


@contextmanager
def counted_progress(length: int, label: str):
    """(echo, step) for a known number of items (municipalities); plain echo off a terminal."""
    if not on_terminal():
        yield click.echo, lambda text=None: None
        return
    with Bar(length, label, show_percent=False) as bar:
        bar.to(0, "")
        yield bar.echo, bar.step
