"""The offline sentiment analyser: Greek, English, Greeklish, its rules and its labelled set."""

from __future__ import annotations

import pytest

from keryx.insights.evaluate import evaluate
from keryx.insights.sentiment.analyser import analyse
from keryx.insights.sentiment.language import detect
from keryx.insights.sentiment.phonetic import fold, greek_key, greeklish_keys


def test_labelled_set_has_at_least_100_texts_per_form_with_balanced_labels() -> None:
    scores = evaluate()
    assert {k: s.total for k, s in scores.items()} == {
        "el": 158,
        "en": 155,
        "greeklish": 156,
        "all": 469,
    }
    for form in ("el", "en", "greeklish"):
        labels = {(gold, "") for (gold, _got) in scores[form].confusion}
        assert len(labels) == 3


def test_accuracy_per_form_on_the_labelled_set() -> None:
    scores = evaluate()
    assert scores["el"].accuracy >= 0.9
    assert scores["en"].accuracy >= 0.9
    assert scores["greeklish"].accuracy >= 0.9
    assert scores["all"].language_accuracy >= 0.97


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("Πολύ καλό σεμινάριο", "el"),
        ("Το workshop ήταν super", "el"),
        ("Great talk, thanks!", "en"),
        ("poli kalo seminario", "greeklish"),
        ("8a yparxei vinteoskopisi?", "greeklish"),
        ("Where is room B?", "en"),
        ("👍👍", "en"),
    ],
)
def test_language_form(text: str, form: str) -> None:
    assert detect(text) == form


def test_greeklish_is_reported_as_greek() -> None:
    result = analyse("xalia o hxos")
    assert (result.label, result.language, result.form) == ("negative", "el", "greeklish")


def test_case_and_accents_fold_to_one_key() -> None:
    assert fold("ΣΕΜΙΝΆΡΙΟ") == fold("σεμιναριο") == "σεμιναριο"
    assert greek_key(fold("Ευχαριστώ")) == "evxaristo"
    assert "evxaristo" in greeklish_keys("efxaristw")
    assert "evxaristo" in greeklish_keys("eyxaristo")
    assert greek_key(fold("θέλω")) in greeklish_keys("8elw")
    assert greek_key(fold("θέλω")) in greeklish_keys("thelo")


def test_accents_and_case_do_not_change_the_label() -> None:
    assert analyse("ΤΕΛΕΙΟ ΣΕΜΙΝΑΡΙΟ").label == "positive"
    assert analyse("τελειο σεμιναριο").label == "positive"
    assert analyse("Τέλειο σεμινάριο").label == "positive"


def test_negation_flips_within_its_scope_only() -> None:
    assert analyse("Μου άρεσε η ομιλία").label == "positive"
    assert analyse("Δεν μου άρεσε η ομιλία").label == "negative"
    assert analyse("Δεν ήταν καθόλου κακό").label == "positive"
    assert analyse("Καθόλου καλό").label == "negative"
    # the scope ends at punctuation: the praise after the comma stands
    assert analyse("Δεν ήρθα νωρίς, αλλά ήταν υπέροχο").label == "positive"


def test_negated_functional_words_are_complaints() -> None:
    assert analyse("Ο σύνδεσμος λειτουργεί").label == "neutral"
    assert analyse("Ο σύνδεσμος δεν λειτουργεί").label == "negative"
    assert analyse("Ούτε ήχος ούτε εικόνα").label == "negative"
    assert analyse("The link does not work").label == "negative"
    assert analyse("Still no sound").label == "negative"


def test_intensifiers_diminishers_capitals_and_exclamation_move_the_score() -> None:
    plain = analyse("Καλό σεμινάριο").score
    assert analyse("Πολύ καλό σεμινάριο").score > plain
    assert analyse("Λίγο καλό σεμινάριο").score < plain
    assert analyse("ΚΑΛΟ σεμινάριο").score > plain
    assert analyse("Καλό σεμινάριο!!!").score > plain


def test_emoji_and_emoticons_carry_sentiment() -> None:
    assert analyse("😍").label == "positive"
    assert analyse("Η ομιλία 😡").label == "negative"
    assert analyse("ok :(").label == "negative"
    assert analyse("Τα λέμε αύριο :)").label == "positive"


def test_contrast_weighs_what_comes_after_but() -> None:
    assert analyse("Καλός ομιλητής αλλά απαράδεκτος ήχος").label == "negative"
    assert analyse("The room was cold but the talks were excellent").label == "positive"


def test_logistics_questions_are_neutral() -> None:
    for text in (
        "Τι ώρα ξεκινάει;",
        "Πότε θα ανέβουν τα βίντεο;",
        "pote 8a anevei to video?",
        "Is there parking near the venue?",
    ):
        assert analyse(text).label == "neutral", text


def test_score_is_within_bounds_and_cached_per_normalised_text() -> None:
    first = analyse("Πολύ   καλό!")
    assert first is analyse("Πολύ καλό!")
    assert -1.0 <= first.score <= 1.0


def test_set_phrases_mean_what_they_say() -> None:
    assert analyse("The talk was mediocre at best").label == "negative"
    assert analyse("I want my money back").label == "negative"
    assert analyse("Θέλω τα λεφτά μου πίσω").label == "negative"
    assert analyse("Ήταν ό,τι έπρεπε!").label == "positive"
    assert analyse("Καλή προσπάθεια αλλά χρειάζεται βελτίωση").label == "negative"
