"""Links in text, however they are written: plain, defanged, spaced out or in look-alike letters.

A link in a cold email is either the sender's own or an attack: a prospect record (or an LLM
that read it) can carry ``evil.test/win``, ``hxxp://…``, ``evil[.]test`` or a domain spelt with
Cyrillic letters that look Latin. A hand-kept list of endings misses most of them, so hosts are
found by `urlextract <https://github.com/lipoja/URLExtract>`_ against the IANA list of top-level
domains it ships (plus the names RFC 2606 and RFC 6761 reserve, which attackers use in tests
and which mail clients still link), in a normalised copy of the text: compatibility forms folded
(NFKC), defanging undone, look-alike letters read as Latin. A dotted host followed by a path or
a port, or anything with a scheme, is a link whatever its ending.

What is found is a :class:`Link`: the link as normalised, and whether it only appears once the
look-alike letters are read as Latin — a spoof, never the sender's own even when it reads so.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import idna
from urlextract import URLExtract  # type: ignore[import-untyped]

from cadenza.writing.safety import (
    PHONE_RE,
    emails,
    latin_skeleton,
    looks_like_phone,
    strip_invisible,
    without_emails,
)

#: Top-level names reserved for tests, documentation and private networks (RFC 2606, RFC 6761,
#: RFC 7686 and common private suffixes): not in the IANA list, still linked by mail clients.
RESERVED_TLDS = ("test", "example", "invalid", "localhost", "local", "onion", "internal",
                 "lan", "home", "corp", "intranet", "private")


class _Extractor(URLExtract):  # type: ignore[misc]  # urlextract ships no type hints
    """``URLExtract`` reading the TLD list it ships, plus :data:`RESERVED_TLDS`.

    Its own loader takes a lock file beside the list (a write into site-packages, or into the
    user's cache directory) and prefers a list downloaded earlier into that cache; the package's
    copy, read here, is the same for every process and every machine with this version.
    """

    def _load_cached_tlds(self) -> set[str]:
        tlds: set[str] = set()
        with open(self._get_default_cache_file_path(), encoding="utf-8") as listing:
            for line in listing:
                tld = line.strip().lower()
                if tld and not tld.startswith("#"):
                    tlds.add("." + tld)
                    # an entry the idna package cannot read stays in its ASCII form only
                    with contextlib.suppress(idna.IDNAError):
                        tlds.add("." + idna.decode(tld))
        return tlds | {"." + t for t in RESERVED_TLDS}

    _tlds_re: Any  # urlextract's alternation, then the _TldFinder that wraps it

    def _reload_tlds_from_file(self) -> None:
        super()._reload_tlds_from_file()
        self._tlds_re = _TldFinder(self._tlds_re)


class _TldFinder:
    """``findall`` of urlextract's TLD pattern (one alternation of ~1,800 endings, longest
    first), giving the same list in a fraction of the time.

    The whole alternation, tried at every character of a draft, was most of the checker's
    time. Here it is tried only where an ending can start (a dot, or the "l" of
    "localhost"), and there only the endings whose first two characters can match the text's
    (the same case-insensitive rules: an alternation restricted to those endings, in the same
    order); text whose two characters are not ASCII gets the whole alternation.
    """

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        parts = pattern.pattern.split("|")  # each part re.escape'd: no "|" inside one
        heads = [_unescaped_head(part) for part in parts]
        self._start = re.compile("[" + "".join(re.escape(h[0]) for h in {h[:1] for h in heads}
                                               if h) + "]", pattern.flags)
        ascii_keys = {h.lower() for h in heads if h.isascii()}
        groups: dict[str, list[str]] = {k: [] for k in ascii_keys}
        for part, head in zip(parts, heads, strict=True):
            if head.isascii():
                groups[head.lower()].append(part)
                continue
            # an ending whose head is not ASCII may still match ASCII text ("K", the
            # Kelvin sign, matches "k"): it joins every group whose key its head matches
            like = re.compile(re.escape(head), pattern.flags)
            for key in ascii_keys:
                if like.fullmatch(key):
                    groups[key].append(part)
        self._groups = {k: re.compile("|".join(v), pattern.flags) for k, v in groups.items()}

    def findall(self, text: str) -> list[str]:
        out: list[str] = []
        pos = 0
        while (start := self._start.search(text, pos)) is not None:
            at = start.start()
            head = text[at:at + 2]
            if head.isascii() and len(head) == 2:
                group = self._groups.get(head.lower())
                found = group.match(text, at) if group is not None else None
            else:
                found = self.pattern.match(text, at)
            if found is not None and found.end() > at:
                out.append(found.group(0))
                pos = found.end()
            else:
                pos = at + 1
        return out


def _unescaped_head(part: str) -> str:
    """The first two characters an escaped alternative matches (``\\.co`` → ``.c``)."""
    return re.sub(r"\\(.)", r"\1", part)[:2]


@lru_cache(maxsize=1)
def _extractor() -> _Extractor:
    # its constructor reads the TLD list through _load_cached_tlds, overridden above
    return _Extractor(extract_email=False, cache_dns=False, extract_localhost=True,
                      allow_mixed_case_hostname=True)


#: Defanged forms, each with what it stands for: "hxxp://", "h**ps://", "[:]//", "evil[.]test",
#: "evil(dot)test", "evil [dot] test", "evil{.}test", "evil . test" between host labels.
_DEFANGED: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?i)\bh(?:xx|\*\*|__|tt)p(s?)(?=\s*(?:\[:\]|\(:\)|:)\s*//)"), r"http\1"),
    (re.compile(r"(?i)\bfxp(?=\s*(?:\[:\]|:)//)"), "ftp"),
    (re.compile(r"\s*(?:\[:\]|\(:\))\s*(?=//)"), ":"),
    (re.compile(r"(?i)(?<=[a-z0-9])\s*[\[({<]\s*(?:\.|dot|punkt|point|punto|ponto|kropka|punt|"
                r"prik|piste)\s*[\])}>]\s*(?=[a-z0-9])"), "."),
    (re.compile(r"(?i)(?<=[a-z0-9])\s+(?:dot|DOT)\s+(?=[a-z0-9-]+(?:\s+dot\s+|\.|\b))"), "."),
    (re.compile(r"(?<=[A-Za-z0-9])[ \t]+\.[ \t]+(?=[A-Za-z0-9-]{2,}(?:/|\b))"), "."),
    (re.compile(r"(?i)(?<=[a-z0-9])\s*[\[({<]\s*(?:@|at)\s*[\])}>]\s*(?=[a-z0-9])"), "@"),
)
#: A scheme followed by "//" or by one of the schemes that need none: a link whatever follows.
_SCHEME = re.compile(r"(?i)(?<![\w.+-])(?:[a-z][a-z0-9+.-]{1,15}://|(?:mailto|javascript|data|"
                     r"tel|sms|file|callto|skype|whatsapp|tg):)[^\s<>\"'`)\]]*")
#: A dotted host followed by a path or a port, whatever its ending ("evil.zz/win").
_HOST_WITH_PATH = re.compile(r"(?i)(?<![\w@./-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
                             r"[a-z][a-z0-9-]{1,62}(?::\d{2,5})?/[^\s<>\"'`)\]]*")
#: File endings that follow a dot in program names ("Node.js/React"), never a host.
_CODE_ENDINGS = frozenset({"js", "ts", "jsx", "tsx", "py", "rb", "php", "java", "kt", "cs",
                           "cpp", "go", "rs", "vue", "md", "yml", "yaml", "json", "css", "html",
                           "exe", "dll", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx",
                           "csv", "txt", "zip", "png", "jpg", "gif", "svg", "mp4"})
_TRAILING = ".,;:!?)]}>'\"’”"


@dataclass(frozen=True)
class Link:
    """A link found in text: ``text`` as normalised (no trailing punctuation; the sender's own
    links, written plainly, come back exactly as written) and ``spoofed`` when it appears only
    once look-alike letters are read as Latin."""

    text: str
    spoofed: bool = False


@lru_cache(maxsize=256)  # the checker reads the same text through several detectors
def normalise(text: str) -> str:
    """``text`` with invisible characters dropped, compatibility forms folded (full-width
    letters, "．") and defanged links written back as links. Look-alike letters stay."""
    text = unicodedata.normalize("NFKC", strip_invisible(text)).replace("。", ".")
    if not any(ch in text for ch in ".:[({<") and "dot" not in text.lower():
        return text
    for pattern, replacement in _DEFANGED:
        text = pattern.sub(replacement, text)
    return text


@lru_cache(maxsize=256)  # links and contact data of one draft are looked up in the same text
def _found(text: str) -> tuple[str, ...]:
    out = [m.group(0) for m in _SCHEME.finditer(text)]
    for m in _HOST_WITH_PATH.finditer(text):
        host = m.group(0).split("/", 1)[0].split(":", 1)[0]
        if host.rsplit(".", 1)[-1].lower() not in _CODE_ENDINGS:
            out.append(m.group(0))
    if "." in text:
        found = _extractor().find_urls(text, only_unique=True)
        out.extend(str(u) for u in found)
    return tuple(out)


def _token(raw: str) -> str:
    return raw.strip().rstrip(_TRAILING).strip()


def find_links(text: str) -> list[Link]:
    """Every link in ``text`` (see the module docstring), each once, in order of discovery.

    A link contained in a longer one found at the same place ("cal.example.com" inside
    "https://cal.example.com/maya") is reported once, as the longer.
    """
    if not text:
        return []
    plain = normalise(text)
    found = [_token(u) for u in _found(plain)]
    skeleton = latin_skeleton(plain)
    if skeleton != plain:
        seen = set(found)
        found += [t for t in (_token(u) for u in _found(skeleton)) if t not in seen]
        spoofs = {t for t in found if t not in seen}
    else:
        spoofs = set()
    ordered = [t for t in dict.fromkeys(found) if t]
    longest = [t for t in ordered
               if not any(t != o and t in o for o in ordered if (t in spoofs) == (o in spoofs))]
    return [Link(text=t, spoofed=t in spoofs) for t in longest]


def contact_spans(text: str) -> list[str]:
    """Email addresses, links (as :func:`find_links` reads them) and phone numbers in ``text``.

    Addresses and phones are searched in the normalised text too, so "bob [at] evil.test"
    counts; a link inside an address is reported once, as the address.
    """
    plain = normalise(text)
    spans = emails(plain)
    rest = without_emails(plain)
    spans += [link.text for link in find_links(rest)]
    spans += [m.group(0).strip() for m in PHONE_RE.finditer(rest) if looks_like_phone(m.group(0))]
    return spans
