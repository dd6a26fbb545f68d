"""Rates of a self-assessment, from counts (pure Python, no Django).

実施率 counts only items the clause applies to: 「該当しない」 and unanswered items leave the
base; 「実施している」 counts 1, 「一部実施」 one half, 「実施していない」 0 (the same weights as
the dashboards)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tally:
    """Counts of items by answer ("" = unanswered) and of checklists by state."""

    items: int = 0
    done: int = 0
    partial: int = 0
    not_done: int = 0
    na: int = 0
    checklists: int = 0
    submitted: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            *(
                getattr(self, name) + getattr(other, name)
                for name in self.__dataclass_fields__  # keeps the declared order
            )
        )

    @property
    def answered(self) -> int:
        return self.done + self.partial + self.not_done + self.na

    @property
    def unanswered(self) -> int:
        return self.items - self.answered

    @property
    def answer_rate(self) -> float | None:
        """回答率: answered items over all items."""
        return ratio(self.answered, self.items)

    @property
    def implementation_rate(self) -> float | None:
        """実施率 (see implementation())."""
        return implementation(self.done, self.partial, self.not_done)

    @property
    def submission_rate(self) -> float | None:
        """提出率: submitted checklists over distributed ones."""
        return ratio(self.submitted, self.checklists)


def implementation(done: int, partial: int, not_done: int) -> float | None:
    """実施率, the one definition every page, dashboard and export uses: 「実施している」
    counts 1, 「一部実施」 one half, 「実施していない」 0, over the items answered with one
    of those three (「該当しない」 and unanswered items are left out); None when there
    are none."""
    return ratio(done + partial / 2, done + partial + not_done)


def ratio(part: float, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide (shown as 「—」)."""
    return part / whole if whole else None


def percent(value: float | None) -> str:
    """「87.5%」, or 「—」 for no value."""
    return "—" if value is None else f"{value * 100:.1f}%"
