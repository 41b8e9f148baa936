"""Synthetic person records with realistic recording errors, for tests and benchmarks of
batch resolution. Names from Faker (en_GB); phones in Ofcom's drama range; invented NB
postcodes. Returns rows and the truth (record id -> entity id)."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from faker import Faker

from sightline.demo.generator import NAME_VARIANTS

COLUMNS = ["id", "given_name", "surname", "date_of_birth", "address", "postcode", "phone"]


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.random()
    if op < 0.33:
        return word[:i] + word[i + 1 :]
    if op < 0.66:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice("aeiou") + word[i + 1 :]


def _phone_written(rng: random.Random, national: str) -> str:
    style = rng.random()
    if style < 0.4:
        return f"{national[:5]} {national[5:]}"
    if style < 0.7:
        return national
    if style < 0.9:
        return f"+44 {national[1:5]} {national[5:]}"
    return "+44" + national[1:]


def write_people(path: Path, *, entities: int, seed: int = 1) -> dict[str, str]:
    """About 1.6 records per entity; returns the truth map."""
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    given_pool = [fake.first_name() for _ in range(3000)]
    family_pool = [fake.last_name() for _ in range(5000)]
    streets = [f"{fake.building_number()} {fake.street_name()}" for _ in range(20000)]
    truth: dict[str, str] = {}
    n = 0
    with path.open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(COLUMNS)
        for e in range(entities):
            given, family = rng.choice(given_pool), rng.choice(family_pool)
            dob = f"{rng.randint(1960, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            street = rng.choice(streets)
            inward = f"{rng.randint(1, 9)}{rng.choice('ABDEFGHJLN')}{rng.choice('PQRSTUWXYZ')}"
            postcode = f"NB{rng.randint(1, 9)} {inward}"
            phone = f"07{rng.randint(100000000, 999999999)}"
            copies = 1 + (rng.random() < 0.45) + (rng.random() < 0.15)
            for _ in range(copies):
                n += 1
                g, f, d, a, p, t = given, family, dob, street, postcode, phone
                if rng.random() < 0.15 and g in NAME_VARIANTS:
                    g = rng.choice(NAME_VARIANTS[g])
                if rng.random() < 0.12:
                    f = _typo(rng, f)
                if rng.random() < 0.05:
                    y, m, dd = d.split("-")
                    if int(dd) <= 12:
                        d = f"{y}-{dd}-{m}"
                for field in ("d", "a", "p", "t"):
                    if rng.random() < 0.2:
                        if field == "d":
                            d = ""
                        elif field == "a":
                            a = ""
                        elif field == "p":
                            p = ""
                        else:
                            t = ""
                out.writerow([f"r{n}", g, f, d, a, p, _phone_written(rng, t) if t else ""])
                truth[f"r{n}"] = f"e{e}"
    return truth
