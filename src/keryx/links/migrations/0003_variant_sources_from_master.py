"""Variants that follow the master text get the master text back as their source.

``content.0004`` made every existing variant's published text its source, tracked links
included. For a variant that follows the master (``text_edited`` false) that source would
differ from the master text, and the next edit of the post would "re-sync" it and send an
approved post back to review once more. Where the published text is exactly the master text
with each plain link replaced by this variant's tracked link to the same destination, the
master text is the source. Anything else keeps its tracked source (safe: it publishes the
same links). Self-contained on purpose: a migration must not depend on today's code.
"""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.db import migrations

_DROPPED = {"utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "kx"}


def _destination(url):
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in _DROPPED]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _is_master_rewritten(master, text, destinations, tracked):
    pieces = tracked.split(text)  # [segment, code, segment, code, ..., segment]
    segments, codes = pieces[0::2], pieces[1::2]
    if not codes:
        return False
    pattern = "".join(
        re.escape(segment) + ("(https?://\\S+?)" if i < len(codes) else "")
        for i, segment in enumerate(segments)
    )
    found = re.fullmatch(pattern, master, flags=re.DOTALL)
    if found is None:
        return False
    return all(
        destinations.get(code) == _destination(url) for code, url in zip(codes, found.groups())
    )


def sources_from_master(apps, schema_editor):
    Variant = apps.get_model("content", "Variant")
    TrackedLink = apps.get_model("links", "TrackedLink")
    prefix = f"{settings.KERYX_BASE_URL}/r/"
    tracked = re.compile(re.escape(prefix) + "([0-9A-Za-z]{1,16})")
    followers = Variant.objects.filter(text_edited=False, text__contains=prefix).select_related(
        "post"
    )
    for variant in followers.iterator():
        if variant.source_text != variant.text:
            continue  # written since: its source is known
        destinations = dict(
            TrackedLink.objects.filter(variant_id=variant.pk).values_list("code", "destination")
        )
        master = variant.post.master_text
        if _is_master_rewritten(master, variant.text, destinations, tracked):
            Variant.objects.filter(pk=variant.pk).update(source_text=master)


class Migration(migrations.Migration):
    dependencies = [
        ("links", "0002_link_cache_state_row"),
        ("content", "0004_variant_source_fields"),
    ]

    operations = [
        migrations.RunPython(sources_from_master, migrations.RunPython.noop, elidable=True),
    ]
