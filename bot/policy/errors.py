"""Typed errors of the policy engine. Every message is Chinese and fit to show a resident."""
from __future__ import annotations


class PolicyError(Exception):
    """Base class: `message` is a polite Chinese explanation."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RuleFileError(PolicyError):
    """A rules file is malformed. Raised at load time, naming the file and the key."""

    def __init__(self, path: str, key: str, problem: str) -> None:
        super().__init__(f"规则文件 {path} 中 {key}:{problem}")
        self.path = path
        self.key = key
        self.problem = problem


class InvalidInputError(PolicyError):
    """An input is out of range or impossible (negative money, 200 gap years, unknown group)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class NotInForceError(PolicyError):
    """The asked date is before the rule applies."""


class NotCoveredError(PolicyError):
    """The region (or the calculation for that region) is not in our documents."""
