"""The ``ledinfo`` command line (click)."""

from ledinfo.cli.commands import main

__all__ = ["main"]
