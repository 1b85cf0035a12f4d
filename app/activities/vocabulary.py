"""The words activities are described with: topic keys and formats, each with the label people read.

Plain dicts (key -> label) so that other packages (the requirement catalog, the parser) can share
them; the keys are what the database and the CSV files hold.
"""
from __future__ import annotations

TOPICS: dict[str, str] = {
    "ethics": "Ethics",
    "law": "Laws and rules",
    "cultural_diversity": "Cultural diversity",
    "suicide_prevention": "Suicide prevention",
    "supervision": "Supervision",
    "clinical": "Clinical practice",
    "domestic_violence": "Domestic violence",
    "hiv_aids": "HIV/AIDS",
    "human_trafficking": "Human trafficking",
    "implicit_bias": "Implicit bias",
    "pain_management": "Pain management",
    "pharmacology": "Pharmacology",
    "general": "General",
    "boundaries": "Boundaries",
    "medical_errors": "Medical errors",
    "child_abuse": "Child abuse",
    "telehealth": "Telehealth",
    "substance_use": "Substance use",
    "risk_management": "Risk management",
}

FORMATS: dict[str, str] = {
    "live": "In person",
    "live_online": "Live online",
    "self_study": "Self-study",
}

UNITS: dict[str, str] = {
    "hours": "Hours",
    "ceus": "CEUs",
}
