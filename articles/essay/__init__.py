"""Essay text: parse raw 基层党建 essays into plain dataclasses. No Django here.

    from articles.essay import parse
    essay = parse(raw_text)        # Essay, or EssayError with a Chinese message
    essay.to_dict()

``cleaning`` repairs copy damage (page markers, watermark, lost line breaks;
site boilerplate and PDF wraps as undoable ``Repair`` items), ``schemes``
finds a top level other than 一、, ``splitting`` cuts a page of several
essays (【篇1】, 范文一) into essays,
``numbering`` knows section and point numbers, ``parsing`` reads the
structure, ``kinds`` guesses what a section is about.
"""

from .kinds import guess_kind
from .parsing import parse
from .structure import KINDS, Essay, EssayError, EssayPoint, EssaySection

__all__ = ["KINDS", "Essay", "EssayError", "EssayPoint", "EssaySection", "guess_kind", "parse"]
