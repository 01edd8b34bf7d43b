import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(os.environ.get("FINALS_FIXTURES", REPO / "examples"))
"""The example finals (`examples/`, in the repository); FINALS_FIXTURES points elsewhere."""
TEST_DATA = REPO / "tests" / "data"


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    if not FIXTURES.is_dir():
        pytest.fail(f"example finals not found at {FIXTURES} (the repository's examples/); "
                    "check FINALS_FIXTURES")
    return FIXTURES
