"""Facebook Pages through Meta's Graph API: the only place its endpoints appear.

:class:`GraphAPI` is the Graph API machinery the three Meta connectors share (Facebook,
Instagram with Facebook Login, Threads on ``graph.threads.net``): every call goes through
:class:`keryx.core.http.OutboundClient`, and every error payload becomes one typed error in
:func:`graph_error`. :class:`FacebookClient` adds the Pages endpoints and Facebook Login.

Documentation behind each payload (fixtures/ keeps a copy of each with its source):

- Pages API, posts: https://developers.facebook.com/docs/pages-api/posts
- Page feed: https://developers.facebook.com/docs/graph-api/reference/page/feed
- Page photos / multi-photo posts: https://developers.facebook.com/docs/graph-api/photo-uploads
- Page published posts: https://developers.facebook.com/docs/graph-api/reference/page/published_posts
- Page insights: https://developers.facebook.com/docs/graph-api/reference/insights
- Page tagged (mentions): https://developers.facebook.com/docs/graph-api/reference/page/tagged
- Page webhooks (feed, mention): https://developers.facebook.com/docs/graph-api/webhooks/reference/page
- Handling errors: https://developers.facebook.com/docs/graph-api/guides/error-handling
- Rate limits: https://developers.facebook.com/docs/graph-api/overview/rate-limiting
- Facebook Login (manual flow), long-lived tokens, Page tokens:
  https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow
  https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived
  https://developers.facebook.com/docs/pages/getting-started
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx

from keryx.networks.meta_graph import (
    FacebookLogin,
    insight_values,
)

# Facebook Login permissions for publishing to and reading from Pages the user manages.
PAGE_SCOPES = (
    "pages_show_list",
    "pages_read_engagement",
    "pages_read_user_engagement",
    # /{page-id}/tagged: public posts that tag (mention) the Page.
    "pages_read_user_content",
    "pages_manage_posts",
    "pages_manage_engagement",
    "read_insights",
)


class FacebookClient(FacebookLogin):
    """Pages endpoints, with a Page access token."""

    def __init__(self, *, access_token: str = "", transport: httpx.BaseTransport | None = None):
        super().__init__(access_token=access_token, transport=transport)

    def page(self, page_id: str) -> dict[str, Any]:
        return self.get(f"/{page_id}", {"fields": "id,name,link,picture{url}"})

    # --- posts ----------------------------------------------------------------------------------
    def upload_unpublished_photo(self, page_id: str, path: Path, mime: str) -> str:
        """Upload a photo without publishing it (``published=false``) and return its id, to be
        attached to a feed post. An unpublished photo is visible to nobody, so this upload is
        safe to repeat after a timeout."""
        with path.open("rb") as handle:
            body = self.post(
                f"/{page_id}/photos",
                {"published": "false"},
                files={"source": (path.name, handle, mime)},
                idempotent=True,
            )
        return str(body["id"])

    def create_feed_post(
        self, page_id: str, *, message: str, link: str = "", photo_ids: Sequence[str] = ()
    ) -> str:
        data: dict[str, Any] = {"message": message}
        if link:
            data["link"] = link
        for index, photo_id in enumerate(photo_ids):
            data[f"attached_media[{index}]"] = json.dumps({"media_fbid": photo_id})
        return str(self.post(f"/{page_id}/feed", data)["id"])

    def post_details(self, post_id: str) -> dict[str, Any]:
        return self.get(f"/{post_id}", {"fields": "id,permalink_url,created_time"})

    def comment(self, object_id: str, message: str) -> str:
        """Comment on a post, or reply to a comment."""
        return str(self.post(f"/{object_id}/comments", {"message": message})["id"])

    def delete_object(self, object_id: str) -> None:
        self.delete(f"/{object_id}")

    def published_posts(self, page_id: str, *, since: int) -> Iterator[dict[str, Any]]:
        return self.pages(
            f"/{page_id}/published_posts",
            {"fields": "id,message,created_time,permalink_url", "since": since, "limit": 50},
        )

    def engagement(self, post_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Reactions, comments and shares of up to 50 posts in one request."""
        body = self.get(
            "/",
            {
                "ids": ",".join(post_ids),
                "fields": "reactions.summary(total_count).limit(0),"
                "comments.summary(total_count).limit(0),shares",
            },
        )
        return {key: value for key, value in body.items() if isinstance(value, dict)}

    def post_insights(self, post_id: str, metrics: Sequence[str]) -> dict[str, int]:
        body = self.get(f"/{post_id}/insights", {"metric": ",".join(metrics)})
        return insight_values(body)

    def tagged(self, page_id: str, *, cursor: str = "") -> tuple[list[dict[str, Any]], str]:
        """One page of the public posts that tag the Page, newest first, and the next cursor.
        ``from`` is given only for Pages' posts: a person's stays hidden (the docs' limit)."""
        return self.one_page(
            f"/{page_id}/tagged",
            {"fields": "id,message,created_time,from,permalink_url", "limit": 100},
            cursor=cursor,
        )

    def recent_posts_with_comments(self, page_id: str, *, limit: int = 25) -> list[dict[str, Any]]:
        fields = (
            "id,permalink_url,comments.filter(stream).order(reverse_chronological).limit(100)"
            "{id,message,created_time,from,permalink_url,parent{id}}"
        )
        body = self.get(f"/{page_id}/published_posts", {"fields": fields, "limit": limit})
        return list(body.get("data") or [])
