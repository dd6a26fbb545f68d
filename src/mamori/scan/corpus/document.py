"""The shapes of the labelled corpus: documents, their labels, and scores."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Label:
    type: str
    start: int
    end: int


@dataclass(slots=True)
class Document:
    name: str  # the file name, with its extension
    body: str  # the file's content
    text: str  # name + PART_SEPARATOR + body: what the detectors see
    labels: list[Label] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Score:
    tp: int  # findings that overlap a label of their type
    fp: int  # findings that overlap none
    fn: int  # labels no finding overlaps
    precision: float
    recall: float
    labels: int = 0
