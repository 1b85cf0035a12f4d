"""Find the title, the provider and the participant.

Each field is tried from the most explicit evidence to the least: a printed
label ("Course:", "Participant:"), then the certificate's set phrases ("This
certifies that ... has completed ..."), then the approval statement's subject
("X is approved by ..."), and last the layout (letterhead, standalone lines).
"""

from __future__ import annotations

import re
from collections import Counter

from .local_approval import BODY_CUES

_KINDS = (r"(?:course|program|programme|activity|event|workshop|webinar|session|training|presentation"
          r"|seminar|module|conference)")
_TITLE_LABEL = re.compile(
    rf"^(?P<indent>\s*)(?:{_KINDS}(?:\s+(?:title|name))?|title(?:\s+of\s+(?:the\s+)?{_KINDS})?"
    rf"|name\s+of\s+(?:the\s+)?{_KINDS}|(?:you\s+(?:have\s+)?)?completed)\s*:\s*(?P<value>\S.*)$",
    re.IGNORECASE | re.MULTILINE)
_LABEL_START = re.compile(r"^\s*[A-Za-z][\w /()#.-]{0,30}:\s")
_PROVIDER_LABEL = re.compile(
    r"^\s*(?:provider|provided\s+by|sponsor(?:ed\s+by)?|offered\s+by|issued\s+by|hosted\s+by"
    r"|organi[sz]ation)(?:\s+name)?\s*:\s*(?P<value>\S.*)$", re.IGNORECASE | re.MULTILINE)
_COMPLETED = re.compile(r"(?:^\s*|\b(?:has|have|had|who|and|successfully)\s+(?:\w+\s+)?)"
                        r"(?:completed|attended|participated\s+in|finished)\b(?P<rest>[^:]*)$", re.IGNORECASE)
_INLINE_QUOTE = re.compile(r"\"(?P<value>[^\"\n]{4,200})\"")
_QUOTED = re.compile(r"^\s*\"(?P<value>[^\"]{4,200})\"[.,]?\s*$")
_EVENT = re.compile(r"\b(?:conference|symposium|summit|convention|annual\s+meeting|congress)\b", re.IGNORECASE)
_HEADING = re.compile(r"^\s*(?:certificate|certification|certifies|this\s+certifies|statement\s+of|record\s+of"
                      r"|transcript|receipt|verification|award|letter\s+of)\b", re.IGNORECASE)
_LEARNER = r"(?:participant|attendee|learner|licensee|student|recipient|nurse|pharmacist|counselor|clinician)"
_PERSON_LABEL = re.compile(
    rf"^\s*(?:{_LEARNER}(?:'s)?(?:\s+(?:full\s+)?name)?|(?:full\s+)?name(?:\s+of\s+{_LEARNER})?"
    r"|(?:awarded|presented|issued)\s+to|[A-Z]{2,4}\s+name|certificate\s+holder)"
    r"\s*:\s*(?P<value>\S.*)$", re.IGNORECASE | re.MULTILINE)
_CERTIFY = re.compile(r"\b(?:certif(?:y|ies)\s+that|be\s+it\s+known\s+that|presented\s+to|awarded\s+to"
                      r"|(?:acknowledges|confirms|verifies|recogni[sz]es|attests)\s+that"
                      r"|this\s+is\s+to\s+recogni[sz]e|congratulations)\b[:,]?\s*(?P<rest>.*)$", re.IGNORECASE)
_HONORIFIC = re.compile(r"^(?:dr|mr|mrs|ms|mx|miss|prof)\.?\s+", re.IGNORECASE)
_CREDENTIAL = re.compile(r"^(?:[A-Z]{2,6}(?:-[A-Z]{1,3})?|PhD|PsyD|PharmD|EdD|DSW|DrPH|MEd|MA|MS|MSc|MBA|Jr|Sr"
                         r"|Ph\.D\.|Psy\.D\.|Ed\.D\.|M\.A\.|M\.S\.)\.?$")
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?:['’.-][^\W\d_]*)*\.?$")
_ROLE_WORDS = re.compile(r"\b(?:director|coordinator|presenter|instructor|office|signature|chair|administrator"
                         r"|department|center|centre|institute|association|training|education|program|date"
                         r"|manager|representative|dean|president|board|certificate|completion|attendance"
                         r"|university|college|hospital|clinic|services|group|academy)\b", re.IGNORECASE)
_SIGNER = re.compile(r"\b(?:director|coordinator|presenter|instructor|signature|chair|administrator|manager"
                     r"|representative|dean|president|registrar)\b", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"^(?:participant|attendee|learner|name|first\s+last|full\s+name|your\s+name)"
                          r"(?:\s+name)?$|[\[\]{}<>_]", re.IGNORECASE)
_STATEMENT_VERB = re.compile(
    r"(?:,\s*(?:provider\s*)?(?:#|No\.?|Number)\s*[\w-]+,)?\s+(?:is\s+(?:an?\s+)?(?:approved|accredited"
    r"|recogni[sz]ed|authorized|solely\s+responsible)|has\s+been\s+(?:approved|accredited|recogni[sz]ed)"
    r"|maintains\s+responsibility|awards\s+(?:CEUs|credit|contact)|provider\s+(?:approval|number|#|No\b))")
_ORG = re.compile(r"(?P<org>[A-Z][\w&'.-]*(?:,?\s+(?:[A-Z][\w&'.-]*|of|for|and|the|in|on|at|de|&)){1,10}?)"
                  + _STATEMENT_VERB.pattern)
_NOT_ORG = re.compile(r"^(?:this|the\s+(?:program|course|activity|event)|provider|course|program|programs"
                      r"|organizations|it|we|our|regulatory|state|each|all)\b", re.IGNORECASE)
_ID_LINE = re.compile(r"#|\b(?:licen[cs]e|credential|ID|No\.|number|verif\w*|certificate)\b", re.IGNORECASE)
_PARTICLES = frozenset((
    "de", "da", "del", "della", "di", "du", "la", "le", "van", "von", "der", "den", "bin", "al",
))
_ABBREVIATIONS = frozenset(("Inc", "Corp", "Assoc", "Dept", "Univ", "Intl"))
_LICENCE = re.compile(r"\b(?:licen[cs]e|credential)", re.IGNORECASE)
_CONNECTORS = frozenset((
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with",
    "vs", "via", "after", "before", "into",
))


def _nonblank_after(lines: list[str], index: int) -> tuple[int, str] | None:
    for j in range(index + 1, min(len(lines), index + 6)):
        if lines[j].strip():
            return j, lines[j].strip()
    return None


def _first_column(value: str) -> str:
    return re.split(r"\s{3,}|\s\|\s|\t", value.strip())[0].strip()


def _tidy_title(value: str) -> str | None:
    value = _first_column(value).strip().strip('"').strip()
    value = re.sub(r"\s+", " ", value).rstrip(" .,;")
    return value if len(value) >= 4 and re.search(r"[A-Za-z]{3}", value) else None


def _starts_with_any(candidate: str, prefixes: set[str]) -> bool:
    return any(p and candidate.lower().startswith(p.lower()) for p in prefixes)


def _looks_like_title(line: str) -> bool:
    words = re.findall(r"[A-Za-z][\w'&/-]*", line)
    if len(words) < 3 or len(words) > 30 or line.rstrip().endswith((".", ",")) or ":" in line[-2:]:
        return False
    if re.match(r"^\s*(?:on|held|at|for|and|has|have|was|with|date)\b", line, re.IGNORECASE):
        return False
    content = [w for w in words if w.lower() not in _CONNECTORS]
    capitalised = sum(1 for w in content if w[0].isupper())
    return bool(content) and capitalised / len(content) >= 0.8


def find_title(lines: list[str], exclude: set[str]) -> tuple[str | None, float]:
    """The course or event title, and how sure the rule that found it is."""
    text = "\n".join(lines)
    for label in _TITLE_LABEL.finditer(text):
        value = _first_column(label.group("value"))
        if not _tidy_title(value) or re.match(r"^[\d/.\s-]+$|^\w+\.? \d", value):
            continue  # "Completed: 03/14/2025" is a date, not a title
        index = text.count("\n", 0, label.start("value"))
        nxt = lines[index + 1] if index + 1 < len(lines) else ""
        indent = len(nxt) - len(nxt.lstrip())
        if nxt.strip() and indent > len(label.group("indent")) + 4 and not _LABEL_START.match(nxt):
            value = value + " " + _first_column(nxt)  # a long title wrapped onto an indented line
        return _tidy_title(value), 0.9
    for i, line in enumerate(lines):
        completed = _COMPLETED.search(line)
        rest = completed.group("rest") if completed else ""
        if not completed or len(rest.split()) > 8 or re.search(r"\d", rest):
            continue  # "completed the live webinar" introduces the title; "completed on 5/1" does not
        after = _nonblank_after(lines, i)
        if after and (after[1].startswith('"') or _looks_like_title(after[1])):
            return _tidy_title(after[1]), 0.8
    for line in lines:
        quoted = _QUOTED.match(line) or _INLINE_QUOTE.search(line)
        if quoted and _looks_like_title(quoted.group("value")):
            return _tidy_title(quoted.group("value")), 0.7
    for line in lines[:12]:
        head = _first_column(line)  # "April 24-26 | Harbor Conference Hotel" is a venue, not a title
        if (_EVENT.search(head) and _looks_like_title(head) and not _starts_with_any(head, exclude)
                and not _HEADING.match(head) and not _LABEL_START.match(head)):
            return _tidy_title(head), 0.6
    candidates = []
    for i, line in enumerate(lines):
        candidate = _first_column(line)
        if (_looks_like_title(candidate) and not _starts_with_any(candidate, exclude)
                and not _HEADING.match(candidate) and not _ID_LINE.search(candidate)
                and not _LABEL_START.match(candidate) and not _SIGNER.search(candidate)):
            alone = not any(x.strip() for x in lines[max(0, i - 1):i] + lines[i + 1:i + 2])
            candidates.append((not alone, i, candidate))
    if candidates:
        return _tidy_title(min(candidates)[2]), 0.5
    return None, 0.0


def clean_name(raw: str) -> str | None:
    """'Dr. Jane Q. Doe, LCSW (License #123)' -> 'Jane Q. Doe'; None when it is no name."""
    value = _first_column(raw)
    value = re.split(r"\(|,|\s[-|/]\s|\s#", value)[0].strip()
    value = _HONORIFIC.sub("", value)
    words = value.split()
    for i, word in enumerate(words):
        if i >= 2 and word[0].islower() and word not in _PARTICLES:
            words = words[:i]  # "Kim Tran for attending the workshop" -> "Kim Tran"
            break
    words = [w.rstrip("!?:;") for w in words]
    if words and not all(w.isupper() for w in words):
        while len(words) > 1 and _CREDENTIAL.match(words[-1]):
            words.pop()
    value = " ".join(words)
    if not words or len(words) > 5 or _PLACEHOLDER.search(value) or re.search(r"\d", value):
        return None
    if not all(_NAME_WORD.match(w) and (w[0].isupper() or w in _PARTICLES) for w in words):
        return None
    if sum(w[0].isupper() for w in words) < 2:
        return None
    return value


def find_participant(lines: list[str], exclude: set[str]) -> tuple[str | None, float]:
    """The learner's name without credentials."""
    text = "\n".join(lines)
    for match in _PERSON_LABEL.finditer(text):
        name = clean_name(match.group("value"))
        if name:
            return name, 0.9
    for i, line in enumerate(lines):
        certify = _CERTIFY.search(line)
        if not certify:
            continue
        rest = certify.group("rest").strip()
        candidate = rest if rest else (_nonblank_after(lines, i) or (0, ""))[1]
        name = clean_name(candidate)
        if name:
            return name, 0.85
    lowered = {e.lower() for e in exclude}
    for i, line in enumerate(lines[:20]):
        candidate = _first_column(line)
        if candidate.lower() in lowered or _ROLE_WORDS.search(candidate) or _HEADING.match(candidate):
            continue
        after = _nonblank_after(lines, i)
        if after and _ROLE_WORDS.search(after[1]) and not _LICENCE.search(after[1]):
            continue  # a signature block: name above a role
        name = clean_name(candidate)
        if name and len(name.split()) >= 2 and name == candidate.split(",")[0].strip():
            return name, 0.5
    return None, 0.0


def _last_sentence(words: str) -> str:
    """'Sciences. Acme Training Group' -> 'Acme Training Group' (but 'Acme Co. Training' stays)."""
    parts = re.split(r"(?<=\.)\s+", words)
    for i in range(len(parts) - 1, 0, -1):
        last_word = parts[i - 1].split()[-1].rstrip(".")
        if len(last_word) > 3 and last_word not in _ABBREVIATIONS:
            return " ".join(parts[i:])
    return words


def _mixed_case(text: str, name: str) -> str:
    """Prefer how the name is printed in running text over a letterhead in capitals."""
    if not name.isupper():
        return name
    pattern = re.compile(r"\s+".join(re.escape(part) for part in name.split()), re.IGNORECASE)
    for match in pattern.finditer(text):
        if not match.group(0).isupper():
            return re.sub(r"\s+", " ", match.group(0))
    return name


def find_provider(lines: list[str], blocks: list[tuple[int, int]]) -> tuple[str | None, float]:
    """The issuing organisation: the subject of its approval statement, else the letterhead."""
    text = "\n".join(lines)
    label = _PROVIDER_LABEL.search(text)
    if label and len(_first_column(label.group("value")).split()) >= 2:
        return _first_column(label.group("value")).rstrip(" ."), 0.9
    orgs: Counter[str] = Counter()
    for first, last in blocks:
        flat, line_starts = "", []
        for line in lines[first:last]:
            line_starts.append(len(flat))
            flat += line.strip() + " "
        sentence_starts = [m.end() for m in re.finditer(r"[.:;]\s+", flat)]
        by_verb: dict[int, str] = {}  # one subject per statement: the shortest reading that is a name
        for start in line_starts + sentence_starts:
            match = _ORG.match(flat, start)
            org = _last_sentence(match.group("org")).strip(" ,") if match else ""
            if (len(org.split()) < 2 or _NOT_ORG.match(org) or any(p.search(org) for _, p in BODY_CUES)
                    or len(org) >= len(by_verb.get(match.end("org"), org + " "))):
                continue
            by_verb[match.end("org")] = org
        orgs.update(by_verb.values())
    if orgs:
        return _mixed_case(text, orgs.most_common(1)[0][0]), 0.85
    for line in lines[:8]:
        candidate = _first_column(line)
        words = candidate.split()
        capitalised = sum(w[0].isupper() for w in words if w[0].isalpha())
        if (len(words) >= 2 and capitalised >= 2 and ":" not in candidate and not _HEADING.match(candidate)
                and not re.search(r"\d|@|www\.|https?:", candidate)):
            return _mixed_case(text, candidate), 0.6
    return None, 0.0
