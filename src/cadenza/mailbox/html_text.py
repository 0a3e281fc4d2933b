"""HTML bodies to plain text with the standard library only.

Replies that arrive HTML-only still need quote stripping and classification, which work on
lines of text. Quoted history is marked with ``> `` here (``<blockquote>``, Gmail's
``gmail_quote``, Outlook's ``divRplyFwdMsg``, Thunderbird's ``moz-cite-prefix``) because markup
is the most reliable quote signal a client gives; the text stage then strips it like any quote.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_DROP = frozenset({"script", "style", "head", "title", "noscript", "template", "svg"})
_BLOCK = frozenset({
    "p", "div", "br", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "pre", "section", "article", "header", "footer", "address", "dd", "dt", "center",
})
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr"})
# Client markers whose element (and, for Outlook's reply header, everything after) is history.
_QUOTE_CLASS = re.compile(r"gmail_quote|moz-cite-prefix|yahoo_quoted|protonmail_quote|"
                          r"x_gmail_quote|OutlookMessageHeader", re.IGNORECASE)
_QUOTE_ID = re.compile(r"divRplyFwdMsg|appendonsend|x_divRplyFwdMsg|mail-editor-reference-message",
                       re.IGNORECASE)
# Text a reader never sees is not part of the reply (and a favourite hiding place for prompt
# injection): display:none, visibility:hidden, zero font size, the hidden attribute.
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d])|"
    r"max-height\s*:\s*0(?![.\d])", re.IGNORECASE,
)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANKS = re.compile(r"\n{3,}")


class _TextExtractor(HTMLParser):
    """Collects text, tracking which output belongs to quoted history."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[tuple[str, int]] = []  # (text, quote depth)
        self._drop = 0
        self._quote = 0
        self._stack: list[tuple[str, bool]] = []  # (tag, opened a quote)
        self._rest_quoted = False
        self._hidden: list[str] = []  # open tags that hide their content

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP:
            self._drop += 1
            return
        values = {k: v or "" for k, v in attrs}
        hidden = "hidden" in values or _HIDDEN_STYLE.search(values.get("style", ""))
        if hidden and tag not in _VOID:
            self._drop += 1
            self._hidden.append(tag)
            return
        quoting = tag == "blockquote" or bool(_QUOTE_CLASS.search(values.get("class", "")))
        if _QUOTE_ID.search(values.get("id", "")):
            self._rest_quoted = True  # Outlook: the reply header opens the quoted history
        if tag in _BLOCK:
            self.chunks.append(("\n", self._depth()))
        if tag in _VOID:
            return
        if quoting:
            self._quote += 1
        self._stack.append((tag, quoting))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.chunks.append(("\n", self._depth()))

    def handle_endtag(self, tag: str) -> None:
        if self._hidden and tag == self._hidden[-1]:
            self._hidden.pop()
            self._drop = max(0, self._drop - 1)
            return
        if tag in _DROP:
            self._drop = max(0, self._drop - 1)
            return
        if tag in _VOID:
            return
        # Pop up to the matching tag; sloppy HTML closes tags out of order.
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                for _name, quoting in self._stack[i:]:
                    if quoting:
                        self._quote = max(0, self._quote - 1)
                del self._stack[i:]
                break
        if tag in _BLOCK:
            self.chunks.append(("\n", self._depth()))

    def handle_data(self, data: str) -> None:
        if self._drop:
            return
        self.chunks.append((data, self._depth()))

    def _depth(self) -> int:
        return self._quote + (1 if self._rest_quoted else 0)


def html_to_text(html: str) -> str:
    """Readable text from an HTML body; quoted history comes out as ``> `` lines."""
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # html.parser is lenient, but never trust garbage
        pass
    lines: list[str] = []
    current: list[str] = []
    depth_of_line = 0
    for text, depth in parser.chunks:
        parts = text.split("\n")
        for i, part in enumerate(parts):
            if i > 0:
                lines.append(_finish(current, depth_of_line))
                current = []
                depth_of_line = 0
            cleaned = _SPACES.sub(" ", part)
            if cleaned.strip():
                depth_of_line = max(depth_of_line, depth)
                current.append(cleaned)
    lines.append(_finish(current, depth_of_line))
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def _finish(parts: list[str], depth: int) -> str:
    line = "".join(parts).strip()
    if line and depth:
        return "> " * min(depth, 3) + line
    return line
