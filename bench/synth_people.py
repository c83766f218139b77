"""Synthetic person records with the troubles of real referrals, for benchmarking `lantern link`.

    .venv/bin/python bench/synth_people.py --records 1000000 --out var/synth.csv [--truth var/synth.truth.csv]

People come from four naming traditions (Arabic, Tigrinya/Amharic, East Slavic, Latin-alphabet countries). A
person is recorded one or more times (as by several organisations); each extra record may carry: the name in
the original script (Arabic, Ge'ez or Cyrillic letters, generated from the Latin spelling) or another Latin
transliteration (Mohammed/Muhammad), a typo, given and family names swapped, a partial date of birth (YYYY or
YYYY-MM), day and month swapped, a digit typo in the date, missing fields. Households (same family name and
address, different people) and namesakes make hard non-matches. The truth file maps each id to its person.
Deterministic for a given --seed.
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass
from pathlib import Path

ARABIC_GIVEN_M = (
    "muhammad ahmad ali omar yusuf ibrahim hassan hussein khalid mahmud mustafa abdullah said salim tariq "
    "jamal nasser ismail osman yaqub adil amin anwar bilal faisal hamza idris karim majid nabil rashid "
    "sami walid ziad bashir fadi ghassan hadi imad jalal kamal luay marwan nizar qasim ramzi sharif talal "
    "usama wael yasin zaki"
).split()
ARABIC_GIVEN_F = (
    "fatima aisha khadija maryam zainab amina huda layla noor rania salma samira yasmin hana iman jamila "
    "karima lina mona nadia rasha sara suad wafa zahra asma basma dalia farah ghada hiba inas lubna manal "
    "najwa rim sawsan tahani widad"
).split()
ARABIC_FAMILY = (
    "hassan ali ahmad ibrahim mahmud mustafa abdullah khalil haddad nasser saleh yusuf hamdan darwish "
    "khatib mansour qasim rahman sabbagh shami taha zayed abbas bakr farouk ghanem habib jaber karam "
    "lutfi masri najjar obeid qureshi rashid sultan tamimi wahab yassin zein adam bashir elamin fadl "
    "hamid idris jibril musa nur osman salih tahir warsame farah abdi hersi jama guled aden dahir"
).split()
TIGRINYA_GIVEN_M = (
    "yohannes tesfaye gebre haile tekle berhane mehari mebrahtu weldu kidane abraham tsegay hagos negash "
    "dawit samuel daniel yonas filmon habtom amanuel biniam efrem fitsum goitom henok kibrom medhanie "
    "natnael robel semere teklit yemane zerai"
).split()
TIGRINYA_GIVEN_F = (
    "selam helen luwam saba senait tsega rahel ruth mihret hiwot feven eden freweini ghenet hanna kisanet "
    "lidya milena nardos rigbe semhar winta yordanos"
).split()
TIGRINYA_FAMILY = (
    "tesfaye gebre haile tekle berhane mehari kidane hagos negash woldemichael gebremedhin tewelde araya "
    "ghebremeskel habte kahsay mebrahtu abraha asmerom berhe desta fessehaye ghirmay hailemariam kiflom "
    "measho okbazghi russom sium teklemariam weldegiorgis yemane zerezghi"
).split()
SLAVIC_GIVEN_M = (
    "aleksandr aleksei andrei dmitri sergei yuri mikhail nikolai vladimir ivan oleg pavel roman viktor "
    "bogdan taras maksim artem denis igor kirill leonid stanislav vadim yaroslav"
).split()
SLAVIC_GIVEN_F = (
    "natalia olga yulia tatiana elena ekaterina anastasia svetlana irina oksana maria anna daria galina "
    "kristina larisa ludmila marina nina polina sofia valentina veronika viktoria zoya"
).split()
SLAVIC_FAMILY = (
    "ivanov petrenko shevchenko kovalenko bondarenko tkachenko kravchenko oliynyk lysenko melnyk boyko "
    "moroz pavlenko savchenko rudenko marchenko smirnov kuznetsov popov sokolov lebedev kozlov novikov "
    "morozov volkov solovyov vasiliev zaitsev pavlov semenov golubev vinogradov bogdanov vorobyov fedorov"
).split()
LATIN_GIVEN_M = (
    "john peter david michael emmanuel joseph samuel daniel james paul chinedu oluwaseun ion andrei "
    "adrian florin gheorghe arben besnik dritan ermal van minh duc tuan hung carlos jose luis miguel juan"
).split()
LATIN_GIVEN_F = (
    "mary grace blessing joy esther ruth faith patience chioma ngozi elena ioana maria andreea mihaela "
    "arta besa drita elira linh mai thu hoa lan ana rosa lucia carmen sofia"
).split()
LATIN_FAMILY = (
    "okafor adeyemi obi eze nwosu okonkwo balogun popescu ionescu popa stan dumitru stoica hoxha shehu "
    "krasniqi gashi berisha nguyen tran le pham hoang garcia rodriguez martinez lopez gonzalez perez "
    "sanchez"
).split()

LATIN_VARIANTS = {
    "muhammad": ["mohammed", "mohamed", "mohammad", "muhammed"],
    "ahmad": ["ahmed"],
    "yusuf": ["yousef", "youssef", "yousif"],
    "hussein": ["hussain", "husein", "husayn"],
    "omar": ["umar"],
    "osman": ["othman", "uthman"],
    "fatima": ["fatimah", "fatma"],
    "aisha": ["aysha", "aicha"],
    "maryam": ["mariam"],
    "zainab": ["zaynab", "zeinab"],
    "gebre": ["ghebre", "gebray"],
    "haile": ["hayle"],
    "tesfaye": ["tesfay", "tesfai"],
    "yohannes": ["yohanes"],
    "aleksandr": ["alexander", "oleksandr"],
    "dmitri": ["dmitry", "dmytro"],
    "sergei": ["sergey", "serhiy"],
    "yuri": ["yury", "yuriy"],
    "natalia": ["natalya", "nataliya"],
    "olga": ["olha"],
    "yulia": ["yuliya", "julia"],
    "tatiana": ["tatyana", "tetiana"],
    "elena": ["yelena", "olena"],
}

_ARABIC = {
    "b": "ب", "t": "ت", "th": "ث", "j": "ج", "h": "ح", "kh": "خ", "d": "د", "dh": "ذ", "r": "ر", "z": "ز",
    "s": "س", "sh": "ش", "f": "ف", "q": "ق", "k": "ك", "l": "ل", "m": "م", "n": "ن", "w": "و", "y": "ي",
    "g": "غ", "p": "ب", "v": "ف", "x": "كس", "c": "ك",
}  # fmt: skip
_CYRILLIC = {
    "shch": "щ", "kh": "х", "zh": "ж", "ch": "ч", "sh": "ш", "ts": "ц", "ya": "я", "yu": "ю", "ye": "е",
    "yo": "ё", "a": "а", "b": "б", "v": "в", "g": "г", "d": "д", "e": "е", "z": "з", "i": "и", "y": "й",
    "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с", "t": "т", "u": "у",
    "f": "ф", "h": "х", "c": "к", "j": "й", "w": "в", "x": "кс", "q": "к",
}  # fmt: skip
_GEEZ_ROWS = {
    "h": 0x1200, "l": 0x1208, "m": 0x1218, "r": 0x1228, "s": 0x1230, "sh": 0x1238, "q": 0x1240, "b": 0x1260,
    "t": 0x1270, "ch": 0x1278, "n": 0x1290, "k": 0x12A8, "w": 0x12C8, "z": 0x12D8, "y": 0x12E8, "d": 0x12F0,
    "j": 0x1300, "g": 0x1308, "ts": 0x1338, "f": 0x1348, "p": 0x1350, "v": 0x1268,
}  # fmt: skip
_GEEZ_ORDER = {"e": 0, "u": 1, "i": 2, "a": 3, "o": 6}


def to_arabic(name: str) -> str:
    """Arabic letters for a Latin name: consonants and long vowels (a→ا inside words, i→ي, u/o→و)."""
    out, k = [], 0
    while k < len(name):
        pair = name[k : k + 2]
        if pair in _ARABIC and len(pair) == 2:
            out.append(_ARABIC[pair])
            k += 2
            continue
        char = name[k]
        if char in "aeiou":
            if k == 0:
                out.append("ا")
            elif char in "iu" or char == "o":
                out.append("ي" if char == "i" else "و")
            elif char == "a" and k + 1 < len(name) and name[k + 1] == "a":
                out.append("ا")
        elif char in _ARABIC:
            out.append(_ARABIC[char])
        k += 1
    return "".join(out)


def to_cyrillic(name: str) -> str:
    out, k = [], 0
    while k < len(name):
        for size in (4, 2, 1):
            piece = name[k : k + size]
            if piece in _CYRILLIC:
                out.append(_CYRILLIC[piece])
                k += size
                break
        else:
            k += 1
    return "".join(out).capitalize()


def to_geez(name: str) -> str:
    """Ge'ez syllables for a Latin name (consonant + vowel → one character; a bare consonant → sixth
    order)."""
    out, k = [], 0
    while k < len(name):
        consonant = next((c for c in (name[k : k + 2], name[k]) if c in _GEEZ_ROWS), None)
        if consonant is None:
            if name[k] in _GEEZ_ORDER:
                out.append(chr(0x12A0 + _GEEZ_ORDER[name[k]]))  # a vowel on its own: the glottal-stop row
            k += 1
            continue
        k += len(consonant)
        vowel = name[k] if k < len(name) and name[k] in _GEEZ_ORDER else None
        if vowel:
            k += 1
        out.append(chr(_GEEZ_ROWS[consonant] + (_GEEZ_ORDER[vowel] if vowel else 5)))
    return "".join(out)


@dataclass(frozen=True)
class Tradition:
    given_m: list[str]
    given_f: list[str]
    family: list[str]
    script: object
    citizenships: tuple[str, ...]


TRADITIONS = (
    (
        0.35,
        Tradition(ARABIC_GIVEN_M, ARABIC_GIVEN_F, ARABIC_FAMILY, to_arabic, ("SD", "SY", "SO", "IQ", "LY")),
    ),
    (0.20, Tradition(TIGRINYA_GIVEN_M, TIGRINYA_GIVEN_F, TIGRINYA_FAMILY, to_geez, ("ER", "ET"))),
    (0.20, Tradition(SLAVIC_GIVEN_M, SLAVIC_GIVEN_F, SLAVIC_FAMILY, to_cyrillic, ("UA", "RU", "BY", "MD"))),
    (0.25, Tradition(LATIN_GIVEN_M, LATIN_GIVEN_F, LATIN_FAMILY, None, ("NG", "RO", "AL", "VN", "CO"))),
)
STREETS = "main station market church river harbour garden mill park hill bridge school king queen".split()
STREET_KINDS = "street road avenue lane close way".split()


def _zipf_choice(rng: random.Random, items: list[str]) -> str:
    # Common names are much more common: rank r has weight 1/(r+1).
    weights = _weights_cache.setdefault(len(items), [1.0 / (rank + 1) for rank in range(len(items))])
    return rng.choices(items, weights)[0]


_weights_cache: dict[int, list[float]] = {}


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 3:
        return word
    k = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    letters = "abcdefghijklmnopqrstuvwxyz"
    if kind < 0.3:
        return word[:k] + word[k + 1 :]
    if kind < 0.55:
        return word[:k] + rng.choice(letters) + word[k:]
    if kind < 0.8:
        return word[:k] + rng.choice(letters) + word[k + 1 :]
    return word[: k - 1] + word[k] + word[k - 1] + word[k + 1 :]


def _person(rng: random.Random, person: int, household: dict | None) -> dict:
    tradition = rng.choices([t for _, t in TRADITIONS], [w for w, _ in TRADITIONS])[0]
    if household:
        tradition = household["tradition"]
    sex = rng.choice("MF")
    given = _zipf_choice(rng, tradition.given_m if sex == "M" else tradition.given_f)
    family = household["family"] if household else _zipf_choice(rng, tradition.family)
    # Family names are far more diverse than our lists: a second element (father's or grandfather's name in
    # Arabic and Tigrinya naming, a suffix elsewhere) multiplies them.
    if not household and rng.random() < 0.7:
        family = (
            f"{family} {_zipf_choice(rng, tradition.given_m)}"
            if tradition.script is not to_cyrillic
            else family
        )
    year = household["year"] + rng.randint(-25, 25) if household else rng.randint(1950, 2012)
    year = min(max(year, 1940), 2015)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    address = (
        household["address"]
        if household
        else (f"{rng.randint(1, 250)} {rng.choice(STREETS)} {rng.choice(STREET_KINDS)}")
    )
    postcode = household["postcode"] if household else f"{rng.randint(1000, 99999):05d}"
    locality = household["locality"] if household else f"town{rng.randint(1, 3000)}"
    return {
        "person": person, "tradition": tradition, "sex": sex, "given": given, "family": family, "year": year,
        "month": month, "day": day, "address": address, "postcode": postcode, "locality": locality,
        "citizenship": rng.choice(tradition.citizenships), "region": f"region{rng.randint(1, 40)}",
    }  # fmt: skip


def _spell(rng: random.Random, name: str, tradition: Tradition, corrupt: bool) -> str:
    words = name.split()
    out = []
    for word in words:
        if corrupt and word in LATIN_VARIANTS and rng.random() < 0.4:
            word = rng.choice(LATIN_VARIANTS[word])
        if corrupt and rng.random() < 0.08:
            word = _typo(rng, word)
        out.append(word)
    text = " ".join(out)
    if corrupt and tradition.script is not None and rng.random() < 0.3:
        return " ".join(tradition.script(word) for word in text.split())
    return text.title()


def _record(rng: random.Random, person: dict, record_id: str, corrupt: bool) -> list[str]:
    tradition = person["tradition"]
    given = _spell(rng, person["given"], tradition, corrupt)
    family = _spell(rng, person["family"], tradition, corrupt)
    if corrupt and rng.random() < 0.08:
        given, family = family, given
    year, month, day = person["year"], person["month"], person["day"]
    if corrupt and rng.random() < 0.04:
        year += rng.choice((-1, 1, -10, 10))
    if corrupt and day <= 12 and rng.random() < 0.05:
        month, day = day, month
    roll = rng.random() if corrupt else 1.0
    if roll < 0.05:
        dob = ""
    elif roll < 0.12:
        dob = f"{year:04d}"
    elif roll < 0.18:
        dob = f"{year:04d}-{month:02d}"
    else:
        dob = f"{year:04d}-{month:02d}-{day:02d}"

    def maybe(value: str, missing: float) -> str:
        return "" if rng.random() < missing else value

    return [
        record_id, given, family, dob, maybe(person["sex"], 0.05), maybe(person["citizenship"], 0.1),
        maybe(person["address"], 0.4), maybe(person["locality"], 0.2), maybe(person["postcode"], 0.4),
        maybe(person["region"], 0.3),
    ]  # fmt: skip


def generate(records: int, seed: int = 7) -> tuple[list[list[str]], list[tuple[str, int]]]:
    """``records`` rows in Lantern's input layout and the truth (id, person)."""
    rng = random.Random(seed)
    rows: list[list[str]] = []
    truth: list[tuple[str, int]] = []
    person_number = 0
    household: dict | None = None
    while len(rows) < records:
        person = _person(rng, person_number, household)
        household = None
        if rng.random() < 0.15:  # the next person lives with this one
            household = dict(person)
        person_number += 1
        # 60 % of people are recorded once; the others 2 to 5 times, by several organisations.
        copies = 1 if rng.random() < 0.6 else rng.choice((2, 2, 2, 3, 3, 4, 5))
        for copy in range(copies):
            if len(rows) >= records:
                break
            record_id = f"r{len(rows) + 1}"
            rows.append(_record(rng, person, record_id, corrupt=copy > 0))
            truth.append((record_id, person["person"]))
    rng.shuffle(rows)
    return rows, truth


HEADER = ["id", "given_name", "family_name", "date_of_birth", "sex", "citizenship", "address", "locality",
          "postcode", "region"]  # fmt: skip


def write(path: Path, rows: list[list[str]], truth: list[tuple[str, int]], truth_path: Path | None) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    if truth_path:
        with truth_path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(["id", "person"])
            writer.writerows(truth)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--truth", type=Path)
    args = parser.parse_args()
    rows, truth = generate(args.records, args.seed)
    write(args.out, rows, truth, args.truth)


if __name__ == "__main__":
    main()
