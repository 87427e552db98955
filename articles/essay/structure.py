"""The shape of a parsed essay: plain dataclasses, no behaviour beyond ``to_dict``.

An essay is a title (and optional subtitle), a lead, numbered sections (一、)
each with an intro and numbered points ((一) or 1. …), a conclusion and the
author's unit. ``warnings`` tells an editor what the parser repaired or
suspects; the text fields themselves are always clean plain text with
paragraphs separated by ``"\\n"``.
"""

from dataclasses import dataclass, field

# The kinds a section can have; the same words are used by the models layer.
KINDS = ("significance", "situation", "problems", "causes", "countermeasures", "other")


class EssayError(ValueError):
    """The text cannot be read as an essay. The message is Chinese, for editors."""


@dataclass
class EssayPoint:
    number: str  # "(一)", "1.", "1、" or "(1)"
    heading: str
    body: str = ""

    def to_dict(self) -> dict:
        return {"number": self.number, "heading": self.heading, "body": self.body}


@dataclass
class EssaySection:
    number: str  # "一、"
    heading: str
    kind: str = "other"
    body: str = ""  # intro before the first point
    points: list[EssayPoint] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "number": self.number,
            "heading": self.heading,
            "kind": self.kind,
            "body": self.body,
            "points": [point.to_dict() for point in self.points],
        }


@dataclass
class Essay:
    title: str = ""
    subtitle: str = ""
    author_org: str = ""
    lead: str = ""
    sections: list[EssaySection] = field(default_factory=list)
    conclusion: str = ""
    warnings: list[str] = field(default_factory=list)
    # Undoable repairs found in the raw text (cleaning.Repair) and the ids of those left undone.
    repairs: list = field(default_factory=list)
    kept_repairs: frozenset = frozenset()

    def to_dict(self) -> dict:
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "author_org": self.author_org,
            "lead": self.lead,
            "sections": [section.to_dict() for section in self.sections],
            "conclusion": self.conclusion,
            "warnings": list(self.warnings),
            "repairs": [{**repair.to_dict(), "kept": repair.id in self.kept_repairs} for repair in self.repairs],
        }
