"""Builds catalog.yaml from the CE research: python -m app.licenses.build_catalog [--research P].

The app reads only the committed catalog.yaml; this script is run by hand when the research
changes, and its output is reviewed in the diff. It keeps every medium or high confidence
entry, leaves out low confidence ones (listed in the file), copies the research's own words
next to each structured reading, and stops on any wording its tables do not know.
"""
from __future__ import annotations

import argparse
import re
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from app.licenses import research_terms as terms
from app.licenses.rules import (
    CarryOver,
    Certainty,
    CycleRule,
    FirstRenewal,
    FormatCap,
    Frequency,
    LiveMinimum,
    ProviderMinimum,
    RuleSet,
    TopicRequirement,
)
from app.licenses.topics import LIVE_FORMATS

# The research the catalog is built from: a copy of ../shared/research/ce-requirements.yaml, kept
# beside the catalog so that every checkout can rebuild and check it.
RESEARCH = Path(__file__).with_name("research") / "ce-requirements.yaml"
SHARED_RESEARCH = Path(__file__).resolve().parents[3] / "shared" / "research" / "ce-requirements.yaml"
CATALOG = Path(__file__).with_name("catalog.yaml")
LOADED_CONFIDENCE = ("high", "medium-high", "medium")
LIMIT_KEYS = ("format", "max_hours", "min_hours", "note")


def read_research(path: Path) -> list[dict[str, Any]]:
    """The research entries, `<<: *anchor` merges resolved (PyYAML applies merge keys)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [dict(entry) for entry in data["entries"]]


def repair_limit(limit: dict[str, Any]) -> dict[str, Any]:
    """Rejoins a format name that YAML split at an unquoted comma in a flow mapping.

    `{format: Category I (formal, approved sponsor), min_hours: 20}` parses as the format
    "Category I (formal" plus a stray key "approved sponsor)" with no value.
    """
    stray = [key for key in limit if key not in LIMIT_KEYS]
    if not stray:
        return limit
    if any(limit[key] is not None for key in stray):
        raise ValueError(f"unexpected keys in format limit {limit}")
    repaired = {key: value for key, value in limit.items() if key in LIMIT_KEYS}
    repaired["format"] = ", ".join([str(limit["format"]), *map(str, stray)])
    return repaired


def split_license(raw: str) -> tuple[str, str]:
    """'LISW (Ohio's clinical SW license)' -> ('LISW', "Ohio's clinical SW license")."""
    match = re.fullmatch(r"(.+?)\s*\((.+)\)", raw)
    return (match[1], match[2]) if match else (raw, "")


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _hours(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def convert(entry: dict[str, Any], checked_on: date) -> RuleSet:
    """One research entry as a RuleSet, the research's words kept beside each reading."""
    state = entry["state"].split()[0]
    license_type, license_note = split_license(entry["license"])
    if state == "US":
        license_type, license_note = "NCC", "national certification by NBCC"
    slug = f"{state}-{license_type}".lower()
    title, profession = terms.LICENSE_TYPES[license_type]
    years = entry.get("cycle_years")
    total = _hours(entry["total_hours"])

    topics, provider = [], None
    for topic in entry.get("topics") or []:
        if topic["name"] in terms.PROVIDER_TOPICS:
            provider = _core_hours(slug, topic, entry)
        else:
            topics.append(interpret_topic(topic, years))
    if slug in terms.EXTRA_ONCE_TRAFFICKING:
        topics.append(TopicRequirement(
            key="human_trafficking", label="Human trafficking", topics=("human_trafficking",),
            hours=None, frequency=Frequency.ONCE, text=entry.get("notes", ""),
            interpretation=terms.MI_TRAFFICKING_NOTE))
    caps, live, limit_provider, per_day = interpret_limits(slug, entry)
    if limit_provider and provider:
        raise ValueError(f"{slug}: two provider minimums")

    kind, month, day, parity, certainty, ce_period = terms.DEADLINES[slug]
    cycle = CycleRule(years=years, deadline_kind=kind, deadline_month=month, deadline_day=day,
                      deadline_year_parity=parity, ce_period=ce_period, certainty=certainty,
                      text=entry["deadline_rule"])
    carried_max, carried_certainty, carried_reading = terms.CARRY_OVER[entry["carryover"]]
    first_kind, first_fields, first_certainty, first_reading = \
        terms.FIRST_RENEWAL[entry["first_renewal"]]
    if slug in terms.FIRST_RENEWAL_INFERRED:
        first_certainty = Certainty.INFERRED
    notes = "; ".join(filter(None, [license_note, entry.get("notes", ""),
                                    terms.DEADLINE_NOTES.get(slug, "")]))
    return RuleSet(
        slug=slug, state=state, profession=profession, license_type=license_type, title=title,
        cycle=cycle, total_hours=total, topics=tuple(topics), format_caps=tuple(caps),
        live_minimum=live, provider_minimum=limit_provider or provider,
        max_hours_per_day=per_day,
        carry_over=CarryOver(_hours(carried_max), carried_certainty, entry["carryover"],
                             carried_reading),
        first_renewal=FirstRenewal(kind=first_kind, certainty=first_certainty,
                                   text=entry["first_renewal"], interpretation=first_reading,
                                   **first_fields),
        approved_providers=entry.get("approved_providers", ""),
        sources=tuple(entry["sources"]), checked_on=checked_on,
        confidence=entry["confidence"], notes=notes)


def interpret_topic(topic: dict[str, Any], years: int | None) -> TopicRequirement:
    """Frequency, condition, formats, start date and certainty, read from the topic's notes."""
    name, notes = topic["name"], str(topic.get("notes") or "")
    hours = _hours(topic.get("hours"))
    readings = []
    frequency, every_n = Frequency.EVERY_CYCLE, None
    if match := re.search(r"every (\d+) years", notes):
        every_n = int(match[1]) // years
        if every_n * years != int(match[1]) or every_n < 2:
            raise ValueError(f"{name}: {match[0]} does not fit a {years}-year cycle")
        readings.append(f"Every {every_n} cycles ({match[1]} years).")
    elif match := re.search(r"every (\d+)(?:st|nd|rd|th) (?:biennium|renewal)", notes):
        every_n = int(match[1])
    elif re.search(r"(?<!call it )one-time|\bonce\b", notes):
        frequency = Frequency.ONCE
    if every_n:
        frequency = Frequency.EVERY_NTH_CYCLE
    per_year = "per year" in notes and years is None
    if "per year" in notes and years is not None:
        readings.append(f"1 h per year x {years} years = {hours} h per cycle.")
    condition = next((text for pattern, text in terms.CONDITIONS if re.search(pattern, notes)),
                     None)
    formats = LIVE_FORMATS if re.search(r"synchronous only|in-person or synchronous",
                                        notes) else ()
    applies_from, basis = None, "deadline"
    if match := re.search(r"(?:from|since|on/after|renewal ending) (\d{4}-\d{2}-\d{2})", notes):
        applies_from = date.fromisoformat(match[1])
        basis = "cycle_start" if re.search(r"periods? starting", notes) else "deadline"
    if hours is None and re.search(r"not found|not confirmed", notes):
        certainty = Certainty.NOT_FOUND
    elif "inferred" in notes:
        certainty = Certainty.INFERRED
    elif re.search(r"other sources call it|CONFLICT", notes):
        certainty = Certainty.CONFLICTING
    else:
        certainty = Certainty.STATED
    if hours is None and certainty is Certainty.STATED:
        readings.append("A course is required but no hours are set: any hours on it meet it.")
    return TopicRequirement(
        key=slugify(name), label=_sentence(name), topics=terms.TOPIC_KEYS[name], hours=hours,
        frequency=frequency, every_n_cycles=every_n, per_year=per_year, condition=condition,
        formats=formats, applies_from=applies_from, applies_from_basis=basis,
        certainty=certainty, text=notes, interpretation=" ".join(readings))


def interpret_limits(slug: str, entry: dict[str, Any]):
    """Format limits as caps, a live minimum, a provider minimum and a per-day limit."""
    caps, live, provider, per_day = [], None, None, None
    for limit in map(repair_limit, entry.get("format_limits") or []):
        name, note = limit["format"], str(limit.get("note") or "")
        role, formats, reading = terms.FORMAT_LIMITS[name]
        text = _limit_text(limit)
        certainty = Certainty.CONFLICTING if "CONFLICT" in note else Certainty.STATED
        if role == "live":
            if limit.get("min_hours") is None:
                certainty = Certainty.NOT_FOUND
            live = LiveMinimum(label="Live (in person or live online)",
                               min_hours=_hours(limit.get("min_hours")), certainty=certainty,
                               text=text, interpretation=reading)
        elif role == "provider":
            share = re.search(r">=\s*50%|at least half",
                              note + " " + entry.get("approved_providers", ""))
            bodies, complete, bodies_reading = terms.PROVIDER_BODIES.get(slug, ((), False, ""))
            provider = ProviderMinimum(
                label=f"From {name}", min_hours=_hours(limit.get("min_hours")),
                min_share=Decimal("0.5") if share else None, approval_bodies=bodies,
                bodies_complete=complete, certainty=certainty, text=text,
                interpretation=bodies_reading or "The list of bodies is not in the research: "
                                                 "check your certificates against it.")
        else:
            if role == "daily":
                per_day = _hours(limit.get("max_hours"))
                reading = f"Applied: at most {per_day} h count per day."
            elif certainty is Certainty.CONFLICTING and limit.get("max_hours") is None:
                reading = "Sources disagree; no cap is applied. " + reading
            caps.append(FormatCap(label=_sentence(name), formats=formats,
                                  max_hours=_hours(limit.get("max_hours")),
                                  certainty=certainty, text=text, interpretation=reading))
    return caps, live, provider, per_day


def _core_hours(slug: str, topic: dict[str, Any], entry: dict[str, Any]) -> ProviderMinimum:
    """Georgia's 'core hours' depend on who offers the course, so they are a provider rule."""
    bodies, complete, reading = terms.PROVIDER_BODIES.get(
        slug, ((), False, ("Georgia counts 'core' hours by who offers them; the list for this "
                          "license is not in the research.")))
    return ProviderMinimum(
        label="Core hours (from core providers)", min_hours=_hours(topic["hours"]),
        approval_bodies=bodies, bodies_complete=complete,
        text=f"core hours: {topic['hours']} h ({topic.get('notes', '')}); "
             f"providers: {entry.get('approved_providers', '')}",
        interpretation=reading)


def _limit_text(limit: dict[str, Any]) -> str:
    parts = [str(limit["format"])]
    if limit.get("max_hours") is not None:
        parts.append(f"max {limit['max_hours']} h")
    if limit.get("min_hours") is not None:
        parts.append(f"min {limit['min_hours']} h")
    if "max_hours" in limit and limit["max_hours"] is None and "min_hours" not in limit:
        parts.append("no maximum")
    if limit.get("note"):
        parts.append(str(limit["note"]))
    return "; ".join(parts)


def build(research: Path, checked_on: date) -> dict[str, Any]:
    """The catalog document: rule sets plus the research entries left out and why."""
    rule_sets, left_out = [], []
    for entry in read_research(research):
        if entry.get("confidence") in LOADED_CONFIDENCE:
            rule_sets.append(convert(entry, checked_on))
        else:
            left_out.append({"state": entry["state"], "license": entry["license"],
                             "confidence": entry.get("confidence"),
                             "reason": "low confidence in the research; not loaded"})
    slugs = [rule_set.slug for rule_set in rule_sets]
    if len(set(slugs)) != len(slugs):
        raise ValueError(f"slugs repeat: {slugs}")
    rule_sets.sort(key=lambda r: (r.state, r.title))
    return {"generated_from": research.name, "checked_on": checked_on.isoformat(),
            "checked_on_basis": "date of the research file; the research states no per-entry "
                                "check date",
            "left_out": left_out, "rule_sets": [rule_set.to_dict() for rule_set in rule_sets]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--research", type=Path, default=RESEARCH)
    parser.add_argument("--out", type=Path, default=CATALOG)
    parser.add_argument("--checked-on", type=date.fromisoformat,
                        help="date the research was checked (default: the file's date)")
    args = parser.parse_args(argv)
    checked_on = args.checked_on or datetime.fromtimestamp(
        args.research.stat().st_mtime, tz=UTC).date()
    document = build(args.research, checked_on)
    header = ("# Generated by app/licenses/build_catalog.py from the CE research: do not edit "
              "by hand.\n# Hours are text so they stay exact Decimals. `text` fields are the "
              "research's own words.\n")
    args.out.write_text(header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True,
                                                width=100), encoding="utf-8")
    print(f"{len(document['rule_sets'])} rule sets written to {args.out}; "
          f"{len(document['left_out'])} left out", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
