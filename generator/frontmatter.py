"""Split a Markdown file into its front matter tree and body, keeping file line numbers."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .yamltree import Node, load

# The same boundary python-frontmatter accepts (three or more dashes), but never swallowing
# the blank lines after it, so body line numbers stay exact.
_BOUNDARY = re.compile(r"^-{3,}[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Parsed:
    meta: Node | None
    body: str
    body_line: int


class FrontMatterMissing(Exception):
    """The file does not start with a `---` line."""


class FrontMatterUnclosed(Exception):
    """The `---` block is never closed."""


def split(text: str) -> Parsed:
    """Text (already decoded, newlines normalised) → front matter tree, body and body's first line.

    Raises FrontMatterMissing / FrontMatterUnclosed, or yamltree.YamlSyntaxError with file lines.
    """
    yaml_text, body = _parts(text)
    body_line = 2 + yaml_text.count("\n") + 1
    return Parsed(load(yaml_text, first_line=2), body, body_line)


def body(text: str) -> str:
    """The body alone, of a text that split() has read before."""
    return _parts(text)[1]


def _parts(text: str) -> tuple[str, str]:
    first, _, rest = text.partition("\n")
    if not _BOUNDARY.fullmatch(first):
        raise FrontMatterMissing
    closing = _BOUNDARY.search(rest)
    if closing is None:
        raise FrontMatterUnclosed
    return rest[: closing.start()], rest[closing.end():].removeprefix("\n")
