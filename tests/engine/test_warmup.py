"""The set-up step's warm-up compiles (or loads from the on-disk cache) every numba kernel."""

import subprocess
import sys

CHECK = """
import importlib
import pkgutil

from numba.core.registry import CPUDispatcher

import masterbus.engine.kernels as kernels
from masterbus.engine import warmup

warmup.warm()
for info in pkgutil.iter_modules(kernels.__path__):
    module = importlib.import_module(f"{kernels.__name__}.{info.name}")
    for name, kernel in vars(module).items():
        # kernels called from Python; helpers called only by other kernels compile within them
        if isinstance(kernel, CPUDispatcher) and kernel.__module__ == module.__name__:
            if not name.startswith("_") and kernel.targetoptions.get("inline") != "always":
                print(info.name, name, len(kernel.signatures))
"""


def test_warm_compiles_every_kernel():
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True)
    rows = [line.split() for line in out.stdout.strip().splitlines()]
    assert {module for module, _name, _count in rows} == {
        "biquads",
        "dither",
        "dynamics",
        "limiting",
        "measures",
    }
    assert len(rows) >= 15
    assert [f"{m}.{n}" for m, n, count in rows if count == "0"] == []
