import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the same examples every time (a red CI must be reproducible); locally they vary.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "sites"))
SHARED = ROOT.parent / "shared"

# Builds in tests are dated, so output never depends on the day the suite runs.
os.environ.setdefault("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01


@pytest.fixture
def site_root(tmp_path, monkeypatch):
    """A temporary folder that is also the working directory, so messages show short paths."""
    monkeypatch.chdir(tmp_path)
    return tmp_path / "site"


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside this checkout")
    return SHARED
