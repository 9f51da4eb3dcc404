"""The code of another commit, for benchmarks that compare it with this checkout."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def unpack(base: str, into: Path, *paths: str) -> Path:
    """`paths` (folders of the repository) as they are at commit `base`, unpacked into `into`/before."""
    before = into / "before"
    before.mkdir()
    archive = subprocess.run(["git", "archive", base, *paths], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(before)], input=archive.stdout, check=True)
    return before
