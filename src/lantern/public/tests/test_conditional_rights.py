"""Rights are conditional, and the public pages say so in every language (issue #14, High items 1, 2 and 4).

Each table holds, per language, a phrase of the wording that turned a conditional right into a promise
(it must be gone) and the words that now carry the condition (they must be there). A translation that is
redone must keep the condition: these tests fail if it does not.
"""

from __future__ import annotations

import pytest

from lantern.public import texts

# CETS 197 art. 13(1) and (3): the period starts once there are reasonable grounds, and a state may refuse it
# on public-order grounds or where victim status is claimed improperly.
RECOVERY = {
    "en": ("you cannot be sent out of the country", ["reasonable grounds", "exceptions"]),
    "fr": ("vous ne pouvez pas être expulsé", ["motifs raisonnables", "exceptions"]),
    "es": ("no pueden expulsarle", ["motivos razonables", "excepciones"]),
    "el": ("δεν μπορείτε να απομακρυνθείτε", ["εύλογοι λόγοι", "εξαιρέσεις"]),
    "uk": ("вас не можуть вислати", ["достатні підстави", "винятки"]),
    "ar": ("لا يجوز ترحيلكم", ["أسبابًا معقولة", "استثناءات"]),
    "fa": ("نمی‌توانند شما را از کشور اخراج کنند", ["دلایل معقول", "استثنا"]),
    "ti": ("ካብ ሃገር ክትስጎጉ ኣይትኽእሉን", ["ርትዓዊ ምኽንያት", "ፍሉያት ኩነታት"]),
}
# CETS 197 art. 26, Directive 2011/36/EU art. 8: a possibility, for offences the person was compelled to
# commit.
NON_PUNISHMENT = {
    "en": ("You should not be punished", ["not automatic", "lawyer"]),
    "fr": ("Vous ne devriez pas être puni", ["pas automatique", "avocat"]),
    "es": ("No deberían castigarle", ["no automático", "abogado"]),
    "el": ("Δεν πρέπει να τιμωρηθείτε", ["όχι αυτόματο", "δικηγόρο"]),
    "uk": ("Вас не мають карати", ["не автоматично", "адвокат"]),
    "ar": ("لا ينبغي معاقبتكم", ["ليس تلقائيًا", "محامٍ"]),
    "fa": ("نباید برای کارهایی که", ["خودکار نیست", "وکیل"]),
    "ti": ("ክትቅጽዑ የብልኩምን", ["ብቐጥታ ኣይኮነን", "ጠበቓ"]),
}
# Directive 2011/36/EU art. 12(2), CETS 197 art. 15(2): free where the person lacks sufficient resources, or
# under the conditions of national law.
LEGAL_AID = {
    "en": ("free legal advice and a lawyer", ["not have enough money", "conditions of the country's law"]),
    "fr": (
        "conseils juridiques et à un avocat gratuits",
        ["pas assez d’argent", "conditions prévues par la loi"],
    ),
    "es": ("asesoramiento legal y un abogado gratuitos", ["suficiente dinero", "condiciones de la ley"]),
    "el": ("δωρεάν νομική συμβουλή και δικηγόρο", ["αρκετά χρήματα", "όρους του νόμου"]),
    "uk": ("безкоштовну юридичну консультацію та адвоката", ["недостатньо грошей", "умовах законодавства"]),
    "ar": ("ومحامٍ مجانًا", ["ما يكفي من المال", "قانون البلد"]),
    "fa": ("وکیل رایگان استفاده", ["پول کافی", "قانون آن کشور"]),
    "ti": ("ናጻ ሕጋዊ ምኽሪን ጠበቓን", ["እኹል ገንዘብ", "ሕጊ እታ ሃገር"]),
}


def _section(lang: str, name: str) -> dict[str, str]:
    return texts.load_language(lang)["rights"]["sections"][name]


def test_every_language_is_covered() -> None:
    for table in (RECOVERY, NON_PUNISHMENT, LEGAL_AID):
        assert set(table) == set(texts.LANGUAGES)


@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_the_recovery_period_starts_with_reasonable_grounds_and_has_exceptions(lang: str) -> None:
    body = _section(lang, "recovery")["body"]
    promise, conditions = RECOVERY[lang]
    assert promise not in body
    for words in conditions:
        assert words in body, (lang, words)


@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_non_punishment_is_a_possibility_to_discuss_with_a_lawyer(lang: str) -> None:
    body = _section(lang, "non_punishment")["body"]
    promise, conditions = NON_PUNISHMENT[lang]
    assert promise not in body
    for words in conditions:
        assert words in body, (lang, words)


@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_legal_aid_is_free_under_conditions(lang: str) -> None:
    body = _section(lang, "legal_aid")["body"]
    promise, conditions = LEGAL_AID[lang]
    assert promise not in body
    for words in conditions:
        assert words in body, (lang, words)


def test_the_english_titles_promise_nothing_unconditional() -> None:
    assert _section("en", "legal_aid")["title"] == "Legal help"
    assert not _section("en", "non_punishment")["title"].startswith("Not punished")
