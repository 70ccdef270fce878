"""Forms of the compose pages. The domain validates; these parse what the browser sends."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from keryx.content.enums import CampaignPhase, PostStatus, Theme
from keryx.core.forms import HashtagListField, WordListField


def _blank(choices: Any, label: Any) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class ComposerForm(forms.Form):
    """The post's own fields on the composer page (variants are parsed in composer.py)."""

    seminar = forms.TypedChoiceField(label=_("Seminar"), coerce=int)
    campaign_phase = forms.ChoiceField(
        label=_("Campaign phase"),
        required=False,
        choices=_blank(CampaignPhase.choices, _("No particular phase")),
    )
    theme = forms.ChoiceField(
        label=_("Theme"), required=False, choices=_blank(Theme.choices, _("No theme"))
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    master_text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 7, "data-master": "1", "lang": "el"}),
        help_text=_("Written once; every network below starts from it."),
    )
    link_url = forms.URLField(
        label=_("Link"), required=False, assume_scheme="https", max_length=1000
    )
    upload = forms.FileField(
        label=_("Add an image or video"),
        required=False,
        help_text=_("JPEG, PNG, WebP, GIF, MP4 or MOV. It goes to the media library too."),
    )
    upload_alt = forms.CharField(
        label=_("Description of the new file (alt text)"), required=False, max_length=1500
    )

    def __init__(self, *args: Any, seminars: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seminar"].choices = seminars  # type: ignore[attr-defined]
        # Set when someone saved the post since this form was opened: the rows to merge.
        self.merge: list[dict[str, Any]] | None = None


class FilterForm(forms.Form):
    seminar = forms.TypedChoiceField(label=_("Seminar"), coerce=int, required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(PostStatus.choices, _("Any status"))
    )

    def __init__(self, *args: Any, seminars: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seminar"].choices = [("", _("All seminars")), *seminars]  # type: ignore[attr-defined]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
    alt_text = forms.CharField(
        label=_("Description (alt text)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the picture shows, for people who use screen readers."),
    )


class MediaForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    alt_text = forms.CharField(
        label=_("Description (alt text)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    focal_x = forms.FloatField(
        label=_("Focus, left to right (0–1)"),
        min_value=0,
        max_value=1,
        help_text=_("Where the subject is; crops keep it in the picture. 0.5 is the middle."),
    )
    focal_y = forms.FloatField(label=_("Focus, top to bottom (0–1)"), min_value=0, max_value=1)


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    theme = forms.ChoiceField(
        label=_("Theme"), required=False, choices=_blank(Theme.choices, _("No theme"))
    )
    campaign_phase = forms.ChoiceField(
        label=_("Campaign phase"),
        required=False,
        choices=_blank(CampaignPhase.choices, _("No particular phase")),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    hashtag_set = forms.TypedChoiceField(
        label=_("Hashtag set"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, hashtag_sets: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hashtag_set"].choices = [("", _("None")), *hashtag_sets]  # type: ignore[attr-defined]


class HashtagSetForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    hashtags = HashtagListField(label=_("Hashtags"))


class KeywordListForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    keywords = WordListField(label=_("Keywords"))


class PolicyForm(forms.Form):
    required_approvals = forms.TypedChoiceField(
        label=_("Approvals a post needs"),
        coerce=int,
        choices=[(1, _("One approval")), (2, _("Two approvals, by two different people"))],
    )
    approvers = forms.TypedMultipleChoiceField(
        label=_("Who approves"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked for every owner and manager."),
    )
    instagram_max_hashtags = forms.IntegerField(
        label=_("Instagram: most hashtags per post"), min_value=0, max_value=30
    )

    def __init__(self, *args: Any, candidates: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["approvers"].choices = candidates  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mention a teammate with @ and their e-mail name, e.g. @nikos."),
    )


class DuplicateForm(forms.Form):
    seminar = forms.TypedChoiceField(label=_("To seminar"), coerce=int)

    def __init__(self, *args: Any, seminars: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seminar"].choices = seminars  # type: ignore[attr-defined]
