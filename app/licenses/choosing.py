"""Which rule set a license form shows, and the values it starts with.

The form is two steps that also work as one page: pick a rule set (a plain GET), then fill
in the license with that rule set's figures ready to adjust. With htmx, picking swaps the
form in place and keeps what the user already typed, except fields still holding the
previous rule set's defaults.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.licenses.catalog import load_catalog
from app.licenses.editing import CUSTOM
from app.licenses.models import License
from app.licenses.rules import RuleSet
from app.licenses.standing import current_cycle, rule_set_of
from app.licenses.states import state_name

BLANK_CUSTOM_ROWS = 3
DETAIL_FIELDS = ("profession", "credential", "issuing_body", "license_number")
DATE_FIELDS = ("licensed_on", "cycle_start", "renewal_deadline")


@dataclass(frozen=True)
class Choice:
    value: str  # a catalog slug or "custom"
    base: RuleSet | None  # what adjustments are compared with; None for a custom rule set
    current: RuleSet | None  # the figures the form starts from (a license's stored rules when it has them)

    @property
    def custom(self) -> bool:
        return self.value == CUSTOM


def resolve_choice(value: str | None, license: License | None = None) -> Choice | None:
    """The chosen rule set; None when the value names none (the form says so)."""
    value = (value or "").strip()
    if not value:
        return None
    stored = rule_set_of(license) if license is not None and license.rules else None
    if value == CUSTOM:
        keep = stored if license is not None and license.rule_set_slug is None else None
        return Choice(CUSTOM, None, keep)
    base = load_catalog().get(value)
    same = stored if license is not None and license.rule_set_slug == value else None
    if base is None:
        base = same  # a catalog entry gone since the license was saved: its stored rules stand
    if base is None:
        return None
    return Choice(value, base, same or base)


def initial_choice(license: License | None) -> str:
    if license is None:
        return ""
    return license.rule_set_slug or CUSTOM


def catalog_groups() -> list[tuple[str, list[RuleSet]]]:
    """Rule sets grouped by state name for an <optgroup> select; national certifications last."""
    groups: dict[str, list[RuleSet]] = {}
    for rule_set in load_catalog().all():
        groups.setdefault(rule_set.state, []).append(rule_set)
    order = sorted(groups, key=lambda code: (code == "US", state_name(code)))
    return [(state_name(code), sorted(groups[code], key=lambda r: r.license_type)) for code in order]


def detail_defaults(choice: Choice | None) -> dict[str, str]:
    """What a rule set fills in for a new license."""
    if choice is None or choice.base is None:
        return {}
    base = choice.base
    return {"profession": base.title, "credential": base.license_type,
            "issuing_body": state_name(base.state) if base.state != "US" else ""}


def form_data(choice: Choice, license: License | None, today: date) -> dict:
    """The form's starting values: the license's own, then the rule set's figures."""
    data: dict = {"rule_set": choice.value, "defaults_from": choice.value, "first_renewal": "no"}
    if license is None:
        data.update(detail_defaults(choice))
    else:
        row = current_cycle(license)
        data.update(profession=license.profession, credential=license.credential,
                    issuing_body=license.issuing_body, license_number=license.license_number,
                    licensed_on=license.licensed_on)
        if row is not None:
            data.update(cycle_start=row.cycle_start, renewal_deadline=row.renewal_deadline,
                        first_renewal="yes" if row.is_first_renewal else "no")
    applies = set(license.applicable_conditions or ()) if license is not None else set()
    data.update(requirement_data(choice, applies, done_before_of(license)))
    return data


def done_before_of(license: License | None) -> set[str]:
    """Requirement keys the license's current cycle records as met in an earlier cycle."""
    row = current_cycle(license) if license is not None else None
    if row is None:
        return set()
    return {key for key, number in (row.last_met_cycle or {}).items() if number < row.cycle_number}


def requirement_data(choice: Choice, applies: set[str], done_before: set[str] = frozenset()) -> dict:
    rules = choice.current
    if rules is None:  # a new custom rule set
        return {"total_hours": None, "topics": [{} for _ in range(BLANK_CUSTOM_ROWS + 1)]}
    data = {"total_hours": rules.total_hours, "cycle_years": rules.cycle.years,
            "carry_over": rules.carry_over.max_hours}
    if not choice.custom:
        data["topics"] = [{"key": r.key, "hours": r.hours, "applies": r.key in applies,
                           "done_before": r.key in done_before} for r in rules.topics]
        return data
    cap = next((c for c in rules.format_caps if tuple(c.formats) == ("self_study",)), None)
    data.update(field_of_practice=rules.profession, self_study_cap=cap.max_hours if cap else None,
                live_minimum=rules.live_minimum.min_hours if rules.live_minimum else None,
                topics=[{"topic": r.topics[0], "hours": r.hours} for r in rules.topics]
                + [{} for _ in range(BLANK_CUSTOM_ROWS)])
    return data


def overlay_typed(data: dict, args, previous: Choice | None) -> dict:
    """Keeps what the user typed before picking another rule set (htmx swap of the form).

    A detail still equal to the previous rule set's default is replaced by the new one's.
    Unparseable dates are dropped rather than shown as errors on a form not yet submitted.
    """
    old_defaults = detail_defaults(previous)
    for name in DETAIL_FIELDS:
        if name not in args:
            continue
        value = (args.get(name) or "").strip()
        if value and value != old_defaults.get(name):
            data[name] = value
    for name in DATE_FIELDS:
        if name in args:
            data[name] = parse_date(args.get(name))
    if args.get("first_renewal") in ("yes", "no"):
        data["first_renewal"] = args["first_renewal"]
    return data


def parse_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def topic_rows_from(requirements: RuleSet | None) -> dict:
    """Requirement key -> requirement, for labelling catalog rows."""
    return {r.key: r for r in requirements.topics} if requirements else {}
