import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

# the tests decide every step; those of the cache turn it on themselves (tests/test_cache.py)
os.environ["VERIFY_NO_CACHE"] = "1"
