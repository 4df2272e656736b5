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
