"""Threads through the Threads API (``graph.threads.net``): the only place its endpoints
appear. The API is a Graph API, so errors are mapped by the shared Graph machinery
(:func:`keryx.networks.meta_graph.graph_error`).

Documentation behind each payload (fixtures/ keeps a copy of each with its source):

- Overview, rate limits and the 250-posts quota: https://developers.facebook.com/docs/threads/overview
- Publishing (containers, threads_publish, carousels, link_attachment, replies):
  https://developers.facebook.com/docs/threads/posts
  https://developers.facebook.com/docs/threads/retrieve-and-manage-replies/create-replies
- Troubleshooting (container status): https://developers.facebook.com/docs/threads/troubleshooting
- Retrieve posts: https://developers.facebook.com/docs/threads/threads-media
- Replies and conversations: https://developers.facebook.com/docs/threads/retrieve-and-manage-replies/replies-and-conversations
- Insights: https://developers.facebook.com/docs/threads/insights
- Delete posts: https://developers.facebook.com/docs/threads/posts/delete-posts
- Authorisation and tokens:
  https://developers.facebook.com/docs/threads/get-started/get-access-tokens-and-permissions
  https://developers.facebook.com/docs/threads/get-started/long-lived-tokens
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlencode

import httpx

from keryx.networks.meta_graph import GraphAPI, exchange_error

THREADS_HOST = "https://graph.threads.net"
THREADS_URL = f"{THREADS_HOST}/v1.0"
AUTHORIZE_URL = "https://threads.net/oauth/authorize"
THREADS_SCOPES = (
    "threads_basic",
    "threads_content_publish",
    "threads_manage_replies",
    "threads_read_replies",
    "threads_manage_insights",
    "threads_delete",
)
REPLY_FIELDS = "id,text,username,permalink,timestamp,replied_to,root_post,is_reply_owned_by_me"


class ThreadsClient(GraphAPI):
    def __init__(self, *, access_token: str = "", transport: httpx.BaseTransport | None = None):
        super().__init__(
            service="Threads", base_url=THREADS_URL, access_token=access_token, transport=transport
        )

    # --- authorisation -------------------------------------------------------------------------
    @staticmethod
    def authorize_url(*, app_id: str, redirect_uri: str, state: str) -> str:
        query = urlencode(
            {
                "client_id": app_id,
                "redirect_uri": redirect_uri,
                "scope": ",".join(THREADS_SCOPES),
                "response_type": "code",
                "state": state,
            }
        )
        return f"{AUTHORIZE_URL}?{query}"

    def exchange_code(
        self, *, app_id: str, app_secret: str, redirect_uri: str, code: str
    ) -> dict[str, Any]:
        """``{"access_token", "user_id"}``: a short-lived (one hour) token."""
        response = self._http.post(
            f"{THREADS_HOST}/oauth/access_token",
            data={
                "client_id": app_id,
                "client_secret": app_secret,
                "grant_type": "authorization_code",
                "redirect_uri": redirect_uri,
                "code": code,
            },
            idempotent=True,  # a code works once: a repeat is refused, never doubled
        )
        if response.status_code >= 400:
            raise exchange_error(response, self.service)
        return self._check(response, write=False)

    def long_lived_token(self, *, app_secret: str, token: str) -> dict[str, Any]:
        """``{"access_token", "token_type", "expires_in"}``, valid 60 days."""
        response = self._http.get(
            f"{THREADS_HOST}/access_token",
            params={
                "grant_type": "th_exchange_token",
                "client_secret": app_secret,
                "access_token": token,
            },
        )
        if response.status_code >= 400:
            raise exchange_error(response, self.service)
        return self._check(response, write=False)

    def refresh_token(self) -> dict[str, Any]:
        """A new 60-day token for a long-lived one at least 24 hours old."""
        response = self._http.get(
            f"{THREADS_HOST}/refresh_access_token",
            params={"grant_type": "th_refresh_token", "access_token": self.access_token},
        )
        return self._check(response, write=False)

    def me(self) -> dict[str, Any]:
        return self.get("/me", {"fields": "id,username,name,threads_profile_picture_url"})

    # --- publishing ----------------------------------------------------------------------------
    def publishing_limit(self, user_id: str) -> dict[str, Any]:
        body = self.get(f"/{user_id}/threads_publishing_limit", {"fields": "quota_usage,config"})
        data = body.get("data") or [{}]
        first: dict[str, Any] = data[0]
        return first

    def create_container(self, user_id: str, **fields: str) -> str:
        """A media container, unseen until published (and expiring after 24 hours), so
        creating one again after a timeout cannot publish twice."""
        return str(self.post(f"/{user_id}/threads", fields, idempotent=True)["id"])

    def container_status(self, container_id: str) -> dict[str, Any]:
        return self.get(f"/{container_id}", {"fields": "status,error_message"})

    def publish_container(self, user_id: str, container_id: str) -> str:
        return str(self.post(f"/{user_id}/threads_publish", {"creation_id": container_id})["id"])

    def post_details(self, media_id: str) -> dict[str, Any]:
        return self.get(f"/{media_id}", {"fields": "id,permalink,timestamp"})

    def delete_post(self, media_id: str) -> None:
        self.delete(f"/{media_id}")

    # --- reading ------------------------------------------------------------------------------
    def user_threads(
        self, user_id: str, *, since: int | None = None, limit: int = 50
    ) -> Iterator[dict[str, Any]]:
        params: dict[str, Any] = {"fields": "id,text,permalink,timestamp", "limit": limit}
        if since is not None:
            params["since"] = since
        return self.pages(f"/{user_id}/threads", params, max_pages=5 if since else 1)

    def conversation(self, media_id: str) -> list[dict[str, Any]]:
        body = self.get(f"/{media_id}/conversation", {"fields": REPLY_FIELDS, "reverse": "false"})
        return list(body.get("data") or [])

    def insights(self, media_id: str, metrics: Sequence[str]) -> dict[str, Any]:
        return self.get(f"/{media_id}/insights", {"metric": ",".join(metrics)})

    # --- reading back (developers.facebook.com/docs/threads) ---------------------------------
    REPLY_FIELDS = "id,text,username,timestamp,permalink,replied_to,root_post,hide_status"

    def replies(self, media_id: str, *, cursor: str = "") -> tuple[list[dict[str, Any]], str]:
        """``GET /{media-id}/replies``: the direct replies (reply management)."""
        return self.one_page(
            f"/{media_id}/replies", {"fields": self.REPLY_FIELDS, "reverse": "false"}, cursor=cursor
        )

    def mentions(self, user_id: str, *, cursor: str = "") -> tuple[list[dict[str, Any]], str]:
        """``GET /{threads-user-id}/mentions``: public posts that mention the profile."""
        fields = "id,text,username,timestamp,permalink"
        return self.one_page(f"/{user_id}/mentions", {"fields": fields}, cursor=cursor)

    def keyword_search(self, query: str, *, cursor: str = "") -> tuple[list[dict[str, Any]], str]:
        """``GET /keyword_search?q=…&search_type=RECENT`` (2,200 queries per 24 hours)."""
        params = {
            "q": query,
            "search_type": "RECENT",
            "fields": "id,text,username,timestamp,permalink",
        }
        return self.one_page("/keyword_search", params, cursor=cursor)

    def manage_reply(self, reply_id: str, hidden: bool) -> None:
        """``POST /{reply-id}/manage_reply?hide=true|false``."""
        self.post(
            f"/{reply_id}/manage_reply", {"hide": "true" if hidden else "false"}, idempotent=True
        )
