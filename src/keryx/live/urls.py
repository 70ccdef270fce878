from django.urls import path

from keryx.live.views import public, staff
from keryx.live.views import wall as wall_views

app_name = "live"

J = "j/<str:code>/"
W = "w/<slug:workspace>/live/"
R = W + "<int:room_id>/"
WALL = W + "wall/<int:seminar_id>/"

urlpatterns = [
    # public, no account (the event stream /j/<code>/events is on the ASGI front)
    path("j/", public.join, name="join"),
    path(J, public.room, name="room"),
    path(J + "ask", public.ask, name="ask"),
    path(J + "name", public.rename, name="rename"),
    path(J + "state.json", public.state, name="state"),
    path(J + "qr.svg", public.qr, name="qr"),
    path(J + "survey-qr.svg", public.survey_qr, name="survey_qr"),
    path(J + "q/<int:question_id>/upvote", public.upvote, name="upvote"),
    path(J + "p/<int:poll_id>/vote", public.vote, name="vote"),
    # moderators
    path(W, staff.home, name="home"),
    path(R, staff.control, name="control"),
    path(R + "data.json", staff.moderator_data, name="data"),
    path(R + "screen/", staff.screen, name="screen"),
    path(R + "show", staff.show, name="show"),
    path(R + "settings", staff.room_settings, name="settings"),
    path(R + "archive", staff.archive, name="archive"),
    path(R + "announce", staff.announce, name="announce"),
    path(R + "q/<int:question_id>", staff.question_action, name="question"),
    path(R + "polls/new", staff.poll_new, name="poll_new"),
    path(R + "p/<int:poll_id>", staff.poll_action, name="poll"),
    path(R + "export/<str:what>.<str:fmt>", staff.export, name="export"),
    # the social wall: moderation (moderators) and the standalone display (its secret address;
    # the event stream /wall/<key>/events is on the ASGI front)
    path(WALL, wall_views.page, name="wall"),
    path(WALL + "data.json", wall_views.data, name="wall_data"),
    path(WALL + "item", wall_views.item, name="wall_item"),
    path(WALL + "settings", wall_views.settings, name="wall_settings"),
    path(WALL + "collect", wall_views.collect, name="wall_collect"),
    path(WALL + "key", wall_views.renew_key, name="wall_key"),
    path("wall/<str:token>/", wall_views.display, name="wall_display"),
    path("wall/<str:token>/state.json", wall_views.display_state, name="wall_display_state"),
]
