"""The catalog: every usable research entry loaded, its sources and doubts kept, storable."""
from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from app.licenses import build_catalog
from app.licenses.catalog import CATALOG_PATH, load_catalog, read_catalog
from app.licenses.rules import (
    Certainty,
    FirstRenewalKind,
    Origin,
    RuleSet,
    TopicRequirement,
    custom_rule_set,
)
from app.licenses.topics import FORMATS, TOPICS

RESEARCH = build_catalog.RESEARCH
needs_research = pytest.mark.skipif(not RESEARCH.exists(),
                                    reason=f"research file {RESEARCH} not on this machine")
CATALOG = load_catalog()


def test_catalog_holds_48_rule_sets_and_names_the_one_left_out():
    assert len(CATALOG.all()) == 48
    assert [(o.state, o.license, o.confidence) for o in CATALOG.left_out] == [
        ("VA", "LMFT", "low")]


@needs_research
@pytest.mark.skipif(not build_catalog.SHARED_RESEARCH.exists(), reason="no shared research folder beside the checkout")
def test_the_research_copy_is_the_shared_research():
    assert RESEARCH.read_bytes() == build_catalog.SHARED_RESEARCH.read_bytes()


def test_every_medium_or_high_research_entry_is_loaded():
    research = build_catalog.read_research(RESEARCH)
    usable = [e for e in research if e["confidence"] in ("high", "medium-high", "medium")]
    low = [e for e in research if e not in usable]
    loaded = {(r.state, r.license_type) for r in CATALOG.all()}
    for entry in usable:
        state = entry["state"].split()[0]
        license_type = build_catalog.split_license(entry["license"])[0]
        license_type = "NCC" if state == "US" else license_type
        assert (state, license_type) in loaded, entry["license"]
    assert len(usable) == len(CATALOG.all())
    assert [(e["state"], e["license"]) for e in low] == [
        (o.state, o.license) for o in CATALOG.left_out]


@needs_research
def test_committed_catalog_is_what_the_converter_builds_from_the_research(tmp_path: Path):
    out = tmp_path / "catalog.yaml"
    build_catalog.main(["--research", str(RESEARCH), "--out", str(out),
                        "--checked-on", CATALOG.checked_on.isoformat()])
    assert out.read_text(encoding="utf-8") == CATALOG_PATH.read_text(encoding="utf-8")


@pytest.mark.parametrize("rule_set", CATALOG.all(), ids=lambda r: r.slug)
def test_each_rule_set_keeps_dated_sources_checked_date_and_confidence(rule_set: RuleSet):
    assert rule_set.sources
    for source in rule_set.sources:
        # Every source says the date its page states, or "undated"/"old".
        assert re.search(r"\(.*(\d{4}|undated|old).*\)\s*$", source), source
    assert rule_set.checked_on == date(2026, 12, 4)
    assert rule_set.confidence in ("high", "medium-high", "medium")
    assert rule_set.origin is Origin.CATALOG
    assert rule_set.cycle.text and rule_set.carry_over.text and rule_set.first_renewal.text


def test_catalog_is_sorted_by_state_then_title_and_searchable():
    keys = [(r.state, r.title) for r in CATALOG.all()]
    assert keys == sorted(keys)
    assert [r.slug for r in CATALOG.search(state="tx", profession="counselor")] == ["tx-lpc"]
    assert {r.profession for r in CATALOG.search(text="psychologist")} == {"psychologist"}
    assert len(CATALOG.search(state="NY")) == 4
    assert CATALOG.get("tx-lpc").title == "Licensed Professional Counselor"
    assert CATALOG.get("no-such-license") is None


def _topic(slug: str, key: str) -> TopicRequirement:
    return CATALOG.get(slug).requirement(key)


@pytest.mark.parametrize(("slug", "fact", "certainty", "words"), [
    ("ca-psychologist", lambda r: r.cycle, Certainty.CONFLICTING, "conflict"),
    ("ga-psychologist", lambda r: r.format_caps[0], Certainty.CONFLICTING,
     "CONFLICT: 2021 source said 10"),
    ("il-lcpc", lambda r: r.format_caps[0], Certainty.CONFLICTING, "CONFLICT: old rule max 15"),
    ("il-lcsw", lambda r: r.format_caps[0], Certainty.CONFLICTING, "CE4Less"),
    ("mi-lmsw-clinical", lambda r: r.requirement("human_trafficking"), Certainty.CONFLICTING,
     "other sources call it one-time"),
    ("il-lmft", lambda r: r.requirement("ethics"), Certainty.NOT_FOUND, "not found"),
    ("us-ncc", lambda r: r.requirement("ethics"), Certainty.NOT_FOUND, "not found"),
    ("wa-psychologist", lambda r: r.requirement("health_equity"), Certainty.NOT_FOUND,
     "psychology rule not found"),
    ("ca-psychologist", lambda r: r.live_minimum, Certainty.NOT_FOUND, "not found"),
    ("tx-lpc", lambda r: r.cycle, Certainty.NOT_FOUND, "basis not confirmed"),
    ("tx-lpc", lambda r: r.first_renewal, Certainty.NOT_FOUND, "not found"),
    ("oh-lpcc", lambda r: r.carry_over, Certainty.NOT_FOUND, "not found"),
    ("wa-lmhc", lambda r: r.requirement("health_equity"), Certainty.INFERRED, "inferred"),
    ("pa-lpc", lambda r: r.first_renewal, Certainty.INFERRED, "stated for social workers"),
])
def test_conflicting_and_not_found_facts_are_kept_as_such(slug, fact, certainty, words):
    part = fact(CATALOG.get(slug))
    assert part.certainty is certainty
    assert words.lower() in part.text.lower()


def test_not_found_facts_are_never_filled_in():
    assert _topic("il-lmft", "ethics").hours is None
    assert CATALOG.get("oh-lpcc").carry_over.max_hours is None
    assert CATALOG.get("tx-lpc").first_renewal.kind is FirstRenewalKind.UNKNOWN
    assert CATALOG.get("mi-lpc").cycle.years is None
    assert not CATALOG.get("il-lcpc").format_caps[0].enforced  # conflicting, no value: no cap


def test_free_text_is_kept_next_to_the_structured_reading():
    tx = CATALOG.get("tx-lpc")
    assert tx.carry_over.text == "up to 10 unused hours to next period"
    assert tx.carry_over.max_hours == Decimal(10)
    assert tx.approved_providers == "at least half from providers listed in 22 TAC 681.140(f)"
    assert tx.notes == "older rule 681.142: 9 of 24 h face-to-face - superseded"
    assert _topic("tx-lpc", "ethics").text.startswith("passing TX jurisprudence exam")
    fl = CATALOG.get("fl-lcsw")
    assert fl.cycle.text == "fixed: March 31 of odd years"
    assert (fl.cycle.deadline_month, fl.cycle.deadline_day) == (3, 31)
    assert fl.first_renewal.kind is FirstRenewalKind.EXEMPT
    assert _topic("fl-lcsw", "domestic_violence").every_n_cycles == 3


def test_format_names_split_by_yaml_are_rejoined():
    assert CATALOG.get("va-lcsw").provider_minimum.label == \
        "From Category I (formal, approved sponsor)"
    labels = [cap.label for cap in CATALOG.get("wa-lmhc").format_caps]
    assert "Other (panels, research, peer consultation)" in labels


@pytest.mark.parametrize("rule_set", CATALOG.all(), ids=lambda r: r.slug)
def test_rule_set_round_trips_through_json(rule_set: RuleSet):
    stored = json.loads(json.dumps(rule_set.to_dict()))
    assert RuleSet.from_dict(stored) == rule_set


def test_a_users_adjusted_rule_set_round_trips_and_remembers_its_origin():
    tx = CATALOG.get("tx-lpc")
    adjusted = tx.with_changes(total_hours=Decimal(30),
                               provider_minimum=tx.provider_minimum.__class__(
                                   label="From listed providers", min_hours=Decimal(15),
                                   approval_bodies=("NBCC", "APA"), bodies_complete=True))
    assert (adjusted.origin, adjusted.based_on) == (Origin.ADJUSTED, "tx-lpc")
    assert adjusted.with_changes(notes="mine").based_on == "tx-lpc"
    assert RuleSet.from_dict(json.loads(json.dumps(adjusted.to_dict()))) == adjusted
    assert tx.total_hours == Decimal(24)  # the catalog entry itself is untouched


def test_a_custom_rule_set_round_trips():
    custom = custom_rule_set(slug="or-lpc-mine", state="OR", profession="counselor",
                             license_type="LPC", title="Licensed Professional Counselor",
                             total_hours=Decimal(40), cycle_years=2, topics=(
                                 TopicRequirement("ethics", "Ethics", ("ethics",), 6),))
    assert custom.origin is Origin.CUSTOM
    assert RuleSet.from_dict(json.loads(json.dumps(custom.to_dict()))) == custom


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.update(colour="blue"), "unknown field"),
    (lambda d: d.update(total_hours="lots"), "total_hours"),
    (lambda d: d["topics"][0].update(topics=["astrology"]), "unknown topic"),
    (lambda d: d["format_caps"][0].update(formats=["carrier_pigeon"]), "unknown format"),
    (lambda d: d.update(format_version=99), "format 99"),
    (lambda d: d["cycle"].update(deadline_kind="whenever"), "deadline_kind"),
    (lambda d: d.pop("title"), "missing field 'title'"),
    (lambda d: d.update(checked_on="yesterday"), "YYYY-MM-DD"),
])
def test_bad_stored_rule_sets_are_refused_with_the_field_named(change, message):
    data = CATALOG.get("tx-lpc").to_dict()
    change(data)
    with pytest.raises(ValueError, match=message):
        RuleSet.from_dict(data)


def test_hours_are_exact_decimals_in_storage():
    data = CATALOG.get("va-psychologist").to_dict()
    assert data["topics"][0]["hours"] == "1.5"
    assert CATALOG.get("mi-lmsw-clinical").live_minimum.min_hours == Decimal("22.5")


def test_read_catalog_names_the_bad_entry(tmp_path: Path):
    document = yaml.safe_load(CATALOG_PATH.read_text(encoding="utf-8"))
    document["rule_sets"][0]["total_hours"] = "-3"
    bad = tmp_path / "catalog.yaml"
    bad.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(ValueError, match="ca-lcsw"):
        read_catalog(bad)


def test_vocabulary_has_the_keys_shared_with_the_certificate_parser():
    shared = {"ethics", "law", "cultural_diversity", "suicide_prevention", "supervision",
              "clinical", "domestic_violence", "hiv_aids", "human_trafficking", "implicit_bias",
              "pain_management", "pharmacology", "general"}
    assert shared <= set(TOPICS)
    assert FORMATS == {"live": "In person", "live_online": "Live online",
                       "self_study": "Self-study"}
