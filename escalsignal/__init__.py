"""escalsignal: spot, while a call is still going on, that a customer needs to be escalated.

``import escalsignal`` is cheap: spaCy and scikit-learn load only when a Detector is built.
"""
from __future__ import annotations

from .errors import ConfigError, EscalsignalError, ModelIntegrityError, PatternError
from .types import SIGNALS, SPEAKERS, CallSummary, Evidence, Reason, Recommendation, SignalScore, UtteranceScore

__version__ = "0.1.0"

__all__ = [
    "Detector", "Session", "EscalationMatrix", "PolicyConfig",
    "UtteranceScore", "SignalScore", "Evidence", "Recommendation", "Reason", "CallSummary",
    "SIGNALS", "SPEAKERS",
    "EscalsignalError", "ModelIntegrityError", "PatternError", "ConfigError",
    "__version__",
]


def __getattr__(name: str):  # PEP 562: the heavy classes are imported on first use
    if name == "Detector":
        from .detector import Detector

        return Detector
    if name == "Session":
        from .session import Session

        return Session
    if name in ("EscalationMatrix", "PolicyConfig"):
        from . import policy

        return getattr(policy, name)
    raise AttributeError(f"module 'escalsignal' has no attribute {name!r}")
