"""The column layouts of the three ad platforms' exports (docs/analytics.md lists the sources).

Each field lists the header names the platform uses, English first, then Greek where its
Greek interface exports translated headers; headers are matched with case and accents folded.
"""

from __future__ import annotations

from dataclasses import dataclass

from keryx.analytics.enums import AdPlatform
from keryx.core.text import text_key


@dataclass(frozen=True)
class Layout:
    platform: AdPlatform
    # field → header names; a name ending in "*" matches any header starting with it
    # (Meta writes the currency into the header: "Amount spent (EUR)").
    columns: dict[str, tuple[str, ...]]
    # Fields whose presence tells this platform's export from the others'.
    signature: tuple[str, ...]
    # How numeric dates are written when the file does not show it (English interface).
    day_first: bool

    def find(self, header: list[str]) -> dict[str, int]:
        keys = [text_key(h) for h in header]
        found: dict[str, int] = {}
        for name, options in self.columns.items():
            for option in options:
                wanted = text_key(option)
                for i, key in enumerate(keys):
                    hit = key.startswith(wanted[:-1]) if wanted.endswith("*") else key == wanted
                    if hit and i not in found.values():
                        found[name] = i
                        break
                if name in found:
                    break
        return found


META = Layout(
    platform=AdPlatform.META,
    columns={
        "campaign": ("Campaign name", "Όνομα καμπάνιας"),
        "day": ("Day", "Ημέρα"),
        "start": ("Reporting starts", "Έναρξη αναφοράς"),
        "end": ("Reporting ends", "Λήξη αναφοράς"),
        "spend": ("Amount spent*", "Ποσό που δαπανήθηκε*"),
        "impressions": ("Impressions", "Εμφανίσεις"),
        "reach": ("Reach", "Κάλυψη"),
        "clicks": ("Link clicks", "Κλικ σε σύνδεσμο", "Clicks (all)", "Κλικ (όλα)"),
        "currency": ("Currency", "Νόμισμα"),
    },
    # "Amount spent (EUR)" is Meta's own; the dates are "Day" or "Reporting starts/ends".
    signature=("spend",),
    day_first=False,
)

LINKEDIN = Layout(
    platform=AdPlatform.LINKEDIN,
    columns={
        "campaign": ("Campaign Name", "Campaign"),
        "day": ("Start Date (in UTC)", "Start Date"),
        "end": ("End Date (in UTC)", "End Date"),
        "spend": ("Total Spent",),
        "impressions": ("Impressions",),
        "reach": ("Reach", "Approximate Member Reach"),
        "clicks": ("Clicks",),
        "currency": ("Currency",),
    },
    signature=("day", "spend"),
    day_first=False,
)

GOOGLE = Layout(
    platform=AdPlatform.GOOGLE,
    columns={
        "campaign": ("Campaign", "Καμπάνια"),
        "day": ("Day", "Ημέρα"),
        "spend": ("Cost", "Κόστος"),
        "impressions": ("Impr.", "Impressions", "Εμφ.", "Εμφανίσεις"),
        "clicks": ("Clicks", "Κλικ"),
        "currency": ("Currency code", "Currency", "Κωδικός νομίσματος", "Νόμισμα"),
    },
    signature=("campaign", "spend"),
    day_first=False,
)

# Tried in this order: the most specific signature first.
LAYOUTS = (META, LINKEDIN, GOOGLE)
