"""One reader per kind of English fact: what a draft may say about it (:class:`FactParts`).

Headlines ("Acme opens a 400,000 sq ft DC in Reno"), job-ad snippets ("Acme – Dock Scheduler
(Reno DC). Responsibilities: …"), reported speech ("Marcus wrote that …"), quotes with an
attribution ("“Our biggest headache is …” — Daniel, speaking on X") and first-person posts each
have their own shape. A reader takes what it recognises and leaves the rest; nothing here
rewrites a claim, it only cuts and re-orders the fact's own words.
"""

from __future__ import annotations

import re

from cadenza.writing.fact_parts import (
    _GERUNDS,
    COUNTING,
    FactParts,
    _split,
    article,
    attribution,
    cleaned,
    funding_round,
    money,
    second_person,
    the,
    topic_of,
    trim,
)
from cadenza.writing.fluency import has_verb
from cadenza.writing.sender_copy import stems

_SAID_VERBS = ("wrote", "said", "posted", "shared", "mentioned", "noted", "argued",
               "explained", "complained", r"told \w+")
_REPORTED = re.compile(
    r"^(?:(?P<pre>(?:On|At|In|During|Speaking at|Speaking on) [^,]{3,70}),\s*)?"
    r"(?P<who>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)(?:'s)? (?P<verb>" + "|".join(_SAID_VERBS) +
    r")(?: (?:on LinkedIn|in a post|on a panel|in an interview))?(?: that| about)?"
    r"\s+(?P<rest>.+)$")
_QUOTED = re.compile(r"^[\"“](?P<quote>.+?)[\"”]\s*[—–-]+\s*(?P<who>[^,]+)(?:,\s*(?P<ctx>.+))?$")
_PAIN_IS = re.compile(r"(?i)^(?:our|my|the|your)\s+(?:\w+\s+){0,2}?(?:headache|problem|"
                      r"challenge|issue|pain|bottleneck|struggle|frustration|nightmare)"
                      r"(?:\s+(?:at|in|with|for)\s+(?P<where>[A-Z][\w' -]{1,30}?))?\s+"
                      r"(?:is|are|was|has been)\s+(?P<topic>.+)$")
_TOPIC_STOP = re.compile(r"\s+(?:between|during|every|each|when|because|since|before|after|"
                         r"and then|which|who|so that|until)\s.*$")
_PREFIX = re.compile(r"(?i)^(?:hot take|unpopular opinion|quick thought|thread|psa|lesson "
                     r"learned|reminder)\s*[:—-]\s*")
_HIRING = re.compile(r"(?i)^(?P<co>.+?)\s+(?:is|are)\s+(?:hiring|recruiting|looking for)"
                     r"[:\s]\s*(?P<rest>.+)$|^(?:hiring|now hiring)[:\s]\s*(?P<rest2>.+)$")
_COUNT = re.compile(r"^(?P<n>\d+)\s*x?\s+(?P<rest>.+)$")
_SITE_NOUNS = (r"hub|DC|site|plant|office|depot|warehouse|centre|center|campus|facility|team|"
               r"home|hospital|clinic|ward|store|branch|school|factory|mill|hotel")
_PLACE = re.compile(r"\s(?:in|at|for|across)\s(?P<place>(?:its |their |the )?(?:[A-Z][\w.'’-]*"
                    r"(?:,? [A-Z][\w.'’-]*)*)(?: (?:" + _SITE_NOUNS + r"))?)\s*$")
_TEAM = re.compile(r"\s(?:for|in|at)\s(?P<place>(?:its|their|the) [\w -]{2,30}?(?:"
                   + _SITE_NOUNS + r"|stores))\s*$")
_SITE_WORDS = re.compile(r"(?i)\b(?:hub|dc|site|plant|warehouse|centre|center|depot|terminal|"
                         r"facility|campus|store|office|home|hospital|clinic|ward|branch|"
                         r"school|factory|mill|hotel|distribution center)\b")
_VERB_CLAUSE = re.compile(r"^(?P<subj>.+?)\s(?:(?P<to>to|will|plans to|is set to)\s)?"
                          r"(?P<verb>" + "|".join(sorted(_GERUNDS, key=len, reverse=True)) +
                          r")\b\s*(?P<obj>.*)$")
_ROLE = re.compile(r"(?i:promoted to|joined \S+(?: \S+){0,3} as|appointed(?: as)?|named"
                   r"(?: as)?|became|stepped into the role of|moved into the role of|"
                   r"started as|new role as)\s+(?i:the |a |an )?(?P<title>[A-Z][\w&/ -]{1,40}?"
                   r"(?: of [A-Z][\w&/-]+(?: [A-Z][\w&/-]+)*)?)(?=\s(?:at|for|from|in)\s|[.,;]|$)")
_TOOLS = re.compile(r"(?i)(?:technologies detected|tech stack|stack|tools)\s*:\s*(?P<a>.+)$|"
                    r"\b(?:runs(?: on)?|uses|is built on|builds on|built on|works with|"
                    r"switched to|migrated to)\s+(?P<b>.+?)(?:\s+(?:for|to|across|alongside)"
                    r"\s.*)?$")


def read_english(kind: str, text: str, *, company: str | None, names: list[str],
                 interest: frozenset[str]) -> FactParts:
    """The parts of an English fact of ``kind``."""
    text = cleaned(text)
    if kind in ("pain_point", "post"):
        quote, speaker = attribution(text)
        if speaker and names and not any(n.lower() in speaker.lower() for n in names):
            # another person's words on the prospect's record are not the prospect's
            return _said(kind, text, names=names, interest=interest)
        return _said(kind, quote, names=names, interest=interest, attributed=quote != text)
    if kind == "hiring":
        return _hiring(text, company)
    if kind == "funding":
        return _funding(text)
    if kind == "role_change":
        m = _ROLE.search(text)
        title = m.group("title").strip() if m else None
        if title and " of " in title and company and any(
                w.lower() in title.split(" of ", 1)[1].lower() for w in company.split()
                if len(w) > 3):
            title = title.split(" of ", 1)[0]  # "CTO of Pizarra Digital" → "CTO"
        return FactParts("role", title=title)
    if kind == "tech_stack":
        return FactParts("stack", tools=_tools(text))
    parts = _event(text, company)
    if kind == "product_launch" and parts.gerund not in ("launching", "releasing",
                                                          "introducing", "unveiling"):
        return FactParts("launch", what=parts.what, clause=parts.clause, place=parts.place)
    return parts


def _said(kind: str, text: str, *, names: list[str], interest: frozenset[str],
          attributed: bool = False) -> FactParts:
    """A pain or a post: its topic, and a second-person restatement when it is short.
    ``attributed``: ``text`` is a quote its author was named for ("Owen Pryce on the Shelf
    Life podcast: \"…\""), so it is their own words."""
    event = "pain" if kind == "pain_point" else "post"
    venue = None
    reported = None
    quoted = _QUOTED.match(text)
    if quoted:
        body = quoted.group("quote")
        ctx = quoted.group("ctx") or ""
        m = re.search(r"(?:on|at|in)\s+(?:the\s+)?([A-Z][^,.]{2,60})", ctx)
        venue = m.group(0).strip() if m else None
    else:
        reported = _REPORTED.match(text)
        if reported and (not names or any(n in reported.group("who") for n in names)):
            body = reported.group("rest")
            pre = reported.group("pre")
            venue = re.sub(r"^(?:On|At|In|During|Speaking at|Speaking on) (?:a \w+ at )?",
                           "", pre) if pre else None
            venue = f"at {venue}" if venue else None
        else:
            reported = None
            body = _PREFIX.sub("", text)
    first = re.split(r"(?<=[.!?])\s+", body.strip(), maxsplit=1)[0].rstrip(".!? ")
    said: str | None = None
    clause: str | None = None
    topic: str | None
    pain = _PAIN_IS.match(first)
    found: list[list[str]] = []  # the candidates, worked out once when first needed

    def candidates() -> list[str]:
        if not found:
            found.append(_said_candidates(body, first, interest))
        return found[0]

    before_quote = re.split(r"[\"“]", first, maxsplit=1)[0].strip()
    if pain:
        topic = _TOPIC_STOP.sub("", pain.group("topic")).strip(" ,")
        topic = topic if len(topic.split()) <= 8 else topic_of(topic, interest)
    elif before_quote != first and len(before_quote.split()) >= 2:
        topic = topic_of(before_quote, interest) or before_quote
    else:
        topic = topic_of(first, interest)
        if topic is None and interest:  # "Three months into the new role. Biggest surprise:
            # how much … is waiting for permit sign-offs": the sentence about the business
            topic = topic_of(candidates()[0], interest)
    unquoted = not re.search(r"[\"“”]", first)
    own_words = bool(reported or quoted or attributed or _first_person(first)
                     or event == "post" or _FIRST_PERSON.search(body))
    # "X wrote that …" frames a clause; "X shared …" or a bare post may be a noun phrase,
    # which cannot follow "You wrote that"
    clause_framed = reported is not None and reported.group("verb") not in ("shared",
                                                                            "posted")
    if own_words:
        # a stated pain leads the opener in the prospect's own words: the first sentence,
        # or its head before ", and …" / " - …", or the next sentence ("Sent the same spec
        # to three converters … We spend more time normalising quotes than negotiating them.")
        for candidate in candidates():
            if len(candidate.split()) <= 14 and (not re.search(r"[\"“”]", candidate)
                                                  or _balanced(candidate)) \
                    and not _DANGLING_PRONOUN.search(candidate) and (
                    clause_framed or re.match(r"(?i)(?:we|i) [a-z]", candidate)
                    or has_verb(re.sub(r"(\w)['’]s\b", r"\1", candidate), "en")):
                said = _told_back(second_person(candidate))
                if said:
                    break
    elif not own_words and unquoted:
        clause = trim(first, 16)  # reported by someone else: "Acme's backlog grew to …"
    return FactParts(event, topic=topic, said=said, venue=venue, clause=clause)


def _said_candidates(body: str, first: str,
                     interest: frozenset[str] = frozenset()) -> list[str]:
    """The clauses a post may be told back by, best first: its sentences ordered by how many
    words they share with the sender's copy (the first sentence first among equals), each
    sentence's head before a clause break ahead of the whole. A pain is often not the first
    sentence ("Oil prices up again this quarter. After the fish itself, fryer oil is now our
    biggest consumable line.")."""
    rest = [t.rstrip(".!? ") for t in re.split(r"(?<=[.!?])\s+", body.strip())[1:]]
    sentences = [first, *[t for t in rest if t and not t.endswith("?")][:4]]
    ranked = sorted(enumerate(sentences), key=lambda p: (-len(stems(p[1]) & interest), p[0]))
    out: list[str] = []
    for _, sentence in ranked:
        head = re.split(r", and |, but |\s[-–—]\s|; ", sentence, maxsplit=1)[0]
        if head != sentence and len(head.split()) >= 5:
            out.append(head.strip(" ,"))  # the head alone reads better than a list after it
        out.append(sentence)
        point = sentence.split(": ", 1)[1] if ": " in sentence else ""
        if len(point.split()) >= 5 and point.split(" ", 1)[0].lower() in _SUBJECT_OPENERS:
            out.append(point)  # "… and the results are humbling: the buffet is our biggest …"
    return out


#: Words a sentence may open on that are no name, so "You wrote that" may lower them.
_OPENERS = frozenset(_split(
    "your you you're you've most the a an every all some it it's there this that these those "
    "after before since for in on at with across over during once when while now today "
    "half many few each no"))

#: What the point after a colon must open on to be a clause of its own ("the breakfast buffet
#: is …"), not a noun phrase ("40-minute queue at the gatehouse by 11am").
_SUBJECT_OPENERS = frozenset({"the", "our", "my", "we", "i", "it", "it's", "there", "this",
                              "that", "nobody", "no", "every", "most", "half", "we're"})


def _told_back(said: str) -> str | None:
    """``said`` ready to follow "You said that": lower-cased after it, or ``None`` when it
    opens on a capital no clause may ("Three weeks into …", "Stepping away …")."""
    if said.split(" ", 1)[0].lower() in _OPENERS:
        return said[:1].lower() + said[1:]
    return None if said[:1].isupper() else said


def _balanced(text: str) -> bool:
    """Quotes in pairs ("most 'yard management' problems"), none left open."""
    return text.count('"') % 2 == 0 and len(re.findall(r"(?:^|\s)['‘]\w", text)) == len(
        re.findall(r"\w['’](?=\s|[.,;:!?]|$)", text))


#: "how we do this before the turnaround": a demonstrative whose referent is in the sentences
#: around it, so told back alone it points at nothing ("negotiating them" has its own).
_DANGLING_PRONOUN = re.compile(
    r"(?i)\b(?:this|that|these|those)\b(?=\s+(?:before|after|for|to|in|on|at|with|by|"
    r"until|when|because|so|and|but|again|anymore|now|today|yet)\b|\s*[.,;:!?]|\s*$)"
    # a quantifier of the sentence before's things ("Every one of them started at a splice
    # we'd checked", after "Third belt rip this year"), or a pronoun subject ("They all …")
    r"|(?i:\b(?:one|all|each|none|both|most|some|many|any|every one|half) of "
    r"(?:them|these|those)\b|^(?:it|they|these|those|he|she)\b)")
#: A stated pain in the writer's own words, whatever its first sentence ("Oil prices up
#: again. … fryer oil is now our biggest consumable line.").
_FIRST_PERSON = re.compile(r"\b(?:we|our|I|my|us)\b(?!['’]s)")


def _first_person(text: str) -> bool:
    return bool(re.match(r"(?i)^(?:i|we|i'm|we're|my|our)\b", text.strip()))


#: A job board's label before the ad ("Job ad – …", "Vacancy: …"): no part of the role.
_AD_LABEL = re.compile(r"(?i)^(?:job ad|job advert|job posting|job listing|job opening|vacancy|"
                       r"open role|open position|position|career opportunity)\s*[–—:-]\s*")


def _hiring(text: str, company: str | None) -> FactParts:
    labelled = _AD_LABEL.match(text) is not None
    text = _AD_LABEL.sub("", text)
    if company:
        # "Liffeyside Student Living: Fire Safety & Compliance Coordinator"
        head, sep, tail = text.partition(": ")
        if sep and head.strip().lower() == company.strip().lower():
            text, labelled = tail, True
    m = _HIRING.match(text)
    rest = (m.group("rest") or m.group("rest2")) if m else None
    if rest is None and labelled and not re.search(r"\s[–—-]\s", text):
        rest = text  # the ad's title is the role
    if rest is None:
        # "Acme – Dock Scheduler (Reno DC). …" or "Yard Jockey – Dallas, TX (2 openings)"
        left, _, right = re.split(r"\s[–—-]\s", text, maxsplit=1)[0], None, \
            [*re.split(r"\s[–—-]\s", text, maxsplit=1), ""][1]
        if not right:
            return FactParts("hiring")
        names_company = bool(company) and any(
            w.lower() in left.lower() for w in (company or "").split() if len(w) > 3)
        rest = right if names_company else f"{left} – {right}"
    rest = re.split(r"(?<=[.!?])\s+|\s*[\"“]", rest, maxsplit=1)[0].strip(" .:")
    # a job board's fields: "Technician – Llanfair Quarry | Caerwyn Quarries Ltd | Full time"
    rest = re.split(r"\s*[|•]\s*", rest, maxsplit=1)[0].strip(" .:")
    rest = re.sub(r"\s*\((?:multiple|several|\d+) openings?\)", "", rest)
    place = None
    paren = re.search(r"\s*\(([^)]{2,40})\)\s*$", rest)
    if paren:
        # "(Leeds site, full time)": the terms after the comma are no part of the place
        place, rest = paren.group(1).split(",")[0], rest[:paren.start()]
    halves = re.split(r"\s[–—-]\s", rest, maxsplit=1)
    if len(halves) == 2:
        rest, place = halves[0], place or halves[1]
    loc = _PLACE.search(rest) or _TEAM.search(rest)
    if loc and not place:
        place, rest = loc.group("place"), rest[:loc.start()]
    rest = rest.strip(" ,.")
    count = _COUNT.match(rest)
    if count:
        plural = count.group("rest").lower().endswith("s") or " and " in rest \
            or int(count.group("n")) == 1
        role = rest if plural else f"{count.group('n')} {count.group('rest')}s"
    else:
        role = article(rest) if rest else None
    if role and len(role.split()) > 8:
        role = None
    place = place.strip(" ,.") if place else None
    if place:
        if place.lower().startswith(("its ", "their ")):
            place = the(place)
        elif _SITE_WORDS.search(place) and not place.lower().startswith("the "):
            place = "the " + place  # "the Daventry DC", "the Coventry hub"
    return FactParts("hiring", role=role, place=place)


def _funding(text: str) -> FactParts:
    purpose = re.search(r"\bto (?P<p>[a-z]+ .+?)(?:[.;]|,\s|$)", text)
    what = trim(purpose.group("p"), 9) if purpose else None
    if what:
        what = "to " + re.sub(r"\b(?:its|their)\b", "the", what)
    return FactParts("funding", amount=money(text), round=funding_round(text), purpose=what)


def _event(text: str, company: str | None) -> FactParts:
    """A news headline: what the company did, as "opening the X in Y"."""
    first = re.split(r"(?<=[.!?;])\s+", text, maxsplit=1)[0].rstrip(".!?; ")
    named = re.match(r"(?i)^(?P<subj>.+?)\s(?:was |were |is |has been )?(?:named|ranked) "
                     r"(?P<obj>(?:among|as|one of|in) .+)$", first)
    if named:
        obj = trim(named.group("obj"), 12)
        return FactParts("news", what=obj, gerund="being named" if obj else None)
    m = _VERB_CLAUSE.match(first)
    if not m or len(m.group("subj").split()) > 6:
        return FactParts("news", clause=trim(first, 16, purpose=False))
    gerund = _GERUNDS[m.group("verb")]
    raw_obj = m.group("obj")
    particle = re.match(r"(over|up|out|on|off|in|into|to)\s", raw_obj)
    if particle and gerund in ("taking", "rolling", "moving", "building", "opening",
                               "expanding", "migrating", "switching"):
        gerund, raw_obj = f"{gerund} {particle.group(1)}", raw_obj[particle.end():]
    obj = trim(re.sub(r"\b(?:its|their)\b", "the", raw_obj), 12)
    event = "site" if obj and _SITE_WORDS.search(obj) and gerund in (
        "opening", "adding", "building", "expanding", "inaugurating", "acquiring",
        "consolidating", "moving", "relocating", "entering") else \
        "launch" if gerund in ("launching", "releasing", "introducing", "unveiling") else "news"
    place = None
    if obj:
        loc = re.search(r"\b(?:in|at|to)\s((?:[A-Z][\w'’-]*)(?:\s[A-Z][\w'’-]*){0,2})", obj)
        place = loc.group(1) if loc else None
    subject = m.group("subj")
    future = bool(m.group("to"))
    # the headline as a clause, for when "Congrats on …" does not fit ("began migrating …")
    clause = f"{subject} is {gerund} {obj}" if future and obj else trim(first, 16,
                                                                         purpose=False)
    what = obj if not obj or gerund in COUNTING else the(obj)
    return FactParts(event, what=what, gerund=None if future else gerund,
                     place=place, clause=clause)


def _tools(text: str) -> tuple[str, ...]:
    m = _TOOLS.search(text)
    listed = (m.group("a") or m.group("b") or "") if m else (
        text if re.fullmatch(r"[A-Z][^.!?]*", text) and re.search(r"[;,]", text) else "")
    listed = listed.rstrip(".")
    listed = re.sub(r"\s*\([^)]*\)", "", listed)
    parts = re.split(r",\s*|;\s*|\s+and\s+|\s*&\s*", listed)
    tools = [p.strip() for p in parts if p.strip() and p.strip()[:1].isupper()
             and len(p.split()) <= 4]
    return tuple(tools[:4])
