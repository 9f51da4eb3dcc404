"""verify: checks every step of step-by-step math derivations.

    import verify
    report = verify.check(["diff(sigma(x), x)", "sigma(x)*(1 - sigma(x))"])
    report.ok

The API (verify.api) is imported on first use, so that importing verify, as pytest does for the plugin,
costs nothing.
"""

from typing import TYPE_CHECKING

from .version import __version__
__all__ = ["Report", "check", "check_many", "check_paths", "__version__"]

if TYPE_CHECKING:
    from .api import Report, check, check_paths
    from .batch import check_many


def __getattr__(name: str):
    if name in ("Report", "check", "check_paths"):
        from . import api

        return getattr(api, name)
    if name == "check_many":
        from . import batch

        return batch.check_many
    raise AttributeError(f"module 'verify' has no attribute {name!r}")
