from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def nlp():
    from escalsignal.text import make_nlp

    return make_nlp()


@pytest.fixture(scope="session")
def rules(nlp):
    from escalsignal.rules import RuleEngine

    return RuleEngine(nlp)


@pytest.fixture(scope="session")
def det():
    from escalsignal import Detector

    return Detector.load()
