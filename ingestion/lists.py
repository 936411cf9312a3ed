"""How a line says it is a list item: one pattern for the parsers, which keep list markers when they
rebuild lines, and for the sentence splitter, which reads such a line as an item of its own; were
they to disagree, an item a parser kept could be merged into the sentence before it."""

from __future__ import annotations

import re

LIST_MARKER = re.compile(r"^\s*(?:[-–•▪●◦*]|\d{1,2}\s*[-.)])\s+")
"""A bullet character or a number of one or two digits followed by -, . or ), then spaces: the
match ends where the item's own text starts."""
