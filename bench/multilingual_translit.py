"""Multilingual linkage set, generator 2 of 2: names rendered into their scripts by rules, then read back.

    .venv/bin/python bench/multilingual_translit.py --people 2000 --out-dir var/ml-translit [--seed 1]

Same output as ``multilingual_curated.py`` (``a.csv``, ``b.csv``, ``truth.csv``), written independently of it:
names come from ``synth_people.py``'s romanised lists (Arabic, Tigrinya, East Slavic, Latin) plus Persian and
Vietnamese lists here, and their other spellings are *made* rather than listed: a name is rendered by
letter rules into Arabic or Persian script (short vowels dropped, as the script does), Ge'ez syllables or
Cyrillic, and organisation B receives either that script, its machine transliteration (anyascii: ``mhmd``),
or a clerk's respelling by sound rules (ou/u, kh/h, ee/i, doubled letters, particles joined or split,
diacritics dropped). Noise is another model than the curated generator's: a vowel lost or changed, a
letter read wrong (rn/m, i/l), a middle name added or dropped, names in family-first order, partial dates
(year, year-month), day and month swapped, a date digit off. Deterministic for a given --seed.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from anyascii import anyascii

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth_people  # noqa: E402
from multilingual_curated import write  # noqa: E402  (the file format only)

PERSIAN_GIVEN_M = (
    "mohammadreza alireza hossein mehdi reza amir dariush farhad javad morteza kourosh babak".split()
)
PERSIAN_GIVEN_F = "fatemeh zahra maryam shirin parisa roya niloufar golnar leila mahsa sahar nasrin".split()
PERSIAN_FAMILY = (
    "hosseini mohammadi rezaei ahmadi karimi jafari ghasemi sadeghi mousavi rahimi tehrani heidari "
    "ebrahimi najafi kazemi bagheri"
).split()
VIETNAMESE_GIVEN_M = ["Văn Minh", "Văn Hùng", "Đức Anh", "Quốc Tuấn", "Hữu Phước", "Thanh Tùng", "Văn Long"]
VIETNAMESE_GIVEN_F = ["Thị Hương", "Thị Lan", "Thị Mai", "Ngọc Ánh", "Thị Thu Hà", "Thị Thủy", "Thị Hồng"]
VIETNAMESE_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"]

TRADITIONS = {
    "arabic": (synth_people.ARABIC_GIVEN_M, synth_people.ARABIC_GIVEN_F, synth_people.ARABIC_FAMILY),
    "persian": (PERSIAN_GIVEN_M, PERSIAN_GIVEN_F, PERSIAN_FAMILY),
    "geez": (synth_people.TIGRINYA_GIVEN_M, synth_people.TIGRINYA_GIVEN_F, synth_people.TIGRINYA_FAMILY),
    "cyrillic": (synth_people.SLAVIC_GIVEN_M, synth_people.SLAVIC_GIVEN_F, synth_people.SLAVIC_FAMILY),
    "vietnamese": (VIETNAMESE_GIVEN_M, VIETNAMESE_GIVEN_F, VIETNAMESE_FAMILY),
    "latin": (synth_people.LATIN_GIVEN_M, synth_people.LATIN_GIVEN_F, synth_people.LATIN_FAMILY),
}
COUNTRY = {
    "arabic": "SD",
    "persian": "IR",
    "geez": "ER",
    "cyrillic": "UA",
    "vietnamese": "VN",
    "latin": "NG",
}

# Latin sound → Arabic letter; a short vowel is not written (the script leaves it out), a long one is.
ARABIC = [
    ("sh", "ش"),
    ("kh", "خ"),
    ("th", "ث"),
    ("dh", "ذ"),
    ("gh", "غ"),
    ("aa", "ا"),
    ("ee", "ي"),
    ("ii", "ي"),
    ("oo", "و"),
    ("ou", "و"),
    ("uu", "و"),
    ("b", "ب"),
    ("t", "ت"),
    ("j", "ج"),
    ("h", "ح"),
    ("d", "د"),
    ("r", "ر"),
    ("z", "ز"),
    ("s", "س"),
    ("f", "ف"),
    ("q", "ق"),
    ("k", "ك"),
    ("l", "ل"),
    ("m", "م"),
    ("n", "ن"),
    ("w", "و"),
    ("y", "ي"),
    ("g", "ج"),
    ("p", "ب"),
    ("v", "ف"),
    ("c", "ك"),
]
PERSIAN_LETTERS = {"ي": "ی", "ك": "ک"}
PERSIAN_EXTRA = [("ch", "چ"), ("zh", "ژ"), ("g", "گ"), ("p", "پ"), ("v", "و")]
CYRILLIC = [
    ("shch", "щ"),
    ("sh", "ш"),
    ("ch", "ч"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("yu", "ю"),
    ("ya", "я"),
    ("yo", "ё"),
    ("a", "а"),
    ("b", "б"),
    ("v", "в"),
    ("g", "г"),
    ("d", "д"),
    ("e", "е"),
    ("z", "з"),
    ("i", "и"),
    ("y", "й"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("f", "ф"),
    ("h", "х"),
    ("w", "в"),
    ("j", "й"),
    ("c", "к"),
    ("q", "к"),
    ("x", "кс"),
]
# Ge'ez: a consonant's syllables in the order ä u i a e (none) o, from its first code point.
GEEZ_BASE = {
    "h": 0x1200,
    "l": 0x1208,
    "m": 0x1218,
    "r": 0x1228,
    "s": 0x1230,
    "sh": 0x1238,
    "q": 0x1240,
    "b": 0x1260,
    "v": 0x1268,
    "t": 0x1270,
    "ch": 0x1278,
    "n": 0x1290,
    "": 0x12A0,
    "k": 0x12A8,
    "w": 0x12C8,
    "z": 0x12D8,
    "y": 0x12E8,
    "d": 0x12F0,
    "j": 0x1300,
    "g": 0x1308,
    "f": 0x1348,
    "p": 0x1350,
    "ts": 0x1338,
}
GEEZ_VOWEL = {"e": 0, "u": 1, "i": 2, "a": 3, "": 5, "o": 6}
# A clerk's respellings by sound: each applies where it matches.
RESPELL = [
    ("ou", "u"),
    ("u", "ou"),
    ("kh", "h"),
    ("ee", "i"),
    ("i", "ee"),
    ("y", "i"),
    ("ai", "ay"),
    ("ei", "ey"),
    ("q", "k"),
    ("j", "dj"),
    ("ph", "f"),
    ("v", "w"),
    ("ss", "s"),
    ("mm", "m"),
    ("dd", "d"),
    ("e", "a"),
    ("o", "u"),
    ("ii", "iy"),
    ("ks", "x"),
    ("ts", "tz"),
]
PARTICLES = ("al", "el", "abd", "abu", "bin")


def to_arabic(word: str, persian: bool = False) -> str:
    out = []
    text = word.lower()
    rules = (PERSIAN_EXTRA + ARABIC) if persian else ARABIC
    at = 0
    while at < len(text):
        if text[at] in "aeiou":
            # A short vowel is not written, except at the start of a word (an alif) and a final -a (ة).
            if at == 0:
                out.append("ا")
            elif at == len(text) - 1 and text[at] == "a":
                out.append("ه" if persian else "ة")
            elif at == len(text) - 1 and text[at] == "i":
                out.append("ي")
            at += 1
            continue
        for latin_letters, letter in rules:
            if text.startswith(latin_letters, at):
                out.append(letter)
                at += len(latin_letters)
                break
        else:
            at += 1
    written = "".join(out)
    if persian:
        written = "".join(PERSIAN_LETTERS.get(char, char) for char in written)
    return written


def to_cyrillic(word: str) -> str:
    out, text, at = [], word.lower(), 0
    while at < len(text):
        for latin_letters, letter in CYRILLIC:
            if text.startswith(latin_letters, at):
                out.append(letter)
                at += len(latin_letters)
                break
        else:
            at += 1
    return "".join(out).capitalize()


def to_geez(word: str) -> str:
    out, text, at = [], word.lower(), 0
    consonants = sorted(GEEZ_BASE, key=len, reverse=True)
    while at < len(text):
        consonant = next((c for c in consonants if c and text.startswith(c, at)), "")
        at += len(consonant)
        if not consonant and at < len(text) and text[at] not in GEEZ_VOWEL:
            at += 1  # a letter Ge'ez has no syllable for here
            continue
        vowel = text[at] if at < len(text) and text[at] in GEEZ_VOWEL else ""
        at += len(vowel)
        out.append(chr(GEEZ_BASE[consonant] + GEEZ_VOWEL[vowel]))
    return "".join(out)


def in_script(tradition: str, name: str) -> str:
    words = name.split()
    if tradition == "arabic":
        return " ".join(to_arabic(word) for word in words)
    if tradition == "persian":
        return " ".join(to_arabic(word, persian=True) for word in words)
    if tradition == "geez":
        return " ".join(to_geez(word) for word in words)
    if tradition == "cyrillic":
        return " ".join(to_cyrillic(word) for word in words)
    return name


def respell(rng: random.Random, name: str) -> str:
    """A clerk's spelling by sound: one or two rules that apply, particles joined or split."""
    text = anyascii(name).lower() if not name.isascii() else name.lower()
    rules = [rule for rule in RESPELL if rule[0] in text]
    for source, target in rng.sample(rules, k=min(len(rules), rng.choice((1, 1, 2)))):
        at = text.find(source)
        text = text[:at] + target + text[at + len(source) :]
    words = text.split()
    if len(words) > 1 and words[0] in PARTICLES and rng.random() < 0.5:
        text = words[0] + words[1] + (" " + " ".join(words[2:]) if words[2:] else "")
    return text.title()


def noisy(rng: random.Random, name: str) -> str:
    """A letter read or typed wrong: a vowel lost or changed, rn/m, i/l confusions."""
    if not name.isascii() or len(name) < 5:
        return name
    how = rng.choice(("vowel lost", "vowel changed", "misread"))
    vowels = [index for index, char in enumerate(name) if char in "aeiou" and 0 < index < len(name) - 1]
    if how == "misread":
        for source, target in (("m", "rn"), ("rn", "m"), ("l", "i"), ("cl", "d")):
            if source in name[1:]:
                at = name.index(source, 1)
                return name[:at] + target + name[at + len(source) :]
    if not vowels:
        return name
    at = rng.choice(vowels)
    if how == "vowel lost":
        return name[:at] + name[at + 1 :]
    return name[:at] + rng.choice([v for v in "aeiou" if v != name[at]]) + name[at + 1 :]


def rendered(rng: random.Random, tradition: str, name: str) -> str:
    """How organisation B received a name: in its script, machine-transliterated, or respelt by a clerk."""
    if tradition == "vietnamese":
        return anyascii(name) if rng.random() < 0.6 else name
    if tradition == "latin":
        return noisy(rng, name.title()) if rng.random() < 0.3 else name.title()
    how = rng.choice(("script", "anyascii", "respelt", "respelt"))
    if how == "script":
        return in_script(tradition, name)
    if how == "anyascii":
        return anyascii(in_script(tradition, name))
    return respell(rng, name)


def generate(people: int, seed: int) -> tuple[list[dict], list[dict], list[tuple[str, str]]]:
    """Records of organisations A and B and the true pairs (a_id, b_id)."""
    rng = random.Random(seed * 7919 + 17)
    traditions = list(TRADITIONS)
    a_rows, b_rows, truth = [], [], []
    for index in range(people):
        tradition = rng.choice(traditions)
        given_m, given_f, family_names = TRADITIONS[tradition]
        sex = rng.choice("MF")
        pool = given_m if sex == "M" else given_f
        given = rng.choice(pool)
        if tradition in ("arabic", "persian") and rng.random() < 0.25:
            given = f"{given} {rng.choice(pool)}"  # a second given name (or a father's name)
        family = rng.choice(family_names)
        if tradition == "arabic" and rng.random() < 0.3:
            family = f"al {family}"
        year, month, day = rng.randint(1955, 2012), rng.randint(1, 12), rng.randint(1, 28)
        a_given = given.title() if given.isascii() else given
        a_family = family.title() if family.isascii() else family
        a_row = {
            "given_name": a_given,
            "family_name": a_family,
            "date_of_birth": f"{year:04d}-{month:02d}-{day:02d}",
            "sex": sex,
            "citizenship": COUNTRY[tradition],
        }
        b_given, b_family = rendered(rng, tradition, given), rendered(rng, tradition, family)
        if rng.random() < 0.15:
            b_given = noisy(rng, b_given)
        if len(given.split()) > 1 and rng.random() < 0.4:
            b_given = rendered(rng, tradition, given.split()[0])  # the first given name only
        if tradition == "vietnamese" and rng.random() < 0.5 or rng.random() < 0.1:
            b_given, b_family = b_family, b_given  # family name first
        born = f"{year:04d}-{month:02d}-{day:02d}"
        trouble = rng.random()
        if trouble < 0.12:
            born = f"{year:04d}"
        elif trouble < 0.2:
            born = f"{year:04d}-{month:02d}"
        elif trouble < 0.3 and day <= 12:
            born = f"{year:04d}-{day:02d}-{month:02d}"
        elif trouble < 0.36:
            born = f"{year + rng.choice((-1, 1)):04d}-{month:02d}-{day:02d}"
        b_row = {
            "given_name": b_given,
            "family_name": b_family,
            "date_of_birth": born,
            "sex": sex if rng.random() < 0.95 else "",
            "citizenship": COUNTRY[tradition] if rng.random() < 0.7 else "",
        }
        roll = rng.random()
        a_id, b_id = f"a{index}", f"b{index}"
        if roll < 0.8:
            a_rows.append({"id": a_id, **a_row})
            b_rows.append({"id": b_id, **b_row})
            truth.append((a_id, b_id))
        elif roll < 0.9:
            a_rows.append({"id": a_id, **a_row})
        else:
            b_rows.append({"id": b_id, **b_row})
        if rng.random() < 0.08:
            # A relative in B: the same family name spelt the same way, another given name, another date.
            relative = dict(b_row, given_name=rendered(rng, tradition, rng.choice(pool)))
            relative["date_of_birth"] = (
                f"{year + rng.choice((-25, -3, 3, 25)):04d}-{rng.randint(1, 12):02d}-15"
            )
            b_rows.append({"id": f"b{index}r", **relative})
    rng.shuffle(a_rows)
    rng.shuffle(b_rows)
    return a_rows, b_rows, truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out-dir", type=Path, required=True)
    args = parser.parse_args()
    write(args.out_dir, *generate(args.people, args.seed))


if __name__ == "__main__":
    main()
