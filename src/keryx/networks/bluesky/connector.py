"""Bluesky (AT Protocol): sign in with the handle and an app password; facets with UTF-8 byte
offsets from the rules (``check_text("bluesky", …).facets``), up to four images with alt text,
link cards, replies and threads."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from keryx.core.http import OutboundError, check_public_url
from keryx.core.text import normalize_post_text
from keryx.networks.base import (
    Audience,
    ConnectedAccount,
    Connector,
    Conversation,
    MediaFile,
    Metrics,
    Page,
    Published,
    PublishRequest,
    Rejected,
    content_fingerprint,
)
from keryx.networks.bluesky.card import fetch_card, fetch_thumb
from keryx.networks.bluesky.client import THREADGATE, BlueskyClient, jwt_expiry
from keryx.networks.bluesky.spec import SPEC
from keryx.networks.rules import check_text

# listNotifications and searchPosts take at most 100 a page.
PAGE_SIZE = 100
CONVERSATION_REASONS = ("mention", "reply", "quote")
# The threadgate lexicon's limit on app.bsky.feed.threadgate#hiddenReplies.
HIDDEN_REPLIES_MAX = 300
APP_PASSWORD = re.compile(r"^[a-zA-Z0-9]{4}(-[a-zA-Z0-9]{4}){3}$")
FEATURE = {
    "link": "app.bsky.richtext.facet#link",
    "tag": "app.bsky.richtext.facet#tag",
    "mention": "app.bsky.richtext.facet#mention",
}


def _now() -> str:
    return timezone.now().isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _when(value: Any) -> dt.datetime:
    parsed = parse_datetime(str(value)) if value else None
    return parsed or dt.datetime.fromtimestamp(0, tz=dt.UTC)


def _count(value: Any) -> int | None:
    """A count as Bluesky gives it; absent is unknown (None), never 0."""
    return None if value is None else int(value)


def _did(uri: str) -> str:
    """The repository (DID) of an ``at://`` URI, or "" when it is none."""
    parts = uri.removeprefix("at://").split("/")
    return parts[0] if uri.startswith("at://") and len(parts) == 3 else ""


def _parent_uri(record: dict[str, Any]) -> str:
    return str(((record.get("reply") or {}).get("parent") or {}).get("uri") or "")


def _next(data: dict[str, Any], cursor: str) -> str:
    """The next page's cursor; empty on the last page (none given, or the same again)."""
    following = str(data.get("cursor") or "")
    return "" if following == cursor else following


def _conversation(
    view: dict[str, Any], kind: str, *, in_reply_to: str = "", post: str = ""
) -> Conversation:
    """A post view or a notification (both carry ``uri``, ``author``, ``record`` and
    ``indexedAt``) as a conversation item."""
    record = view.get("record") or {}
    author = view.get("author") or {}
    handle = str(author.get("handle") or "")
    return Conversation(
        remote_id=str(view["uri"]),
        kind=kind,
        text=str(record.get("text") or ""),
        author_name=str(author.get("displayName") or handle),
        author_handle="@" + handle,
        created_at=_when(view.get("indexedAt") or record.get("createdAt")),
        url=post_url(handle, str(view["uri"])),
        in_reply_to=in_reply_to,
        post_remote_id=post,
        raw=view,
    )


def rkey_of(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]


def post_url(handle: str, uri: str) -> str:
    author = handle.lstrip("@") or uri.split("/")[2]
    return f"https://bsky.app/profile/{author}/post/{rkey_of(uri)}"


class BlueskyConnector(Connector):
    key = "bluesky"
    label = "Bluesky"
    capabilities = SPEC.capabilities

    def _client(self) -> BlueskyClient:
        return BlueskyClient(
            self.account.base_url,
            self.account.credentials,
            on_session=lambda creds: self.renewed(creds, jwt_expiry(creds["access_jwt"])),
        )

    # --- building a post --------------------------------------------------------------------
    def _facets(self, client: BlueskyClient, text: str) -> list[dict[str, Any]]:
        facets = []
        for facet in check_text("bluesky", text).facets:
            feature: dict[str, Any] = {"$type": FEATURE[facet.type]}
            if facet.type == "link":
                feature["uri"] = facet.value
            elif facet.type == "tag":
                feature["tag"] = facet.value
            else:
                did = client.resolve_handle(facet.value)
                if not did:
                    continue  # as the official client: an unknown handle stays plain text
                feature["did"] = did
            facets.append(
                {
                    "index": {"byteStart": facet.byte_start, "byteEnd": facet.byte_end},
                    "features": [feature],
                }
            )
        return facets

    def _images(self, client: BlueskyClient, media: Sequence[MediaFile]) -> dict[str, Any]:
        images = []
        for item in media:
            blob = client.upload_blob(item.path.read_bytes(), item.mime)
            image: dict[str, Any] = {"alt": item.alt_text, "image": blob}
            if item.width and item.height:
                image["aspectRatio"] = {"width": item.width, "height": item.height}
            images.append(image)
        return {"$type": "app.bsky.embed.images", "images": images}

    def _card(self, client: BlueskyClient, link: str) -> dict[str, Any]:
        card = fetch_card(link)
        external: dict[str, Any] = {
            "uri": card.uri,
            "title": card.title,
            "description": card.description,
        }
        thumb = fetch_thumb(card)
        if thumb is not None:
            external["thumb"] = client.upload_blob(*thumb)
        return {"$type": "app.bsky.embed.external", "external": external}

    def _record(
        self,
        client: BlueskyClient,
        text: str,
        *,
        language: str = "",
        embed: dict[str, Any] | None = None,
        reply: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        text = normalize_post_text(text)  # the facets' byte offsets are of the NFC text
        record: dict[str, Any] = {"$type": "app.bsky.feed.post", "text": text, "createdAt": _now()}
        facets = self._facets(client, text)
        if facets:
            record["facets"] = facets
        if language:
            record["langs"] = [language]
        if embed:
            record["embed"] = embed
        if reply:
            record["reply"] = reply
        return record

    # --- writing ----------------------------------------------------------------------------
    def publish(self, request: PublishRequest) -> Published:
        self.refuse_unsupported(request)
        client = self._client()
        text = self.text_with_link(request)  # the link goes in the text beside images
        embed = None
        if request.media:
            embed = self._images(client, request.media)
        elif request.link:
            embed = self._card(client, request.link)
        first = client.create_record(
            self._record(client, text, language=request.language, embed=embed)
        )
        handle = str(client.credentials.get("handle") or self.account.handle)
        published = Published(
            remote_id=first["uri"], url=post_url(handle, first["uri"]), published_at=timezone.now()
        )
        if not request.thread:
            return published
        root = {"uri": first["uri"], "cid": first["cid"]}
        parent, replies, error = root, [], ""
        for part in request.thread:
            try:
                made = client.create_record(
                    self._record(
                        client,
                        part,
                        language=request.language,
                        reply={"root": root, "parent": parent},
                    )
                )
            except OutboundError as exc:  # the first post is out: report, never raise
                error = exc.user_message
                break
            parent = {"uri": made["uri"], "cid": made["cid"]}
            replies.append(made["uri"])
        return Published(
            remote_id=published.remote_id,
            url=published.url,
            published_at=published.published_at,
            extra={"thread_ids": replies, "thread_error": error},
        )

    def find_published(self, fingerprint: str, *, since: dt.datetime) -> Published | None:
        client = self._client()
        for item in client.list_records():
            value = item.get("value") or {}
            if _when(value.get("createdAt")) < since:
                continue
            if content_fingerprint(str(value.get("text", ""))) == fingerprint:
                handle = str(client.credentials.get("handle") or self.account.handle)
                return Published(remote_id=item["uri"], url=post_url(handle, item["uri"]))
        return None

    def delete(self, remote_id: str) -> None:
        self._client().delete_record(rkey_of(remote_id))

    def reply(self, remote_id: str, text: str) -> Published:
        client = self._client()
        parent = client.get_record(remote_id.split("/")[2], rkey_of(remote_id))
        parent_ref = {"uri": parent["uri"], "cid": parent["cid"]}
        root_ref = (parent.get("value") or {}).get("reply", {}).get("root") or parent_ref
        made = client.create_record(
            self._record(client, text, reply={"root": root_ref, "parent": parent_ref})
        )
        handle = str(client.credentials.get("handle") or self.account.handle)
        return Published(remote_id=made["uri"], url=post_url(handle, made["uri"]))

    # --- reading ----------------------------------------------------------------------------
    # Every read goes to the PDS, which proxies app.bsky.* to the account's AppView.
    def fetch_metrics(self, remote_ids: Sequence[str]) -> dict[str, Metrics]:
        """``getPosts`` counts, 25 posts a call: likes, reposts, replies (quotes in ``raw``).
        Bluesky gives no impressions, reach, clicks or views: those stay None."""
        client = self._client()
        result = {}
        ids = list(remote_ids)
        for start in range(0, len(ids), 25):  # getPosts takes at most 25 URIs
            for post in client.get_posts(ids[start : start + 25]):
                result[str(post["uri"])] = Metrics(
                    likes=_count(post.get("likeCount")),
                    shares=_count(post.get("repostCount")),
                    comments=_count(post.get("replyCount")),
                    raw={
                        k: post.get(k)
                        for k in ("likeCount", "repostCount", "replyCount", "quoteCount")
                    },
                )
        return result

    def fetch_conversations(self, since: dt.datetime | None) -> list[Conversation]:
        found: list[Conversation] = []
        cursor = ""
        for _page in range(10):
            page = self.fetch_mentions(cursor)
            for item in page.items:
                if since is not None and item.created_at < since:
                    return found
                found.append(item)
            cursor = page.cursor
            if not cursor:
                break
        return found

    def fetch_mentions(self, cursor: str = "") -> Page:
        """Notifications of replies, mentions and quotes (``listNotifications`` filtered by
        reason on the server), newest first, 100 a page; the cursor is Bluesky's own."""
        data = self._client().list_notifications(
            cursor=cursor, limit=PAGE_SIZE, reasons=CONVERSATION_REASONS
        )
        items = []
        for note in data.get("notifications", []):
            reason = note.get("reason")
            if reason not in CONVERSATION_REASONS:
                continue
            record = note.get("record") or {}
            parent = _parent_uri(record)
            items.append(
                _conversation(
                    note,
                    "reply" if reason == "reply" else "mention",
                    in_reply_to=parent,
                    post=str(note.get("reasonSubject") or parent),
                )
            )
        return Page(tuple(items), cursor=_next(data, cursor))

    def fetch_comments(self, post_remote_id: str, cursor: str = "") -> Page:
        """Every reply below the post, at any depth (``getPostThread``; one page: a thread is
        not paged). Replies that are deleted or blocked are left out."""
        thread = self._client().get_post_thread(post_remote_id)
        items: list[Conversation] = []
        pending = list(thread.get("replies") or [])
        while pending:
            node = pending.pop(0)
            view = node.get("post")
            if not isinstance(view, dict) or "record" not in view:
                continue  # notFoundPost / blockedPost
            record = view.get("record") or {}
            items.append(
                _conversation(
                    view,
                    "comment",
                    in_reply_to=_parent_uri(record) or post_remote_id,
                    post=post_remote_id,
                )
            )
            pending.extend(node.get("replies") or [])
        return Page(tuple(items))

    def search(self, query: str, cursor: str = "") -> Page:
        """``searchPosts`` (words or ``#tag``), newest first, 100 a page."""
        query = query.strip()
        if not query:
            return Page()
        data = self._client().search_posts(query, cursor=cursor, limit=PAGE_SIZE)
        items = tuple(_conversation(view, "search") for view in data.get("posts", []))
        return Page(items, cursor=_next(data, cursor) if items else "")

    def hide(self, remote_id: str, *, hidden: bool = True) -> None:
        """Hide a reply under one of the account's own threads: the root post's threadgate
        lists it in ``hiddenReplies`` (Bluesky shows it behind "hidden replies"). Who may
        reply (``allow``) is left as it was."""
        client = self._client()
        views = client.get_posts([remote_id])
        if not views:
            raise Rejected(_("Bluesky no longer has this reply."))
        root = str(((views[0].get("record") or {}).get("reply") or {}).get("root", {}).get("uri"))
        if not root or root == "None" or _did(root) != client.signed_in_did():
            raise Rejected(_("Bluesky lets an account hide replies only in its own threads."))
        gate = client.find_record(client.did, rkey_of(root), collection=THREADGATE)
        value: dict[str, Any] = dict((gate or {}).get("value") or {})
        listed = [str(u) for u in value.get("hiddenReplies") or []]
        wanted = [u for u in listed if u != remote_id] + ([remote_id] if hidden else [])
        if wanted == listed:
            return
        if len(wanted) > HIDDEN_REPLIES_MAX:
            raise Rejected(
                ngettext(
                    "Bluesky hides at most %(most)d reply in one thread.",
                    "Bluesky hides at most %(most)d replies in one thread.",
                    HIDDEN_REPLIES_MAX,
                )
                % {"most": HIDDEN_REPLIES_MAX}
            )
        value.update(
            {
                "$type": THREADGATE,
                "post": root,
                "createdAt": value.get("createdAt") or _now(),
                "hiddenReplies": wanted,
            }
        )
        client.put_record(
            rkey_of(root),
            value,
            collection=THREADGATE,
            swap=str(gate["cid"]) if gate and gate.get("cid") else None,
        )

    def delete_comment(self, remote_id: str) -> None:
        """Delete a reply the account wrote itself (Bluesky lets nobody delete another
        account's post: hide it instead)."""
        client = self._client()
        if _did(remote_id) != client.signed_in_did():
            raise Rejected(
                _("Bluesky lets an account delete only its own replies; hide this one instead.")
            )
        client.delete_record(rkey_of(remote_id), collection=remote_id.split("/")[3])

    def fetch_audience(self) -> Audience:
        client = self._client()
        profile = client.get_profile(self.account.remote_id or client.signed_in_did())
        return Audience(
            followers=_count(profile.get("followersCount")),
            following=_count(profile.get("followsCount")),
            posts=_count(profile.get("postsCount")),
        )

    # --- credentials ------------------------------------------------------------------------
    def refresh_credentials(self) -> ConnectedAccount | None:
        client = self._client()
        client.renew_session()
        return self._connected(client, self.account.base_url)

    def verify(self) -> ConnectedAccount:
        client = self._client()
        client.get_session()
        return self._connected(client, self.account.base_url)

    @staticmethod
    def _connected(client: BlueskyClient, base_url: str) -> ConnectedAccount:
        handle = str(client.credentials.get("handle", ""))
        name, avatar = handle, ""
        try:
            profile = client.get_profile(client.did)
        except OutboundError:
            profile = {}  # a PDS without an app view (or a passing failure): the handle will do
        name = str(profile.get("displayName") or handle)
        avatar = str(profile.get("avatar") or "")
        return ConnectedAccount(
            remote_id=client.did,
            name=name,
            handle=f"@{handle}",
            profile_url=f"https://bsky.app/profile/{handle}",
            avatar_url=avatar,
            base_url=base_url.rstrip("/"),
            credentials=dict(client.credentials),
            token_expires_at=jwt_expiry(str(client.credentials.get("access_jwt", ""))),
        )

    @classmethod
    def connect_form(cls, *, data: Mapping[str, str]) -> ConnectedAccount:
        from django.conf import settings

        handle = (data.get("handle") or "").strip().lstrip("@")
        password = (data.get("app_password") or "").strip()
        server = (data.get("pds_url") or "").strip() or settings.KERYX_BLUESKY_DEFAULT_PDS
        if "://" not in server:
            server = "https://" + server
        if not handle:
            raise Rejected(_("Enter the account's handle, e.g. seminar.bsky.social."))
        if not APP_PASSWORD.match(password):
            raise Rejected(
                _(
                    "Use an app password (four groups of four letters or digits, like "
                    "abcd-efgh-ijkl-mnop), never the account's own password."
                )
            )
        check_public_url(server)
        client = BlueskyClient(server)
        client.create_session(handle, password)
        return cls._connected(client, server)


CONNECTOR = BlueskyConnector
