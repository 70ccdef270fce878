"""Messages are translated into Greek, with plural forms, and the catalogue is complete."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.utils import translation

from keryx.networks import text as network_text
from keryx.networks.rules import MediaInfo, check_media, check_text, check_variant

LOCALE = Path(network_text.__file__).parent / "locale" / "el" / "LC_MESSAGES"


class _Anything(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "7"


def test_greek_too_long_singular_and_plural() -> None:
    with translation.override("el"):
        one = check_text("x", "α" * 281).errors[0].message
        many = check_text("x", "α" * 300).errors[0].message
    assert one == (
        "Το X μετράει αυτή την ανάρτηση 281 χαρακτήρες, ενώ το όριο είναι 280. "
        "Συντομέψτε την κατά 1 χαρακτήρα."
    )
    assert many == (
        "Το X μετράει αυτή την ανάρτηση 300 χαρακτήρες, ενώ το όριο είναι 280. "
        "Συντομέψτε την κατά 20 χαρακτήρες."
    )


def test_greek_instagram_messages() -> None:
    with translation.override("el"):
        result = check_variant("instagram", "#α #β #γ #δ #ε #ζ", [])
    assert [p.message for p in result.errors] == [
        "Το Instagram χρειάζεται τουλάχιστον μία εικόνα ή ένα βίντεο. "
        "Προσθέστε μια φωτογραφία ή ένα βίντεο σε αυτή την ανάρτηση.",
        "Το Instagram επιτρέπει έως 5 hashtags ανά ανάρτηση και η ανάρτησή σας έχει 6. "
        "Αφαιρέστε 1.",
    ]


def test_greek_media_message_with_localised_numbers() -> None:
    video = MediaInfo("video", "video/mp4", 1280, 720, 1_000_000, 0.4, alt_text="Βίντεο")
    with translation.override("el"):
        problem = check_media("x", [video])[0]
    assert problem.message == (
        "Αυτό το βίντεο διαρκεί 0,4 δευτερόλεπτα και το X θέλει τουλάχιστον 0,5 δευτερόλεπτα. "
        "Χρησιμοποιήστε μεγαλύτερο βίντεο."
    )
    assert problem.params["duration_s"] == 0.4


def test_catalogue_complete_and_compiled() -> None:
    po = polib.pofile(str(LOCALE / "django.po"))
    assert po.percent_translated() == 100
    assert po.fuzzy_entries() == []
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    mo = polib.mofile(str(LOCALE / "django.mo"))
    assert {e.msgid: e.msgstr or e.msgstr_plural for e in mo} == {
        e.msgid: e.msgstr or {int(k): v for k, v in e.msgstr_plural.items()} for e in po
    }


@pytest.mark.parametrize("code", sorted(network_text._MESSAGES))
@pytest.mark.parametrize("plural", [1, 2])
def test_every_problem_message_has_greek(code: str, plural: int) -> None:
    english = network_text._MESSAGES[code](plural) % _Anything()
    with translation.override("el"):
        greek = network_text._MESSAGES[code](plural) % _Anything()
    assert greek != english
    assert any("\u0370" <= ch <= "\u03ff" for ch in greek)
