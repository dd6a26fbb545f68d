"""PowerPoint (.pptx/.pptm): each slide's text with its tables ("スライド N"), its notes
("スライド N ノート"), slide-master text (footers such as 「機密性２」 are often set
there), comments and document properties."""

from __future__ import annotations

from mamori.scan.extract.base import Context
from mamori.scan.extract.ooxml import DRAWING, P, Package, R, numbered, part_text
from mamori.scan.types import Extraction, Part

_NOTES = "/notesSlide"
_COMMENTS = "/comments"


def _slide_parts(package: Package, presentation: str) -> list[str]:
    """Slide part names in presentation order (not file-name order)."""
    targets = package.rels(presentation)
    ordered = [
        targets.get(slide.get(f"{R}id", ""), "")
        for slide in package.xml(presentation).iter(f"{P}sldId")
    ]
    slides = [name for name in ordered if package.has(name)]
    return slides or package.names(r"ppt/slides/slide\d+\.xml")


def _comments_text(package: Package, name: str) -> str:
    return "\n".join(
        "".join(comment.itertext()).replace("\n", " ")
        for comment in package.xml(name).iter()
        if comment.tag.endswith("}text")
    )


def extract_pptx(name: str, data: bytes, ctx: Context) -> Extraction:
    package = Package(data, ctx)
    presentation = package.main_part("ppt/presentation.xml")
    parts = []
    for number, slide in enumerate(_slide_parts(package, presentation), 1):
        parts.append(Part(f"スライド {number}", part_text(package, slide, DRAWING)))
        for rel_type, target in package.typed_rels(slide):
            if not package.has(target):
                continue
            if rel_type.endswith(_NOTES):
                parts.append(Part(f"スライド {number} ノート", part_text(package, target, DRAWING)))
            elif rel_type.endswith(_COMMENTS):
                parts.append(Part(f"スライド {number} コメント", _comments_text(package, target)))
    for where, master in numbered(
        "スライドマスター", package.names(r"ppt/slideMasters/slideMaster\d+\.xml")
    ):
        parts.append(Part(where, part_text(package, master, DRAWING)))
    parts.extend(package.properties())
    return Extraction(parts=parts, children=package.embedded(r"ppt/embeddings/.+"))
