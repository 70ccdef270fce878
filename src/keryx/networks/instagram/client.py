"""Instagram professional accounts through the Instagram Graph API with Facebook Login
(``graph.facebook.com``): the only place its endpoints appear. Errors are mapped by the shared
Graph machinery (:func:`keryx.networks.meta_graph.graph_error`), which also knows
Instagram's own codes (``2207042``: the 24-hour publishing limit is reached).

Documentation behind each payload (fixtures/ keeps a copy of each with its source):

- Content publishing: https://developers.facebook.com/docs/instagram-platform/content-publishing
- IG Container (status_code): https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-container
- Content publishing limit: https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/content_publishing_limit
- IG User media: https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media
- IG Media, comments, replies, insights:
  https://developers.facebook.com/docs/instagram-platform/reference/instagram-media
  https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-media/comments
  https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment/replies
  https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-media/insights
- Error codes: https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/error-codes
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import httpx

from keryx.networks.meta_graph import GRAPH_URL, GraphAPI

# Facebook Login permissions for publishing to, and reading, an Instagram professional account
# connected to a Page.
INSTAGRAM_SCOPES = (
    "pages_show_list",
    "pages_read_engagement",
    "instagram_basic",
    "instagram_content_publish",
    "instagram_manage_comments",
    "instagram_manage_insights",
)
PAGE_FIELDS = (
    "id,name,access_token,tasks,instagram_business_account{id,username,name,profile_picture_url}"
)


class InstagramClient(GraphAPI):
    def __init__(self, *, access_token: str = "", transport: httpx.BaseTransport | None = None):
        super().__init__(
            service="Instagram", base_url=GRAPH_URL, access_token=access_token, transport=transport
        )

    def user(self, ig_user_id: str) -> dict[str, Any]:
        return self.get(f"/{ig_user_id}", {"fields": "id,username,name,profile_picture_url"})

    def publishing_limit(self, ig_user_id: str) -> dict[str, Any]:
        """``{"quota_usage": 2, "config": {"quota_total": 50, "quota_duration": 86400}}``."""
        body = self.get(f"/{ig_user_id}/content_publishing_limit", {"fields": "quota_usage,config"})
        data = body.get("data") or [{}]
        first: dict[str, Any] = data[0]
        return first

    def create_container(self, ig_user_id: str, **fields: str) -> str:
        """A media container: not visible to anyone until published, and expiring after 24
        hours unpublished, so creating one again after a timeout cannot publish twice."""
        body = self.post(f"/{ig_user_id}/media", fields, idempotent=True)
        return str(body["id"])

    def container_status(self, container_id: str) -> dict[str, Any]:
        return self.get(f"/{container_id}", {"fields": "status_code,status"})

    def publish_container(self, ig_user_id: str, container_id: str) -> str:
        body = self.post(f"/{ig_user_id}/media_publish", {"creation_id": container_id})
        return str(body["id"])

    def media_details(self, media_id: str) -> dict[str, Any]:
        return self.get(f"/{media_id}", {"fields": "id,permalink,timestamp"})

    def comment(self, media_id: str, message: str) -> str:
        return str(self.post(f"/{media_id}/comments", {"message": message})["id"])

    def reply_to_comment(self, comment_id: str, message: str) -> str:
        return str(self.post(f"/{comment_id}/replies", {"message": message})["id"])

    def delete_media(self, media_id: str) -> None:
        self.delete(f"/{media_id}")

    def recent_media(self, ig_user_id: str, *, since: int) -> Iterator[dict[str, Any]]:
        return self.pages(
            f"/{ig_user_id}/media",
            {"fields": "id,caption,permalink,timestamp", "since": since, "limit": 50},
        )

    def media_counts(self, media_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        body = self.get("/", {"ids": ",".join(media_ids), "fields": "id,like_count,comments_count"})
        return {key: value for key, value in body.items() if isinstance(value, dict)}

    def media_insights(self, media_id: str, metrics: Sequence[str]) -> dict[str, Any]:
        return self.get(f"/{media_id}/insights", {"metric": ",".join(metrics)})

    def media_with_comments(self, ig_user_id: str, *, limit: int = 25) -> list[dict[str, Any]]:
        fields = (
            "id,permalink,timestamp,comments.limit(50){id,text,timestamp,username,"
            "replies{id,text,timestamp,username}}"
        )
        body = self.get(f"/{ig_user_id}/media", {"fields": fields, "limit": limit})
        return list(body.get("data") or [])

    # --- reading back (instagram-platform/instagram-graph-api/reference) -----------------------
    def hashtag_id(self, ig_user_id: str, hashtag: str) -> str:
        """``GET /ig_hashtag_search?user_id=…&q=…`` → ``{"data": [{"id": …}]}``. Each new
        hashtag counts against the account's 30 unique hashtags in 7 days."""
        data = self.get("/ig_hashtag_search", {"user_id": ig_user_id, "q": hashtag}).get("data")
        return str((data or [{}])[0].get("id") or "")

    def hashtag_recent_media(
        self, hashtag_id: str, ig_user_id: str, *, cursor: str = ""
    ) -> tuple[list[dict[str, Any]], str]:
        """Public media with the hashtag from the last 24 hours, newest first."""
        fields = "id,caption,media_type,permalink,timestamp,like_count,comments_count"
        return self.one_page(
            f"/{hashtag_id}/recent_media",
            {"user_id": ig_user_id, "fields": fields, "limit": 50},
            cursor=cursor,
        )

    def comments(self, media_id: str, *, cursor: str = "") -> tuple[list[dict[str, Any]], str]:
        fields = (
            "id,text,timestamp,username,from,parent_id,replies{id,text,timestamp,username,from}"
        )
        return self.one_page(
            f"/{media_id}/comments", {"fields": fields, "limit": 50}, cursor=cursor
        )

    def tagged_media(
        self, ig_user_id: str, *, cursor: str = ""
    ) -> tuple[list[dict[str, Any]], str]:
        """Media in which the account is tagged (``/{ig-user-id}/tags``)."""
        fields = "id,caption,username,permalink,timestamp"
        return self.one_page(f"/{ig_user_id}/tags", {"fields": fields, "limit": 50}, cursor=cursor)

    def hide_comment(self, comment_id: str, hidden: bool) -> None:
        self.post(f"/{comment_id}", {"hide": "true" if hidden else "false"}, idempotent=True)
