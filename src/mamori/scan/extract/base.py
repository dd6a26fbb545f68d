"""What every extractor is given: the limits, the clock, and the unpacking budget.

One `Context` travels with one top-level file through every archive and attachment
inside it, so the time and the number of unpacked bytes are bounded for the whole tree,
not per member (a zip of a thousand small zips must not get a thousand budgets).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from mamori.scan.types import Child, Limits, Unscannable


@dataclass(slots=True)
class Budget:
    """Shared by a top-level file and everything unpacked from it."""

    limits: Limits
    deadline: float  # time.monotonic() value after which the scan stops
    expanded: int = 0  # bytes unpacked so far

    @classmethod
    def start(cls, limits: Limits) -> Budget:
        return cls(limits, time.monotonic() + limits.seconds_per_file)

    def check_time(self) -> None:
        if time.monotonic() >= self.deadline:
            raise Unscannable(
                "timeout",
                f"{self.limits.seconds_per_file:g} 秒の制限時間内に読み終わりませんでした",
            )

    def charge(self, size: int) -> None:
        """Count `size` more unpacked bytes; stop once the total budget is spent."""
        self.expanded += size
        if self.expanded > self.limits.max_expanded_bytes:
            raise Unscannable(
                "too_large",
                f"展開したデータの合計が上限 {size_text(self.limits.max_expanded_bytes)} を超えました",
            )


@dataclass(slots=True)
class Context:
    """One file being extracted: the shared budget and how deep it sits."""

    budget: Budget
    depth: int = 0  # 0 for the file as given, 1 for a member of it, …

    @property
    def limits(self) -> Limits:
        return self.budget.limits

    def check_time(self) -> None:
        self.budget.check_time()

    def may_descend(self) -> bool:
        return self.depth < self.limits.max_depth

    def too_deep(self, name: str) -> Child:
        return Child(
            name,
            b"",
            reason="too_deep",
            message=f"入れ子が上限の {self.limits.max_depth} 段を超えています",
        )


def size_text(size: float) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"
