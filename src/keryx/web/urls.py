from django.urls import path, re_path

from keryx.web import views
from keryx.web.navigation import AREAS

app_name = "web"
_NOT_BUILT = "|".join(a.key for a in AREAS if not a.built)

urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.set_language, name="set_language"),
    path("me/", views.profile, name="profile"),
    path("me/tokens/", views.api_tokens, name="api_tokens"),
    path("me/tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("system/", views.system, name="system"),
    path("w/<slug:workspace>/", views.dashboard, name="dashboard"),
    path("w/<slug:workspace>/settings/", views.settings_index, name="settings"),
    path("w/<slug:workspace>/settings/team/", views.team, name="team"),
    path(
        "w/<slug:workspace>/settings/team/<int:member_id>/", views.team_member, name="team_member"
    ),
    path("w/<slug:workspace>/settings/audit/", views.audit_log, name="audit"),
    path("w/<slug:workspace>/settings/roles/", views.roles, name="roles"),
]
if _NOT_BUILT:
    # Only the areas not built yet reach the placeholder page (none, once every area is built).
    urlpatterns.append(
        re_path(
            rf"^w/(?P<workspace>[-a-zA-Z0-9_]+)/(?P<area>{_NOT_BUILT})/$",
            views.area_placeholder,
            name="area",
        )
    )
