"""Exceptions. Every error escalsignal raises on purpose derives from ``EscalsignalError``."""
from __future__ import annotations


class EscalsignalError(Exception):
    """Base class of escalsignal's own errors."""


class PatternError(EscalsignalError, ValueError):
    """A pattern file is invalid; the message names the file, line and field."""


class ConfigError(EscalsignalError, ValueError):
    """An escalation matrix or policy configuration is invalid; the message names the file and field."""


class ModelIntegrityError(EscalsignalError):
    """A model file does not match its manifest (hash, version or format); nothing was unpickled."""
