"""The target personas beside the real audience: who registered and answered, how well each
persona matches them, and which network brought each segment (decision 0853)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from keryx.core.choices import GENDER_CHOICES
from keryx.core.text import text_key
from keryx.links.models import TrackedLink
from keryx.registrations.models import Registration
from keryx.seminars.models import Persona, Seminar
from keryx.surveys.domain.options import (
    AGE_OPTIONS,
    GENDER_OPTIONS,
    NETWORK_NAMES,
    SECTOR_OPTIONS,
    both,
)
from keryx.surveys.models import Answer, Response

MIN_SEGMENT = 5


@dataclass
class Person:
    age_band: str = ""
    gender: str = ""
    sector: str = ""
    network: str = ""


def audience_of(seminar: Seminar) -> list[Person]:
    """Registrants with a place, completed by their survey answers; plus anonymous respondents
    of the seminar's surveys (each response one person)."""
    codes = dict(TrackedLink.objects.filter(seminar=seminar).values_list("code", "network"))
    people: dict[Any, Person] = {}
    for reg in Registration.objects.filter(seminar=seminar, status="registered").values(
        "pk", "age_band", "gender", "first_touch_code", "last_touch_code"
    ):
        network = codes.get(reg["first_touch_code"] or reg["last_touch_code"] or "", "")
        gender = reg["gender"] if reg["gender"] != "undisclosed" else ""
        people[("r", reg["pk"])] = Person(reg["age_band"], gender, "", network)
    responses = Response.objects.filter(survey__seminar=seminar, submitted=True)
    owner: dict[int, Any] = {}
    for pk, reg_id, inv_reg_id, network in responses.values_list(
        "pk", "registration_id", "invitation__registration_id", "network"
    ):
        who = reg_id or inv_reg_id
        key = ("r", who) if who and ("r", who) in people else ("a", pk)
        owner[pk] = key
        if key not in people:
            people[key] = Person(network=network)
        elif not people[key].network:
            people[key].network = network
    answers = Answer.objects.filter(
        response__in=responses,
        question__kind__in=["age_band", "gender", "profession", "heard_from"],
    ).values_list("response_id", "question__kind", "choice")
    for response_id, kind, choice in answers:
        person = people[owner[response_id]]
        if kind == "age_band":
            person.age_band = choice
        elif kind == "gender" and choice in {"female", "male", "non_binary"}:
            person.gender = choice
        elif kind == "profession":
            person.sector = choice
        elif kind == "heard_from" and choice in NETWORK_NAMES and not person.network:
            person.network = choice
    return list(people.values())


def _stems(text: str) -> set[str]:
    return {w[:5] for w in text_key(text).replace(",", " ").split() if len(w) >= 5}


def sector_keys(text: str) -> set[str]:
    """Our sector options a persona's free-text sector (or profession) speaks of."""
    stems = _stems(text)
    found = set()
    for key, label in SECTOR_OPTIONS:
        words = " ".join(both(label).values())
        if stems & _stems(words):
            found.add(key)
    return found


@dataclass
class PersonaMatch:
    persona: Persona
    score: int | None  # % of the audience (with the needed answers) that fits the persona
    fits: int
    known: int
    criteria: list[str]


def persona_match(persona: Persona, people: list[Person]) -> PersonaMatch:
    sectors = sector_keys(persona.sector) or sector_keys(persona.profession)
    criteria = []
    if persona.age_band:
        criteria.append("age_band")
    if persona.gender:
        criteria.append("gender")
    if sectors:
        criteria.append("sector")
    known = [p for p in people if all(getattr(p, c) for c in criteria)] if criteria else []
    fits = [
        p
        for p in known
        if (not persona.age_band or p.age_band == persona.age_band)
        and (not persona.gender or p.gender == persona.gender)
        and (not sectors or p.sector in sectors)
    ]
    score = round(100 * len(fits) / len(known)) if known else None
    return PersonaMatch(persona, score, len(fits), len(known), criteria)


def _labels() -> dict[str, dict[str, str]]:
    return {
        "age_band": {k: str(v) for k, v in AGE_OPTIONS},
        "gender": {k: str(v) for k, v in GENDER_OPTIONS},
        "sector": {k: str(v) for k, v in SECTOR_OPTIONS},
    }


def distributions(people: list[Person], personas: list[Persona]) -> list[dict[str, Any]]:
    """Per attribute, the audience's shares beside the personas' (as chart data)."""
    labels = _labels()
    persona_values = {
        "age_band": [p.age_band for p in personas if p.age_band],
        "gender": [p.gender for p in personas if p.gender],
        "sector": [k for p in personas for k in sorted(sector_keys(p.sector))[:1]],
    }
    titles = {"age_band": _("Age"), "gender": _("Gender"), "sector": _("Sector")}
    out = []
    for attr in ("age_band", "gender", "sector"):
        values = Counter(getattr(p, attr) for p in people if getattr(p, attr))
        targets = Counter(persona_values[attr])
        keys = [k for k in labels[attr] if values.get(k) or targets.get(k)]
        total, total_t = sum(values.values()) or 1, sum(targets.values()) or 1
        out.append(
            {
                "key": attr,
                "title": titles[attr],
                "n": sum(values.values()),
                "chart": {
                    "labels": [labels[attr][k] for k in keys],
                    "datasets": [
                        {
                            "label": _("Actual audience (%)"),
                            "data": [round(100 * values.get(k, 0) / total) for k in keys],
                        },
                        {
                            "label": _("Personas (%)"),
                            "data": [round(100 * targets.get(k, 0) / total_t) for k in keys],
                        },
                    ],
                },
            }
        )
    return out


def segment_networks(people: list[Person]) -> list[dict[str, Any]]:
    """For each segment of at least 5 people, the network that brought most of them:
    "LinkedIn brought 61 % of Marketing and communications (18 people)"."""
    labels = _labels()
    groups: dict[tuple[str, str], list[Person]] = defaultdict(list)
    for p in people:
        for attr in ("age_band", "gender", "sector"):
            value = getattr(p, attr)
            if value:
                groups[(attr, value)].append(p)
    out: list[dict[str, Any]] = []
    for (attr, value), members in groups.items():
        if len(members) < MIN_SEGMENT:
            continue
        counts = Counter(p.network for p in members if p.network in NETWORK_NAMES)
        if not counts:
            continue
        network, count = counts.most_common(1)[0]
        pct = round(100 * count / len(members))
        label = labels[attr].get(value, value)
        if attr == "age_band":
            segment = _("people aged %(band)s") % {"band": label}
        elif attr == "gender":
            segment = str(dict(GENDER_CHOICES).get(value, label)).lower()
        else:
            segment = _("people in %(label)s") % {"label": label.lower()}
        out.append(
            {
                "attr": attr,
                "value": value,
                "network": network,
                "pct": pct,
                "n": len(members),
                "sentence": _("%(network)s brought %(pct)s %% of %(segment)s (%(n)s people).")
                % {
                    "network": NETWORK_NAMES[network],
                    "pct": pct,
                    "segment": segment,
                    "n": len(members),
                },
            }
        )
    out.sort(key=lambda row: (-row["pct"], -row["n"]))
    return out
