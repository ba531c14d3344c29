"""HiGHS's binding for the audit, loaded without the rest of SciPy (ledinfo.disclosure.highs)."""

import subprocess
import sys

AUDIT_ALONE = """
import sys
from ledinfo.disclosure.audit import Cell, Relation, audit
loaded = sorted(name for name in sys.modules if name.startswith("scipy"))
assert "scipy.optimize" not in sys.modules and "scipy.linalg" not in sys.modules, loaded
found = audit([Cell("a", 2, True), Cell("b", 3, True), Cell("t", 5, False)], [Relation("t", ("a", "b"))], 5)
import numpy as np
from scipy.optimize import LinearConstraint, milp
from scipy.optimize._highspy import _core
from ledinfo.disclosure import audit as module
assert module.highs is _core, "two copies of HiGHS's binding"
solved = milp(np.ones(2), constraints=LinearConstraint(np.ones((1, 2)), 3, 3), integrality=np.ones(2))
print(len(found), solved.status)
"""


def test_the_audit_loads_highs_without_scipy_optimize_and_shares_it_with_a_later_scipy_import():
    """scipy.optimize's own imports were 0.48 s of the audit's 0.5 s, on a scale-1 build's long path (issue 27): the
    audit loads only HiGHS's binding; SciPy imported after it (the attack kit's milp) works with the same binding."""
    ran = subprocess.run([sys.executable, "-c", AUDIT_ALONE], capture_output=True, text=True, check=False)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split() == ["0", "0"]


FALLBACK = """
import importlib.machinery, sys
importlib.machinery.EXTENSION_SUFFIXES[:] = [".moved"]  # SciPy's file not where it was
from ledinfo.disclosure.highs import binding
highs = binding()
print(highs.__name__, "scipy.optimize" in sys.modules)
"""


def test_where_scipy_moved_its_binding_the_ordinary_import_is_used():
    ran = subprocess.run([sys.executable, "-c", FALLBACK], capture_output=True, text=True, check=False)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split() == ["scipy.optimize._highspy._core", "True"]
