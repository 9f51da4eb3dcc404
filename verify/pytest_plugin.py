"""A pytest plugin: `pytest --verify docs/` checks every derivation under docs/ as a test item.

Each derivation in a proof file or document is one item, which fails when any
step is not as expected; an unreadable part of a file is a failing item too.
Nothing is collected unless --verify is given, and verify itself is imported
only then.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("verify")
    group.addoption("--verify", action="store_true", default=False,
                    help="collect the derivations in .toml proof files, .md and .tex documents as test items")
    group.addoption("--verify-timeout", type=_seconds, default=10.0, metavar="SECONDS",
                    help="the time limit for each step (default 10)")


def _seconds(text: str) -> float:
    """A time limit, validated as verify --timeout is."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError("--verify-timeout must be a positive number of seconds")
    return value


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    if not parent.config.getoption("verify"):
        return None
    from . import frontends

    if file_path.suffix.lower() not in frontends.READERS:
        return None
    if file_path.suffix.lower() == ".toml" and "[[derivation]]" not in file_path.read_text(errors="replace"):
        return None
    return ProofFile.from_parent(parent, path=file_path)


class ProofFile(pytest.File):
    def collect(self):
        from . import frontends

        label = Path(os.path.relpath(self.path, self.config.rootpath)).as_posix()  # the same on every machine
        loaded = frontends.load(self.path, label)
        for i, error in enumerate(loaded.errors):
            yield InputItem.from_parent(self, name=f"input error {i + 1}", error=error)
        families: dict[str, list] = {}  # a derivation with indices: each instance, one item
        for d in loaded.derivations:
            families.setdefault(d.name, []).append(d)
        for name, family in families.items():  # a document's derivation is named by its line, after the file's id
            short = f"line {name[len(label) + 1:]}" if name.startswith(f"{label}:") else name
            yield DerivationItem.from_parent(self, name=short, derivation=family[0], instances=family)


class InputItem(pytest.Item):
    def __init__(self, *, error, **kw):
        super().__init__(**kw)
        self.error = error

    def runtest(self) -> None:
        raise VerifyFailure(f"{self.error.location}: error: {self.error.message}")

    def repr_failure(self, excinfo, style=None):
        return str(excinfo.value)

    def reportinfo(self):
        return self.path, self.error.location.line - 1, self.name


class DerivationItem(pytest.Item):
    def __init__(self, *, derivation, instances=(), **kw):
        super().__init__(**kw)
        self.derivation = derivation
        self.instances = list(instances) or [derivation]

    def runtest(self) -> None:
        import io

        from . import report, runner

        results = runner.check(self.instances, timeout=self.config.getoption("verify_timeout"))
        if any(r.unexpected for r in results):
            out = io.StringIO()
            report.write_text(results, [], [], out)
            raise VerifyFailure(out.getvalue())

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, VerifyFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, self.derivation.where.line - 1, f"derivation {self.derivation.name}"


class VerifyFailure(Exception):
    """A derivation that is not as expected, or a part of a file that could not be read."""
