"""Errors that are the user's to fix, and how the command line reports them.

Every error a user can cause (bad data, a bad config, a broken plugin) is a
:class:`LedinfoError`. The CLI prints its message and exits with its
``exit_code``; no traceback is shown. Anything else is a bug in ledinfo and
keeps its traceback.
"""

from __future__ import annotations

# Exit codes, documented in the README ("Exit codes") for cron users.
EXIT_FAILED = 1  # a pack or a delivery failed; the others were still produced
EXIT_BAD_INPUT = 2  # the user's data, config or command line is wrong


class LedinfoError(Exception):
    """An error the user can fix; its message is shown as is."""

    exit_code = EXIT_BAD_INPUT


class ConfigError(LedinfoError):
    """The configuration file (or command line) is invalid."""


class PluginError(LedinfoError):
    """A plugin failed to load or registered something invalid."""


class SourceError(LedinfoError):
    """A data source could not be read (missing folder, unreadable file)."""


class PackError(LedinfoError):
    """A single pack could not be built; other packs are unaffected."""

    exit_code = EXIT_FAILED
