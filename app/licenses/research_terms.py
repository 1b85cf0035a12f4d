"""How the research's words map onto the rule model: the converter's reviewed reading tables.

Every table is keyed by the research's exact wording, so a new or reworded research entry
fails the build instead of being guessed. Only build_catalog.py uses this module.
"""
from __future__ import annotations

from app.licenses.rules import Certainty, DeadlineKind, FirstRenewalKind

S, INF, CON, NF = (Certainty.STATED, Certainty.INFERRED, Certainty.CONFLICTING,
                   Certainty.NOT_FOUND)

# license type -> (title, profession)
LICENSE_TYPES: dict[str, tuple[str, str]] = {
    "LPC": ("Licensed Professional Counselor", "counselor"),
    "LPCC": ("Licensed Professional Clinical Counselor", "counselor"),
    "LMHC": ("Licensed Mental Health Counselor", "counselor"),
    "LCPC": ("Licensed Clinical Professional Counselor", "counselor"),
    "LCMHC": ("Licensed Clinical Mental Health Counselor", "counselor"),
    "NCC": ("National Certified Counselor", "counselor"),
    "LCSW": ("Licensed Clinical Social Worker", "social_worker"),
    "LISW": ("Licensed Independent Social Worker", "social_worker"),
    "LICSW": ("Licensed Independent Clinical Social Worker", "social_worker"),
    "LMSW-clinical": ("Licensed Master's Social Worker (clinical)", "social_worker"),
    "LMFT": ("Licensed Marriage and Family Therapist", "mft"),
    "LIMFT": ("Licensed Independent Marriage and Family Therapist", "mft"),
    "Psychologist": ("Licensed Psychologist", "psychologist"),
}

_BBS = (DeadlineKind.END_OF_ISSUE_MONTH, None, None, None, S, None)
_EXP_NF = (DeadlineKind.LICENSE_EXPIRATION, None, None, None, NF, None)
_WA_809 = (DeadlineKind.LICENSE_EXPIRATION, None, None, None, NF,
           "CE is reported every 2 years; the license itself renews every year.")


def _fixed(month: int, day: int, parity: str | None, certainty: Certainty = S,
           ce_period: str | None = None) -> tuple:
    return (DeadlineKind.FIXED_DATE, month, day, parity, certainty, ce_period)


# slug -> (deadline kind, month, day, year parity, certainty, CE period when it differs)
DEADLINES: dict[str, tuple] = {
    "ca-lpcc": _BBS, "ca-lcsw": _BBS, "ca-lmft": _BBS,
    "ca-psychologist": (DeadlineKind.END_OF_BIRTH_MONTH, None, None, None, CON, None),
    "tx-lpc": _EXP_NF, "tx-lmft": _EXP_NF,
    "tx-lcsw": (DeadlineKind.END_OF_BIRTH_MONTH, None, None, None, S, None),
    "tx-psychologist": (DeadlineKind.END_OF_BIRTH_MONTH, None, None, None, S, None),
    "fl-lmhc": _fixed(3, 31, "odd"), "fl-lcsw": _fixed(3, 31, "odd"),
    "fl-lmft": _fixed(3, 31, "odd"), "fl-psychologist": _fixed(5, 31, "even"),
    **{f"ny-{t}": (DeadlineKind.LICENSE_EXPIRATION, None, None, None, S, None)
       for t in ("lmhc", "lcsw", "lmft", "psychologist")},
    "pa-lpc": _fixed(2, 28, "odd"), "pa-lcsw": _fixed(2, 28, "odd"),
    "pa-lmft": _fixed(2, 28, "odd"), "pa-psychologist": _fixed(11, 30, "odd"),
    "il-lcpc": _fixed(3, 31, "odd"), "il-lcsw": _fixed(11, 30, "odd"),
    "il-lmft": _fixed(2, 28, "odd"), "il-psychologist": _fixed(9, 30, "even"),
    **{f"oh-{t}": (DeadlineKind.LICENSE_ANNIVERSARY, None, None, None, S, None)
       for t in ("lpcc", "lisw", "limft")},
    "oh-psychologist": _fixed(8, 31, "even"),
    "ga-lpc": _fixed(9, 30, "even"), "ga-lcsw": _fixed(9, 30, "even"),
    "ga-lmft": _fixed(9, 30, "even"), "ga-psychologist": _fixed(12, 31, "even"),
    "nc-lcmhc": _fixed(6, 30, None),
    "nc-lcsw": (DeadlineKind.LICENSE_ANNIVERSARY, None, None, None, S, None),
    "nc-lmft": _fixed(6, 30, None),
    "nc-psychologist": _fixed(11, 30, "even", INF),
    "mi-lpc": (DeadlineKind.UNKNOWN, None, None, None, NF, None),
    "mi-lmft": (DeadlineKind.UNKNOWN, None, None, None, NF, None),
    "mi-lmsw-clinical": _EXP_NF, "mi-psychologist": _EXP_NF,
    "wa-lmhc": _WA_809, "wa-licsw": _WA_809, "wa-lmft": _WA_809,
    "wa-psychologist": (DeadlineKind.LICENSE_EXPIRATION, None, None, None, S,
                        "60 h are verified every 3 years; the license itself renews every year."),
    "va-lpc": _fixed(6, 30, None), "va-psychologist": _fixed(6, 30, None),
    "va-lcsw": _fixed(6, 30, "even", S,
                      "The license renews every June 30; CE is due with even-year renewals."),
    "us-ncc": (DeadlineKind.LICENSE_EXPIRATION, None, None, None, S, None),
}
DEADLINE_NOTES = {
    "nc-psychologist": "Read as November 30 of even years; the stated period (Oct 1 even year "
                       "to the end of November of the next even year) spans 26 months.",
}

# research topic name -> topic keys whose hours count toward it
TOPIC_KEYS: dict[str, tuple[str, ...]] = {
    "law & ethics": ("ethics", "law"), "laws & ethics": ("ethics", "law"),
    "ethics + FL laws/rules": ("ethics", "law"),
    "professional ethics incl. NY law": ("ethics", "law"),
    "professional ethics & law": ("ethics", "law"),
    "ethics/standards/VA law": ("ethics", "law"),
    "ethics/rules/professional responsibility": ("ethics", "law"),
    "ethics": ("ethics",), "professional ethics": ("ethics",),
    "ethics & boundary issues": ("ethics", "boundaries"),
    "professional conduct / ethics / cultural competence": ("ethics", "cultural_diversity"),
    "appropriate professional boundaries": ("boundaries",),
    "FL laws & rules": ("law",),
    "HIV/AIDS": ("hiv_aids",),
    "suicide risk assessment": ("suicide_prevention",),
    "suicide prevention": ("suicide_prevention",),
    "suicide prevention (Act 74)": ("suicide_prevention",),
    "suicide prevention (advanced)": ("suicide_prevention",),
    "suicide assessment/treatment/management": ("suicide_prevention",),
    "telehealth": ("telehealth",), "telehealth incl. law & ethics": ("telehealth",),
    "telemental health": ("telehealth",), "technology-assisted services": ("telehealth",),
    "supervision": ("supervision",), "clinical supervision training": ("supervision",),
    "marriage & family therapy": ("couples_family",),
    "aging & long-term care": ("aging",),
    "cultural diversity / social justice": ("cultural_diversity",),
    "cultural diversity/competency": ("cultural_diversity",),
    "cultural diversity": ("cultural_diversity",), "cultural competence": ("cultural_diversity",),
    "cultural competency": ("cultural_diversity",),
    "cultural competency (statewide)": ("cultural_diversity",),
    "diversity": ("cultural_diversity",),
    "health equity": ("health_equity",),
    "human trafficking": ("human_trafficking",),
    "human trafficking (HHSC-approved course)": ("human_trafficking",),
    "human trafficking (HHSC-approved)": ("human_trafficking",),
    "crisis management": ("crisis_management",),
    "prevention of medical errors": ("medical_errors",),
    "domestic violence": ("domestic_violence",),
    "child abuse identification": ("child_abuse",),
    "child abuse recognition & reporting": ("child_abuse",),
    "child abuse recognition & reporting (Act 31)": ("child_abuse",),
    "sexual harassment prevention": ("sexual_harassment",),
    "sexual harassment": ("sexual_harassment",),
    "implicit bias": ("implicit_bias",),
    "Alzheimer's/dementia": ("dementia",),
    "implicit bias / Alzheimer's": ("implicit_bias", "dementia"),
    "pain & symptom management": ("pain_management",),
}
# Research topics that are really a rule about who offers the hours (see build_catalog).
PROVIDER_TOPICS = {"core hours"}

# (regex on a topic's notes, the condition shown to the user), first match wins
CONDITIONS: tuple[tuple[str, str], ...] = (
    (r"supervisors of residents", "Only if you supervise residents"),
    (r"^LISW-S$", "Only for supervisors (LISW-S)"),
    (r"supervising counselors", "Only for supervising counselors (-S designation)"),
    (r"^supervisors", "Only if you are a supervisor"),
    (r"treating couples/families", "Only if you treat couples or families"),
    (r"grad study began before 2004", "Only if your graduate study began before 2004"),
    (r"serving (patients )?26\+", "Only if you serve patients aged 26 or older"),
    (r"if providing telehealth", "Only if you provide telehealth"),
    (r"before providing teletherapy", "Only if you provide teletherapy (complete it first)"),
    (r"health care professional' - not confirmed",
     "Only if an LMFT counts as a 'health care professional' (not confirmed)"),
)

# format-limit wording -> (role, formats it covers, how the app reads it)
_ONLINE = ("live_online", "self_study")
_ONLINE_NOTE = ("Read as every online hour, live or recorded (the stricter reading); verify "
                "whether live webinars count here.")
_INFO = ("info", (), "The app does not track this kind of activity; shown for reference.")
FORMAT_LIMITS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "self-study": ("cap", ("self_study",), ""),
    "self-study/online": ("cap", ("self_study",), ""),
    "home study": ("cap", ("self_study",), ""),
    "home study/online": ("cap", ("self_study",), ""),
    "online/home study": ("cap", ("self_study",), ""),
    "asynchronous online": ("cap", ("self_study",),
                            "Asynchronous online courses are logged as self-study."),
    "home study (incl. webcasts per athealth)": (
        "cap", _ONLINE, ("Live online hours are counted under this cap too, since a source "
                        "counts webcasts as home study; verify.")),
    "distance": ("cap", _ONLINE, _ONLINE_NOTE),
    "distance learning": ("cap", _ONLINE, _ONLINE_NOTE),
    "distance learning (ASWB or NASW-NC pre-approved)": ("cap", _ONLINE, _ONLINE_NOTE),
    "online": ("cap", _ONLINE, _ONLINE_NOTE),
    "online/correspondence": ("cap", _ONLINE, _ONLINE_NOTE),
    "correspondence/online": ("cap", _ONLINE, _ONLINE_NOTE),
    "independent study": ("info", (), ("Independent study is logged as self-study, so the app "
                                      "cannot separate it; only the self-study cap is applied.")),
    "live": ("live", (), ""),
    "live/synchronous": ("live", (), ""),
    "face-to-face or real-time interactive": ("live", (), ""),
    "any one 24-hour period": ("daily", (), ""),
    "listed providers (681.140(f))": ("provider", (), ""),
    "providers listed in 781.501(f)": ("provider", (), ""),
    "listed providers": ("provider", (), ""),
    "approved/endorsed providers": ("provider", (), ""),
    "Category A sponsors": ("provider", (), ""),
    "Category I (formal, approved sponsor)": ("provider", (), ""),
    **{name: _INFO for name in (
        "administrative topics", "CPD categories", "AAMFT supervision", "presenting/teaching",
        "employer-agency training", "other (panels, research, peer consultation)",
        "teaching CE", "Category II", "volunteer service credit", "volunteer service",
        "presentation preparation", "conventions", "graduate courses")},
}

# slug -> (approval bodies as certificates name them, is the list complete?, interpretation)
PROVIDER_BODIES: dict[str, tuple[tuple[str, ...], bool, str]] = {
    "nc-psychologist": (("NC Psychology Board", "APA", "NASP", "NC AHEC", "NCPA"), True,
                        "Category A bodies as listed in the research."),
    "va-lcsw": (("ASWB",), False, ("ASWB ACE is named as an example; other approved sponsors "
                                  "count too.")),
    "ga-lpc": (("NBCC", "LPCA-GA", "GA DBHDD"), False,
               ("Georgia counts 'core' hours by who offers them; universities and hospitals "
               "also count.")),
}

# carry-over wording -> (max hours or None, certainty, interpretation)
CARRY_OVER: dict[str, tuple[int | None, Certainty, str]] = {
    "none (a course counts in one renewal period only)": (0, S, ""),
    "none": (0, S, ""),
    "up to 10 unused hours to next period": (10, S, ""),
    "up to 10 excess hours (not for the ethics requirement)": (
        10, S, "Carried hours count toward the total only, never toward ethics."),
    "not found": (None, NF, "Nothing is carried over until the rule is confirmed."),
    "n/a": (0, S, "No general hours are required, so nothing carries over."),
}

_NOT_FOUND_FIRST = (FirstRenewalKind.UNKNOWN, {}, NF, "The full total is shown.")
# first-renewal wording -> (kind, extra FirstRenewal fields, certainty, interpretation)
FIRST_RENEWAL: dict[str, tuple[FirstRenewalKind, dict, Certainty, str]] = {
    "36 h for first renewals after 2023-07-01 (previously 18 h)": (
        FirstRenewalKind.SAME, {}, S, "The full 36 h applies to first renewals."),
    "not found": _NOT_FOUND_FIRST,
    "not found under CPD (old rule prorated 1.5 h/month)": _NOT_FOUND_FIRST,
    "not found (reduced-practice status: 10 h; retired: 0)": _NOT_FOUND_FIRST,
    "45 h rule applies to those licensed the full 3 years (R 338.2961); otherwise not found": (
        FirstRenewalKind.UNKNOWN, {}, NF, ("The full 45 h is shown; for a shorter first cycle "
                                          "the rule was not found.")),
    "exempt (first biennium)": (FirstRenewalKind.EXEMPT, {}, S, ""),
    "exempt (first renewal of an IL license)": (FirstRenewalKind.EXEMPT, {}, S, ""),
    "exempt for the registration period in which first licensed; prorated 1 h/month in "
    "phase-in/odd-length periods": (FirstRenewalKind.EXEMPT, {}, S, ""),
    "exempt for first registration period; phase-in from 2021-01-01 at 1 h/month": (
        FirstRenewalKind.EXEMPT, {}, S, ""),
    "exempt except 2 h Act 31 (stated for social workers by NASW-PA)": (
        FirstRenewalKind.EXEMPT,
        {"still_required": ("child_abuse_recognition_reporting_act_31",)}, S,
        "Exempt from hours except the 2 h child-abuse (Act 31) course."),
    "exempt if licensed on/after Oct 1 of the odd year (2nd year of cycle)": (
        FirstRenewalKind.EXEMPT, {"exempt_within_months": 12}, S,
        "Exempt only when licensed in the last 12 months before the deadline."),
    "30 h (incl. 3 ethics) if initial period < 2 years": (
        FirstRenewalKind.REDUCED, {"hours": 30, "only_if_short_period": True}, S,
        "30 h when the first period is shorter than 2 years; ethics is still required."),
    "30 h (incl. 4 ethics) if initial period < 2 years": (
        FirstRenewalKind.REDUCED, {"hours": 30, "only_if_short_period": True}, S,
        "30 h when the first period is shorter than 2 years; ethics is still required."),
    "passing board laws & rules exam = 40 h credit (not DV or medical errors)": (
        FirstRenewalKind.SAME, {}, S, ("Log the passed laws & rules exam as a 40 h activity "
                                      "with no topics; DV and medical errors are still due.")),
    "n/a": (FirstRenewalKind.SAME, {}, S, "No general hours are required."),
}
# The research says this exemption was stated for social workers only.
FIRST_RENEWAL_INFERRED = {"pa-lpc", "pa-lmft"}

# Topics the research states in a shared note rather than the entry's topic list.
MI_TRAFFICKING_NOTE = ("From the research note on all Michigan Public Health Code licensees "
                       "(human trafficking training once); hours not stated.")
EXTRA_ONCE_TRAFFICKING = {"mi-lpc", "mi-lmft", "mi-psychologist"}
