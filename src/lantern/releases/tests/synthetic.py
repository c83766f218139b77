"""Synthetic CTDC rows (the keys `lantern.insights.microdata.ctdc_rows` gives), for tests and the bench."""

from __future__ import annotations

import random
from typing import Any

AGE_BANDS = ("0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+")
CITIZENSHIPS = ("AL", "NG", "SY", "AF", "RO", "UA", "PK", "BD", "GR", "VN", "ER", "MA", "CN", "PH")
EXPLOITATION_COUNTRIES = ("GR", "IT", "FR", "DE", "ES")


def ctdc_row(
    *,
    year: int = 2024,
    gender: str | None = "Female",
    age: str | None = "21--23",
    citizenship: str | None = "NG",
    exploitation: str = "sexual",
    country: str | None = "GR",
    documents_withheld: int = 0,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "yearOfRegistration": year,
        "gender": gender,
        "ageBroad": age,
        "majorityStatus": None if age is None else ("Minor" if age in AGE_BANDS[:2] else "Adult"),
        "citizenship": citizenship,
        "CountryOfExploitation": country,
        "meansOfControlWithholdsDocuments": documents_withheld,
    }
    if exploitation == "sexual":
        row["isSexualExploit"] = 1
    elif exploitation == "domestic":
        row.update(isForcedLabour=1, typeOfLabourDomesticWork=1)
    elif exploitation == "begging":
        row.update(isForcedLabour=1, typeOfLabourBegging=1)
    elif exploitation == "labour":
        row["isForcedLabour"] = 1
    elif exploitation == "marriage":
        row["isForcedMarriage"] = 1
    return row


def synthetic_rows(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """`count` persons with a skew like real registrations (a few nationalities and forms dominate)."""
    rng = random.Random(seed)
    forms = ("sexual", "domestic", "begging", "labour", "marriage", "unknown")
    rows = []
    for _ in range(count):
        rows.append(
            ctdc_row(
                year=rng.randint(2016, 2025),
                gender=rng.choices(("Female", "Male", None), (6, 3, 1))[0],
                age=rng.choices((*AGE_BANDS, None), (2, 4, 6, 8, 8, 7, 8, 4, 2, 1))[0],
                citizenship=rng.choices(CITIZENSHIPS, [14 - i for i in range(len(CITIZENSHIPS))])[0],
                exploitation=rng.choices(forms, (8, 4, 2, 3, 1, 1))[0],
                country=rng.choices(EXPLOITATION_COUNTRIES, (10, 3, 2, 2, 1))[0],
                documents_withheld=int(rng.random() < 0.3),
            )
        )
    return rows
