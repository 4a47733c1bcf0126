"""Typography normalisation that never moves an offset.

The seed articles (and text pasted from word processors) use non-breaking hyphens (U+2011),
narrow no-break spaces (U+202F), curly quotes and the like. Matching is easier on plain ASCII
punctuation, but every span we report must index the text the user gave us. We get both by
replacing each such character with exactly ONE plain character: the normalised string has the
same length as the original, so an offset in one is the same offset in the other. No offset
map is needed, and none can drift.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

# One character in, one character out.
_REPLACEMENTS: dict[int, str] = {}
for _ch in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d":
    _REPLACEMENTS[ord(_ch)] = "-"
for _ch in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000":
    _REPLACEMENTS[ord(_ch)] = " "
for _ch in "\u2018\u2019\u201a\u201b\u2032\uff07":
    _REPLACEMENTS[ord(_ch)] = "'"
for _ch in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\uff02":
    _REPLACEMENTS[ord(_ch)] = '"'
_REPLACEMENTS[ord("\u2026")] = "."  # ellipsis: one char keeps offsets; sentence end is kept
_REPLACEMENTS[ord("\u00ad")] = "-"  # soft hyphen
for _cp in range(0x20):  # control characters other than tab/newline confuse the tokenizer
    if chr(_cp) not in "\t\n\r":
        _REPLACEMENTS[_cp] = " "
_REPLACEMENTS[0x7F] = " "
for _cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C,
            0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069):
    _REPLACEMENTS[_cp] = " "  # zero-width and bidi controls become plain spaces


def normalize(text: str) -> str:
    """Return ``text`` with typography flattened; ``len(result) == len(text)`` always."""
    return text.translate(_REPLACEMENTS)


@dataclass(frozen=True)
class LineIndex:
    """Maps an offset to a 1-based (line, column), for findings and editor integrations."""

    starts: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> "LineIndex":
        starts = [0]
        starts.extend(i + 1 for i, ch in enumerate(text) if ch == "\n")
        return cls(tuple(starts))

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1
