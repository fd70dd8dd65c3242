"""The headline: a report's 3–5 plain sentences, most important first.

Every analysis finds sentences in its numbers and gives each a weight (how much it matters
to the manager); :func:`ranked` keeps the heaviest, in that order. Where an analysis states
its sentences in a fixed reading order instead, :func:`in_order` keeps the first ones.
Either way a headline has at most :data:`MAX_SENTENCES` sentences and never an empty one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: The most sentences a headline holds (a busy manager reads five, not ten).
MAX_SENTENCES = 5


@dataclass(frozen=True)
class Finding:
    """One candidate sentence of a headline and its weight (larger is more important)."""

    weight: float
    text: str


def ranked(findings: Iterable[Finding], limit: int = MAX_SENTENCES) -> list[str]:
    """The texts of the ``limit`` heaviest findings, heaviest first.

    Findings of equal weight keep the order in which they were found; empty texts are dropped.
    """
    kept = [f for f in findings if f.text]
    kept.sort(key=lambda f: -f.weight)
    return [f.text for f in kept[:limit]]


def in_order(sentences: Iterable[str | None], limit: int = MAX_SENTENCES) -> list[str]:
    """The first ``limit`` non-empty sentences, in the order given."""
    return [s for s in sentences if s][:limit]
