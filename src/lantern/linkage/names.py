"""Names and free text in one Latin form, so that spellings from different alphabets can be compared.

Three steps, each a pure function:

- :func:`latin` turns any script into lower-case ASCII letters and digits (Arabic ``محمد`` → ``mhmd``,
Cyrillic
  ``Мухаммад`` → ``mukhammad``, Ge'ez ``ዮሃንስ`` → ``yohans``), drops apostrophes and collapses punctuation.
- :func:`canonical_name` also replaces well-known variant spellings, listed in ``name_variants.yaml``, by one
  canonical spelling (``mohamed``, ``mukhammad`` and ``mhmd`` all become ``muhammad``).
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


@lru_cache(maxsize=200_000)
def canonical_name(text: str) -> str:
    """:func:`latin`, then each word replaced by its canonical spelling when it is a known variant."""
    words = latin(text).split()
    variants = _variants()
    return " ".join(variants.get(word, word) for word in words)


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
