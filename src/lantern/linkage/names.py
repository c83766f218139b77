"""Names and free text in one Latin form, so that spellings from different alphabets can be compared.

Three steps, each a pure function:

- :func:`latin` turns any script into lower-case ASCII letters and digits (Arabic ``محمد`` → ``mhmd``,
Cyrillic
  ``Мухаммад`` → ``mukhammad``, Ge'ez ``ዮሃንስ`` → ``yohans``), drops apostrophes and collapses punctuation.
- :func:`canonical_name` also replaces well-known variant spellings, listed in ``name_variants.yaml``, by one
  canonical spelling (``mohamed``, ``mukhammad`` and ``mhmd`` all become ``muhammad``), writes compound
  names one way (``Abd al-Rahman``, ``Abdel Rahman``, ``Abdurrahman`` and ``عبد الرحمن`` all become
  ``abdrahman``; ``Salah al-Din``, ``Salahuddin`` and ``Salah Eddine`` become ``salahdin``) and leaves out
  articles and particles that one clerk writes and another does not (``Al-``, ``El``, ``bin``, ``Thị``,
  ``van``).
- :func:`skeleton` reduces a name to its consonants after merging the digraphs that transliteration schemes
spell
  differently (``kh``/``h``, ``ou``/``u``, ``sh``/``ch``...). Arabic script writes no short vowels, so a
  consonant skeleton is what a name read from Arabic and the same name spelt in Latin letters share.

The functions are cached: person data repeats the same names many times.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources

import yaml
from anyascii import anyascii

_APOSTROPHES = re.compile(r"['`ʼʻ’‘´]")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# Order matters: longer digraphs first.
_DIGRAPHS = (
    ("shch", "s"),
    ("sch", "s"),
    ("tch", "s"),
    ("sh", "s"),
    ("ch", "s"),
    ("zh", "j"),
    ("dj", "j"),
    ("dzh", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("ts", "s"),
    ("tz", "s"),
    ("ck", "k"),
    ("q", "k"),
    ("c", "k"),
    ("x", "ks"),
    ("z", "s"),
)
# ``w`` and ``y`` also write long vowels in transliterated Arabic (``ywsf`` for Yusuf).
_VOWELS = re.compile(r"[aeiouwy]+")
_REPEATS = re.compile(r"(.)\1+")


@lru_cache(maxsize=200_000)
def latin(text: str) -> str:
    """Lower-case ASCII letters, digits and single spaces; empty for blank or unconvertible input."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = anyascii(text)
    text = _APOSTROPHES.sub("", text.lower())
    return _NOT_ALNUM.sub(" ", text).strip()


@cache
def _variants() -> dict[str, str]:
    source = resources.files("lantern.linkage").joinpath("name_variants.yaml").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for canonical, variants in (yaml.safe_load(source) or {}).items():
        for variant in variants or ():
            table[str(variant)] = str(canonical)
    return table


# Articles and particles written, dropped or joined at will: ``Al-Hassan``/``Hassan``, ``bin Ali``/``Ali``,
# ``Nguyễn Thị Lan``/``Nguyễn Lan`` (Thị and Văn mark a Vietnamese woman's and man's middle name), ``van der
# Berg``/``Berg``. ``Le`` is not one: it is a Vietnamese family name.
PARTICLES = frozenset(
    (
        "al el ad ar as at az an en ash ul ud ed bin ben ibn bint ould wuld thi "
        "van der den de la del da dos das du"
    ).split()
)
# Arabic script writes the article joined to the name (``الحسن`` is al-Hassan) and "servant of" often joined
# too (``عبدالرحمن``): the article goes, as in Latin spellings.
_ARABIC_ABD = re.compile("\u0639\u0628\u062f\\s*\u0627\u0644")
_ARABIC_ARTICLE = re.compile("(?<![\u0621-\u064a])\u0627\u0644(?=[\u0621-\u064a]{2})")
# "Servant of": abd, abdel, abdul, abdur... joined to the name it governs (abdrahman, abdaziz, abdlah).
# (``abdurrahman`` is abd-ur-rahman, ``abdurakhman`` abd-u-rakhman: an assimilated article doubles the r.)
_ABD = re.compile(r"^abd(?:oul|el|al|ul|ol|us|as|es|[uaei]r(?=r)|i|u|e)?(?=[a-z]{3})")
_ABD_WORDS = frozenset({"abd", "bd", "abdel", "abdal", "abdul", "abdol", "abdoul", "abdu", "abdi"})
# "... of the faith": Salah al-Din, Salahuddin, Salah Eddine, Nour Eddine, Nureddin.
_DIN_WORD = re.compile(r"^(?:[uaei]d)?d[iy]ne?$")
_DIN_SUFFIX = re.compile(r"^([a-z]{3,}?)(?:ud|ed|ad|id|al|el|ul|u|e|a)?d?dine?$")


# The article joined in Latin letters (Alhasan, Elkhatib): dropped before a consonant when a name of four
# letters or more remains, except in names where "al"/"el" is not an article.
_JOINED_ARTICLE = re.compile(r"^(?:al|el)(?=[bcdfghjkmnpqrstvwxz][a-z]{3})")
_NOT_AN_ARTICLE = frozenset(
    "albert alberto albertina alfred alfredo alfonso alvaro alvin alban albin albina alberta almir almira "
    "elmer elton elvira elvis elsa elham elmira elnara elbert elfriede".split()
)


def _compound_words(words: list[str]) -> list[str]:
    """Compound names as one word, particles left out (unless nothing else is left)."""
    joined: list[str] = []
    for word in words:
        if _DIN_WORD.match(word):
            while len(joined) > 1 and joined[-1] in PARTICLES:  # Salah al-Din
                joined.pop()
            if joined and joined[-1] not in PARTICLES:
                joined[-1] += "din"
                continue
        if joined and joined[-1] in _ABD_WORDS:
            if word not in PARTICLES:
                joined[-1] = "abd" + word
            continue  # "abd al-": the article waits for its name
        joined.append(word)
    kept = [word for word in joined if word not in PARTICLES and word not in _ABD_WORDS] or joined
    result = []
    for word in kept:
        if word not in _NOT_AN_ARTICLE:
            word = _JOINED_ARTICLE.sub("", word)
        word = _ABD.sub("abd", word)
        din = _DIN_SUFFIX.match(word)
        result.append(din[1] + "din" if din and word != "din" else word)
    return result


@lru_cache(maxsize=200_000)
def canonical_name(text: str) -> str:
    """:func:`latin`, then each word replaced by its canonical spelling when it is a known variant, compound
    names joined and particles left out."""
    if not text.isascii():
        text = _ARABIC_ARTICLE.sub("", _ARABIC_ABD.sub("\u0639\u0628\u062f ", text))
    variants = _variants()
    words = [variants.get(word, word) for word in latin(text).split()]
    return " ".join(variants.get(word, word) for word in _compound_words(words))


@lru_cache(maxsize=200_000)
def word_skeletons(text: str) -> tuple[str, ...]:
    """The skeleton of each word of a canonical name, sorted (``thi lan nguyen`` and ``nguyen lan`` give the
    same): for comparing names split, ordered or shortened differently."""
    return tuple(sorted(skeleton(word) for word in canonical_name(text).split()))


@lru_cache(maxsize=200_000)
def skeleton(text: str) -> str:
    """The consonant skeleton of a canonical name, without spaces (``muhammad ali`` → ``mhmdl``).

    A leading vowel is dropped as well (Arabic ``'hmd`` and Latin ``ahmed`` both give ``hmd``), and so is a
    final
    ``h`` (``fatimah``, Arabic ``ftmh`` and ``fatima`` give ``ftm``).
    """
    name = canonical_name(text).replace(" ", "")
    word = name
    for digraph, replacement in _DIGRAPHS:
        word = word.replace(digraph, replacement)
    word = _REPEATS.sub(r"\1", _VOWELS.sub("", word))
    if len(word) > 2 and word.endswith("h"):
        word = word[:-1]
    # A name of vowels only (``aya``) keeps its letters rather than becoming an empty key that matches
    # anything.
    return word or name
