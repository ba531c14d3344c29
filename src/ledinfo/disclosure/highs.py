"""HiGHS's Python binding as SciPy ships it (``scipy.optimize._highspy._core``), loaded without SciPy's ``optimize``.

``from scipy.optimize._highspy import _core`` runs ``scipy.optimize``'s ``__init__`` first, which imports
SciPy's linear algebra, sparse matrices and every optimiser: 0.48 s of a 0.5 s import, on the way to a
committee pack's first audit (issue 27: the long path of a scale-1 build), and about 60 MiB. The binding itself is one
extension module that needs none of that: loaded from its file it takes 6 ms. Python keeps one copy of an extension
module per file, so a later ``import scipy.optimize`` (the attack kit's ``milp``, the tests' reference solver) gets
this same module, whole (checked in tests/test_highs.py).

Should SciPy move or change the file, the ordinary import is used: slower, the same binding.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os

NAME = "scipy.optimize._highspy._core"


def binding():
    """The binding's module: from its file where it is where SciPy puts it, else by the ordinary import."""
    try:
        scipy = importlib.util.find_spec("scipy")  # where SciPy is installed; a top-level name: nothing imported
        folder = os.path.join(os.path.dirname(scipy.origin), "optimize", "_highspy")
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = os.path.join(folder, "_core" + suffix)
            if os.path.isfile(path):
                loader = importlib.machinery.ExtensionFileLoader(NAME, path)
                module = importlib.util.module_from_spec(importlib.util.spec_from_loader(NAME, loader, origin=path))
                loader.exec_module(module)
                return module
    except (ImportError, AttributeError, TypeError, OSError):
        pass
    from scipy.optimize._highspy import _core  # deferred: the fallback, with all of scipy.optimize first

    return _core
