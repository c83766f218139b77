"""The demo seed's fixed data: places, languages, shares of cases that get each part, fictional texts."""

from __future__ import annotations

LOCALES = ["en_GB", "fr_FR", "el_GR", "ar_AA", "ru_RU", "uk_UA", "es_ES", "ro_RO", "it_IT"]
CITIZENSHIPS = [
    "NG",
    "ER",
    "SY",
    "AF",
    "UA",
    "RO",
    "BG",
    "AL",
    "MA",
    "PK",
    "VN",
    "GR",
    "FR",
    "BD",
    "IQ",
    "SO",
]
LANGUAGES = {
    "NG": "en",
    "ER": "ti",
    "SY": "ar",
    "AF": "fa",
    "UA": "uk",
    "RO": "ro",
    "BG": "bg",
    "AL": "sq",
    "MA": "ar",
    "PK": "ur",
    "VN": "vi",
    "GR": "el",
    "FR": "fr",
    "BD": "bn",
    "IQ": "ar",
    "SO": "so",
}
FORMS = [
    ("sexual", 40),
    ("labour", 35),
    ("domestic_servitude", 8),
    ("forced_criminality", 6),
    ("forced_begging", 5),
    ("forced_marriage", 3),
    ("other", 3),
]
# The screening instrument's exploitation for a case's form (the catalogue has labour and sexual sets).
SCREENED_AS = {"sexual": "sexual", "forced_marriage": "sexual"}

# Shares (0..1) of cases that get each part.
SCREENED = 0.6  # opened from a completed screening
PRESUMED_VICTIM = 0.7  # of those: answers showing every group of the verdict rule (the engine decides)
WITH_NEEDS = 0.85  # of the cases referred to the NRM: a support plan
NEED_REFERRED = 0.6  # of the needs: referred to a service
REFERRAL_CONSENT = 0.88  # of the referrals: a consent to the receiving organisation exists (else a draft)
CONSENT_REVOKED = 0.06
LEGAL_TRACK = 0.15  # of the cases referred to the NRM

NEED_KINDS = [
    ("accommodation", 18),
    ("medical", 16),
    ("psychological", 16),
    ("legal", 14),
    ("material", 10),
    ("interpretation", 8),
    ("safety", 6),
    ("residence", 5),
    ("employment", 3),
    ("education", 2),
    ("family", 1),
    ("return", 1),
]
NEED_TEXTS = {
    "safety": "Fictional: fears contact from the people who exploited them; needs a safe place quickly.",
    "accommodation": "Fictional: no safe accommodation; sleeping at a friend's for now.",
    "medical": "Fictional: untreated injuries and no access to a doctor for months.",
    "psychological": "Fictional: trouble sleeping, anxiety; asked to talk to someone.",
    "legal": "Fictional: wants advice on their rights and on reporting the employer.",
    "interpretation": "Fictional: needs an interpreter for appointments.",
    "material": "Fictional: no money, clothes or phone.",
    "education": "Fictional: wants to learn the language and finish school.",
    "employment": "Fictional: wants help to find safe, legal work.",
    "family": "Fictional: has lost contact with family at home.",
    "return": "Fictional: considering going home; wants to know the options.",
    "residence": "Fictional: no residence permit; needs the recovery-period permit.",
}
MESSAGES = [
    "Fictional: please contact the case worker before the first appointment.",
    "Fictional: the person prefers a woman as first contact.",
    "Fictional: an interpreter will come to the first meeting.",
    "",
]
DECLINE_REASONS = [
    "Fictional: the service does not work with this age group.",
    "Fictional: no interpreter for the person's language this month.",
    "Fictional: the person did not come to the first appointment.",
]
NO_PLACES = "Fictional: no free places at the moment."
NEGATIVE_REASONS = [
    "Fictional: the account could not be confirmed with the information available at this stage.",
    "Fictional: the indicators found do not yet meet the threshold; new information may be submitted.",
]
NEGATIVE_DECISION = 0.12  # of the cases that passed a decision stage: the first decision was negative
DECISION_REASONS = [
    "Fictional: the account is detailed and consistent; several indicators are present.",
    "Fictional: the screening and the case worker's report show reasonable grounds.",
    "Fictional: the evidence from the labour inspection supports the account.",
    "Fictional: credible account of recruitment by deception and control at destination.",
]
GUARDIAN = "Fictional guardian appointed by the court"
BEST_INTERESTS_NOTE = "Fictional: sharing gives the child the protection and care they need now."
INTERPRETER = "Fictional interpreter, ref. 0042"
OFFENCES = {"forced_criminality": ["drugs", "property"], "forced_begging": ["begging"]}
SHELTER_PLACES = 40
