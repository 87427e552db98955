"""A proofreading finding: what the engine, the built-in checks and every screen pass around.

Pure Python, no Django import.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Finding:
    """A problem at ``text[start:end]`` (``original``) with a proposed fix."""

    start: int
    end: int
    original: str
    suggestion: str
    rule: str
    category: str
    severity: str
    explanation: str
    confidence: float

    @property
    def is_fixable(self) -> bool:
        """False for advisory findings (no safe automatic fix)."""
        return self.suggestion != self.original

    def to_dict(self) -> dict:
        return asdict(self)
