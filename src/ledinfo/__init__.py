"""ledinfo: leadership-information packs for Danish children's services.

The public API for plugin authors is :mod:`ledinfo.api` (the hook marker and the
types a plugin registers) and :mod:`ledinfo.api.testing`.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ledinfo")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+unknown"
