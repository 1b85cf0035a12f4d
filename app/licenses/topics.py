"""The words shared by certificates, activities and requirement rules: topics and formats.

Keys are stored in the database and exchanged with the certificate parser, so a key never
changes once released; labels are what a user reads and may be reworded freely.
"""
from __future__ import annotations

TOPICS: dict[str, str] = {
    # Shared with the certificate parser: keep these keys exactly.
    "ethics": "Ethics",
    "law": "Laws and rules",
    "cultural_diversity": "Cultural diversity and competency",
    "suicide_prevention": "Suicide prevention and risk assessment",
    "supervision": "Clinical supervision",
    "clinical": "Clinical practice",
    "domestic_violence": "Domestic violence",
    "hiv_aids": "HIV/AIDS",
    "human_trafficking": "Human trafficking",
    "implicit_bias": "Implicit bias",
    "pain_management": "Pain and symptom management",
    "pharmacology": "Pharmacology",
    "general": "General",
    # Needed by the state requirements in the catalog.
    "boundaries": "Professional boundaries",
    "medical_errors": "Prevention of medical errors",
    "child_abuse": "Child abuse identification and reporting",
    "telehealth": "Telehealth",
    "crisis_management": "Crisis management",
    "sexual_harassment": "Sexual harassment prevention",
    "dementia": "Alzheimer's disease and dementia",
    "aging": "Aging and long-term care",
    "health_equity": "Health equity",
    "couples_family": "Couples and family therapy",
    # Common on certificates, not yet required by a catalog entry.
    "substance_use": "Substance use",
    "risk_management": "Risk management",
}

FORMATS: dict[str, str] = {
    "live": "In person",
    "live_online": "Live online",
    "self_study": "Self-study",
}

# Formats in which the presenter and learner meet at the same time (boards' "live" hours).
LIVE_FORMATS: tuple[str, ...] = ("live", "live_online")


def topic_label(key: str) -> str:
    """The user's word for a topic key; unknown keys are shown as they are, never hidden."""
    return TOPICS.get(key, key.replace("_", " "))


def format_label(key: str) -> str:
    """The user's word for an activity format key."""
    return FORMATS.get(key, key.replace("_", " "))
