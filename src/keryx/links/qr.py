"""QR codes of tracked links (segno), for posters, slides and flyers."""

from __future__ import annotations

import io

FORMATS = {"svg": "image/svg+xml", "png": "image/png"}


def qr_image(url: str, fmt: str) -> bytes:
    """The QR code of ``url`` as SVG or PNG; error correction M survives a smudged print."""
    import segno

    code = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    if fmt == "svg":
        code.save(out, kind="svg", scale=10, border=4, xmldecl=True, svgns=True)
    elif fmt == "png":
        code.save(out, kind="png", scale=12, border=4)
    else:
        raise ValueError(f"unknown QR format {fmt!r}")
    return out.getvalue()
