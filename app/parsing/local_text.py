"""Clean certificate text before the local rules read it.

PDF extraction and OCR leave ligatures, running page headers, words split by a
stray space or a line-break hyphen, and letters read as digits (O/0, l/1).
Repairing these once, here, keeps every rule downstream simple. Lines that try
to give instructions to a reader are removed so that no rule ever acts on them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_REPLACEMENTS = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'",
    "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u202f": " ", "\t": "    ",
    "\u00ad": "", "\u200b": "", "\ufeff": "",
}
_PAGE_MARK = re.compile(r"\bpage\s+\d+\s*(?:of|/)\s*\d+\b", re.IGNORECASE)
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:instructions?|prompts?|rules|directions)\b"
    r"|\b(?:system|developer)\s+prompt\b"
    r"|\byou\s+are\s+(?:now\s+)?(?:an?|the)\s+(?:ai|assistant|model|language\s+model|chatbot)\b"
    r"|\bnew\s+instructions?\s*:"
    r"|\b(?:set|change|report|output|return|record)\s+(?:the\s+)?(?:hours|credits?|date|title|provider"
    r"|participant|name|approval|format)\s+(?:to|as)\b"
    r"|^\s*(?:assistant|system)\s*:",
    re.IGNORECASE,
)

# Words that certificates use, for repairing OCR damage: a token with a stray
# digit or a word broken by a space is fixed only when the repair is one of these.
_VOCABULARY = frozenset((
    "about", "accredited", "accreditation", "activity", "administrator", "approved", "approval",
    "assessment", "association", "attendance", "attended", "awarded", "behavioral", "board",
    "certificate", "certificates", "certificated", "certify", "certifies", "clinical", "clinician",
    "clinicians", "completed", "completion", "complete", "continuing", "contact", "counseling",
    "counselor", "counselors", "course", "credit", "credits", "date", "director", "education",
    "educational", "ethics", "hours", "identified", "instructor", "interactive", "learning",
    "license", "licensed", "live", "maintains", "nursing", "online", "participant", "presented",
    "presenter", "program", "programs", "provider", "psychological", "psychologists", "psychology",
    "qualify", "responsible", "responsibility", "seminar", "seminars", "session", "signature",
    "social", "sponsor", "statement", "successfully", "supervision", "therapy", "this", "training",
    "webinar", "workshop", "workers", "certification", "coordinator",
))
_COMMON = frozenset((
    "a", "an", "and", "as", "at", "be", "by", "for", "in", "is", "it", "of", "on", "or", "the",
    "to", "this", "that",
))
_WORD_WITH_DIGIT = re.compile(r"\b[A-Za-z]{2,}[01][A-Za-z]{2,}\b|\b[A-Za-z]{3,}[01][A-Za-z]\b")
_NUMERIC_TOKEN = re.compile(r"(?<![A-Za-z0-9])[0-9OolI]{1,4}(?:[/.-][0-9OolI]{1,4}){1,2}(?![A-Za-z0-9])"
                            r"|(?<![A-Za-z0-9])(?=[0-9OolI]*\d[0-9OolI]*\d)[0-9OolI]{3,}(?![A-Za-z0-9])")
_CAPS_WITH_L = re.compile(r"\b[A-Z]{2,}l[A-Z]+\b|\b[A-Z]+l[A-Z]{2,}\b")
_LINE_HYPHEN = re.compile(r"([A-Za-z]{3,})-$")


@dataclass
class CleanText:
    """Cleaned lines plus what was removed, so the caller can warn the user."""

    lines: list[str]
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def blocks(self) -> list[tuple[int, int]]:
        """Runs of non-blank lines as (first, last+1) line indexes."""
        found, start = [], None
        for i, line in enumerate(self.lines + [""]):
            blank = not re.search(r"[A-Za-z0-9]", line)
            if blank and start is not None:
                found.append((start, i))
                start = None
            elif not blank and start is None:
                start = i
        return found


def _fix_digit_in_word(match: re.Match[str]) -> str:
    """'cred1ts' -> 'credits'; an all-capitals token that is no known word stays (it is an ID)."""
    word = match.group(0)
    digit = "1" if "1" in word else "0"
    rest = word.replace(digit, "")
    letters = ("liLI" if digit == "1" else "oO") if not rest.isupper() else ("ILil" if digit == "1" else "Oo")
    for letter in letters:
        candidate = word.replace(digit, letter)
        if candidate.lower() in _VOCABULARY:
            return candidate
    if rest.isupper() or len(rest) < 5:
        return word
    return word.replace(digit, "l" if digit == "1" else "o")


def _fix_numeric(match: re.Match[str]) -> str:
    token = match.group(0)
    digits = sum(ch.isdigit() for ch in token)
    if digits == 0 or digits < sum(ch in "OolI" for ch in token):
        return token
    return token.translate(str.maketrans("OolI", "0011"))


def _join_split_words(line: str) -> str:
    """'comp leted' -> 'completed', but only into a known word and never two real words."""
    parts = re.split(r"( )", line)
    out: list[str] = []
    for part in parts:
        if (part.isalpha() and len(out) >= 2 and out[-1] == " " and out[-2].isalpha()
                and len(out[-2]) >= 2 and len(part) >= 2):
            left, joined = out[-2], out[-2] + part
            known = _VOCABULARY | _COMMON
            if joined.lower() in _VOCABULARY and not (left.lower() in known and part.lower() in known):
                out[-2:] = [joined]
                continue
        out.append(part)
    return "".join(out)


def _dehyphenate(lines: list[str]) -> list[str]:
    """Move the tail of a word broken at a line end back onto its first half."""
    lines = list(lines)
    for i in range(len(lines) - 1):
        match = _LINE_HYPHEN.search(lines[i].rstrip())
        nxt = lines[i + 1].lstrip()
        tail = re.match(r"([a-z]+)([.,;:]?)(?:\s+|$)", nxt)
        if match and tail:
            lines[i] = lines[i].rstrip()[:-1] + tail.group(1) + tail.group(2)
            lines[i + 1] = nxt[tail.end():]
    return lines


def _single_spaced(lines: list[str]) -> list[str]:
    """Undo double spacing: when every line is followed by a blank one, paragraphs are the longer gaps."""
    gaps, run, seen_text = [], 0, False
    for line in lines:
        if line.strip():
            if seen_text:
                gaps.append(run)
            seen_text, run = True, 0
        else:
            run += 1
    shift = min(gaps) if len(gaps) >= 4 else 0
    if shift == 0:
        return lines
    result, run = [], 0
    for line in lines:
        if line.strip():
            result.extend([""] * max(0, run - shift))
            result.append(line)
            run = 0
        else:
            run += 1
    return result


def clean(text: str) -> CleanText:
    """Normalise characters, drop page furniture and injected instructions, repair OCR damage."""
    for old, new in _REPLACEMENTS.items():
        text = text.replace(old, new)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    kept: list[str] = []
    warnings: list[str] = []
    for raw in text.split("\n"):
        line = raw.rstrip()
        if _PAGE_MARK.search(line) and len(line) < 120:
            continue
        if _INJECTION.search(line):
            if not warnings:
                warnings.append("Ignored text on the certificate that looked like an instruction "
                                "rather than certificate content.")
            continue
        line = _NUMERIC_TOKEN.sub(_fix_numeric, line)
        line = _WORD_WITH_DIGIT.sub(_fix_digit_in_word, line)
        line = _CAPS_WITH_L.sub(lambda m: m.group(0).replace("l", "I"), line)
        kept.append(_join_split_words(line))
    return CleanText(lines=_dehyphenate(_single_spaced(kept)), warnings=warnings)
