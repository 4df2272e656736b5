from __future__ import annotations

import pytest


@pytest.fixture
def reference():
    from gomruk.reference.snapshot import packaged_reference

    return packaged_reference()


@pytest.fixture
def loaded_classifiers(db):
    from gomruk.reference.services import classifiers_load

    return classifiers_load()


def require_tool(executable: str, why: str) -> str:
    """Path of a system tool a test needs. Without it the test is skipped on a developer's
    machine, but fails in CI (GOMRUK_REQUIRE_TOOLS=1), where .ci/run installs every tool."""
    import os
    import shutil

    path = shutil.which(executable)
    if path:
        return path
    message = f"{executable} is not installed ({why})"
    if os.environ.get("GOMRUK_REQUIRE_TOOLS") == "1":
        pytest.fail(message)
    pytest.skip(message)
