"""Read the credit amount and its subject-category breakdown.

A credit amount is a number tied to a credit unit ("2.0 contact hours",
"0.6 CEUs", "three (3) hours") or to a credit label ("Contact hours: 2.5").
Bare numbers (schedule times, scores, table columns) never count. CEUs are
converted x10, and "2.0 contact hours (0.2 CEU)" is one credit, not two.

Categories come only from hours the text explicitly ties to a subject: a
parenthesis or dash after the credit, a topic word inside it ("2 clinical
credits"), a "Topic:" line, an itemised line ("Implicit Bias ..... 1.0") or a
table's category column. Words in the title never create a category.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_SPELLED = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
}
_NUM = (r"(?:(?P<word>[A-Za-z]+)\s*\(\s*(?P<paren>\d{1,3}(?:\.\d{1,2})?)\s*\)"
        r"|(?P<num>\d{1,3}(?:\.\d{1,2})?|\.\d{1,2})"
        r"|(?P<spelled>" + "|".join(_SPELLED) + r"))")
_MOD_WORDS = (r"NBCC|ASWB|APA|ANCC|ACPE|AMA|PRA|CE|CPE|CME|CNE|CEU|clock|contact|credit|continuing|education"
              r"|educational|nursing|pharmacy|social|work|clinical|general|ethics|supervision|category|I|1"
              r"|pharmacology|pharmacotherapeutics?|laws?|jurisprudence|cultural|diversity|competence|suicide"
              r"|prevention|domestic|violence|HIV/AIDS|HIV|AIDS|implicit|bias|human|trafficking|pain|opioids?"
              r"|management")
_UNIT = r"(?P<unit>hours?|hrs?\b\.?|h\b(?!\.\w)|credits?|units?|CEUs?|CEs)"
_WITH_UNIT = re.compile(
    rf"(?<![\w.:/$#-]){_NUM}\s*(?P<mods>(?:(?:{_MOD_WORDS}|(?-i:[A-Z]{{2,6}}))[\s-]+){{0,6}}?){_UNIT}(?![\w-])",
    re.IGNORECASE)
_WITH_LABEL = re.compile(
    r"(?:^|(?<=\s{3})|(?<=\|\s))(?P<label>(?:[A-Za-z][^:\n]{0,48}?)?\b(?:hours?|hrs|credits?|CEUs?|units)\b"
    rf"[^:\n]{{0,20}}?):\s*{_NUM}(?![\w.:/-])", re.IGNORECASE | re.MULTILINE)
_NOT_AWARDED = re.compile(r"\b(?:within|after|before|every|per|each|up\s+to|least|than|next|last|past"
                          r"|maximum|minimum|required|requires|need|needs)\s*$", re.IGNORECASE)
_BAD_LABEL = re.compile(r"\b(?:required|minimum|maximum|available|possible|score|remaining|needed)\b",
                        re.IGNORECASE)
_TOTAL = re.compile(r"\btotal\b", re.IGNORECASE)
_AWARD = re.compile(r"\b(?:award|earn|receive|grant|credit|for|total)", re.IGNORECASE)

_TOPICS = [  # most specific first: "Implicit Bias" is not cultural diversity
    (re.compile(r"suicid", re.IGNORECASE), "suicide_prevention"),
    (re.compile(r"domestic\s+violence|intimate\s+partner|family\s+violence|partner\s+abuse", re.IGNORECASE),
     "domestic_violence"),
    (re.compile(r"traffick", re.IGNORECASE), "human_trafficking"),
    (re.compile(r"implicit\s+bias", re.IGNORECASE), "implicit_bias"),
    (re.compile(r"\bhiv\b|\baids\b", re.IGNORECASE), "hiv_aids"),
    (re.compile(r"\bpain\b|opioid", re.IGNORECASE), "pain_management"),
    (re.compile(r"pharmacolog|pharmacotherap", re.IGNORECASE), "pharmacology"),
    (re.compile(r"cultur|diversity", re.IGNORECASE), "cultural_diversity"),
    (re.compile(r"\blaws?\b|\brules\b|jurisprudence|\blegal\b", re.IGNORECASE), "law"),
    (re.compile(r"\bethic", re.IGNORECASE), "ethics"),
    (re.compile(r"supervis", re.IGNORECASE), "supervision"),
    (re.compile(r"\bclinical\b", re.IGNORECASE), "clinical"),
    (re.compile(r"\bgeneral\b", re.IGNORECASE), "general"),
]
_TOPIC_LINE = re.compile(
    r"^\s*(?:course\s+|ce\s+|credit\s+)?(?:content\s+areas?|topics?(?:\s+designator)?|subject(?:\s+area)?"
    r"|categor(?:y|ies)|credit\s+type|area)\s*:\s*(?P<value>.+)$", re.IGNORECASE | re.MULTILINE)
_ITEM_LINE = re.compile(
    r"^\s*(?:of\s+which|including|incl\.?|includes)?\s*(?P<topic>[A-Za-z][\w ()/&,'-]*?)\s*(?:\.{2,}|:|-|\s{2,})"
    r"\s*(?P<num>\d{1,2}(?:\.\d{1,2})?)\s*(?:contact\s+|clock\s+|CE\s+)?(?:hours?|hrs?\.?|credits?|CE)?\s*$",
    re.IGNORECASE | re.MULTILINE)
_COLUMN_ROW = re.compile(r"\s(?P<num>\d{1,2}(?:\.\d{1,2})?)\s{2,}(?P<topic>[A-Za-z][A-Za-z &/-]{2,40}?)\s*$",
                         re.MULTILINE)
_NOT_A_TOPIC = re.compile(r"^\s*(?:course|program|title|activity|event|session|date|total|name|presenter"
                          r"|instructor|license|provider)\b", re.IGNORECASE)
_TAIL = re.compile(
    r"\s*(?:of\s+(?:continuing\s+education|CE|credit|training|instruction)\s*)?"
    r"(?:\((?P<paren>[^)\n]{2,80})\)|-\s*(?P<dash>[A-Za-z][^.;,\n]{2,60})"
    r"|(?:in|of|on|toward|towards)\s+(?:the\s+)?(?P<phrase>[A-Za-z][A-Za-z &/-]{2,60}))", re.IGNORECASE)
_HOURS_FIRST = re.compile(r"(?P<num>\d{1,2}(?:\.\d{1,2})?)\s*(?:(?:contact|clock|CE)\s+)?"
                          r"(?:hours?|hrs?\.?|CE|credits?)?\s*(?:of\s+|in\s+)?"
                          r"(?P<topic>[A-Za-z][A-Za-z &/-]*[A-Za-z])", re.IGNORECASE)
_TOPIC_FIRST = re.compile(r"(?P<topic>[A-Za-z][A-Za-z &/-]*?)\s*[:-]?\s*(?P<num>\d{1,2}(?:\.\d{1,2})?)",
                          re.IGNORECASE)


@dataclass
class Credit:
    """One printed credit amount, already in hours."""

    hours: Decimal
    start: int
    end: int
    score: int
    modifiers: str = ""


def topic_of(phrase: str, max_words: int = 6) -> str | None:
    """The allowed category a short subject phrase names, or None."""
    if not phrase or len(phrase.split()) > max_words:
        return None
    for pattern, name in _TOPICS:
        if pattern.search(phrase):
            return name
    return None


def _value(match: re.Match[str]) -> Decimal | None:
    if match.group("paren"):
        return Decimal(match.group("paren"))
    if match.group("num"):
        return Decimal(match.group("num"))
    spelled = match.group("spelled")
    return Decimal(_SPELLED[spelled.lower()]) if spelled else None


def find_credits(text: str) -> list[Credit]:
    """Every credit amount in the text, in hours, scored by how award-like its context is."""
    found: dict[int, Credit] = {}
    for match in _WITH_LABEL.finditer(text):
        value = _value(match)
        label = match.group("label")
        if value is None or _BAD_LABEL.search(label):
            continue
        if re.search(r"\bceus?\b|\bunits\b", label, re.IGNORECASE):
            value *= 10
        score = 2 + (3 if _TOTAL.search(label) else 0) + (1 if _AWARD.search(label) else 0)
        start = match.start("num") if match.group("num") else match.start("word")
        found[start] = Credit(value, start, match.end(), score)
    for match in _WITH_UNIT.finditer(text):
        value = _value(match)
        before = text[max(0, match.start() - 40):match.start()]
        if value is None or _NOT_AWARDED.search(before):
            continue
        if re.match(r"ceu|unit", match.group("unit"), re.IGNORECASE):
            value *= 10
        labelled = found.get(match.start())
        score = labelled.score if labelled else 1 + (1 if _AWARD.search(before[-30:]) else 0)
        score += 2 if _TOTAL.search(before[-25:]) else 0
        found[match.start()] = Credit(value, match.start(), match.end(), score, match.group("mods") or "")
    return [c for _, c in sorted(found.items()) if Decimal(0) < c.hours <= 100]


def total_hours(text: str) -> tuple[Decimal | None, float]:
    """The awarded total: the best-scored credit, the larger one on a tie."""
    credits = find_credits(text)
    if not credits:
        return None, 0.0
    best = max(credits, key=lambda c: (c.score, c.hours))
    return best.hours, 0.9 if best.score >= 2 else 0.7


def _pairs(content: str) -> list[tuple[str, Decimal]]:
    """'1.0 Ethics / 2.0 General' or 'Ethics 1.0, General 2.0': whichever order reads more topics."""
    readings = []
    for pattern in (_HOURS_FIRST, _TOPIC_FIRST):
        pairs = []
        for match in pattern.finditer(content):
            topic = topic_of(match.group("topic"), max_words=4)
            if topic:
                pairs.append((topic, Decimal(match.group("num"))))
        readings.append(pairs)
    return max(readings, key=len)


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position)


def categories(text: str, total: Decimal | None) -> list[tuple[str, Decimal]]:
    """Hours per category: itemised lines are summed, whole-credit statements are not."""
    items: dict[int, list[tuple[str, Decimal]]] = {}   # line number -> what that line assigns
    whole: dict[str, Decimal] = {}

    def add_item(line: int, pairs: list[tuple[str, Decimal]]) -> None:
        if pairs and line not in items:
            items[line] = pairs

    for credit in find_credits(text):
        tail = _TAIL.match(text, credit.end)
        content = tail and (tail.group("paren") or tail.group("dash") or tail.group("phrase"))
        if content and re.search(r"\d", content):
            add_item(_line_of(text, credit.start), _pairs(content))
            continue
        topic = topic_of(content, max_words=4) if content else None
        topic = topic or topic_of(credit.modifiers, max_words=8)
        if topic:
            whole[topic] = max(whole.get(topic, Decimal(0)), credit.hours)
    for match in _TOPIC_LINE.finditer(text):
        value = match.group("value")
        inline = find_credits(value)
        topic = topic_of(re.split(r"\(|\s-\s|\d", value)[0], max_words=6)
        named = {topic_of(part) for part in re.split(r"[,;/]", value)} - {None}
        if topic and inline:
            add_item(_line_of(text, match.start("value")), [(topic, inline[0].hours)])
        elif topic and total is not None and len(named) == 1:  # "Content area: Supervision" -> all of it
            whole[topic] = max(whole.get(topic, Decimal(0)), total)
    for pattern in (_ITEM_LINE, _COLUMN_ROW):
        for match in pattern.finditer(text):
            if _NOT_A_TOPIC.match(match.group("topic")):
                continue
            topic = topic_of(match.group("topic"), max_words=6 if pattern is _ITEM_LINE else 4)
            if topic:
                add_item(_line_of(text, match.start("num")), [(topic, Decimal(match.group("num")))])

    summed: dict[str, Decimal] = {}
    for pairs in items.values():
        for name, hours in pairs:
            summed[name] = summed.get(name, Decimal(0)) + hours
    for name, hours in whole.items():
        summed.setdefault(name, hours)
    limit = total if total is not None else Decimal(100)
    return [(name, hours) for name, hours in summed.items() if Decimal(0) < hours <= limit]
