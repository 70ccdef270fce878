"""The live stream beside Q&A and polls: YouTube Live, Facebook Live, Vimeo, or an HLS
address played by the vendored hls.js. Each gives the player's address and the origins the
page's Content-Security-Policy must allow for it (only on that page)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit


@dataclass(frozen=True)
class Embed:
    kind: str  # "frame" or "hls"
    src: str
    origins: tuple[str, ...]


def stream_embed(url: str) -> Embed | None:
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        return None
    host = parts.hostname.lower().removeprefix("www.").removeprefix("m.")
    path = parts.path.rstrip("/")
    video = ""
    if host in {"youtube.com", "youtu.be"}:
        if host == "youtu.be":
            video = path.lstrip("/")
        elif path == "/watch":
            video = parse_qs(parts.query).get("v", [""])[0]
        elif path.startswith(("/live/", "/embed/")):
            video = path.split("/")[2]
        if video.replace("-", "").replace("_", "").isalnum():
            return Embed(
                "frame",
                f"https://www.youtube-nocookie.com/embed/{video}?autoplay=1&mute=1",
                ("https://www.youtube-nocookie.com",),
            )
        return None
    if host in {"vimeo.com", "player.vimeo.com"}:
        bits = [b for b in path.split("/") if b]
        if bits[:1] == ["event"] and len(bits) > 1 and bits[1].isdigit():
            return Embed(
                "frame", f"https://vimeo.com/event/{bits[1]}/embed", ("https://vimeo.com",)
            )
        last = bits[-1] if bits else ""
        if last.isdigit():
            return Embed(
                "frame", f"https://player.vimeo.com/video/{last}", ("https://player.vimeo.com",)
            )
        return None
    if host in {"facebook.com", "fb.watch"}:
        return Embed(
            "frame",
            "https://www.facebook.com/plugins/video.php?show_text=false&href="
            + quote(url, safe=""),
            ("https://www.facebook.com",),
        )
    if path.endswith(".m3u8"):
        origin = f"{parts.scheme}://{parts.netloc}"
        return Embed("hls", url, (origin,))
    return None


def csp_for(embed: Embed | None) -> dict[str, list[str]]:
    if embed is None:
        return {}
    if embed.kind == "frame":
        return {"frame-src": list(embed.origins)}
    return {"media-src": [*embed.origins, "blob:"], "connect-src": list(embed.origins)}
