from django.urls import path

from keryx.publishing import views, views_tools

app_name = "publishing"

W = "w/<slug:workspace>/calendar/"

urlpatterns = [
    path(W, views.calendar, name="calendar"),
    path(W + "pause/", views.pause_start, name="pause"),
    path(W + "pause/<int:pause_id>/resume/", views.pause_resume, name="resume"),
    path(W + "held/", views.held, name="held"),
    path(W + "held/<int:variant_id>/", views.held_decide, name="held_decide"),
    path(W + "variants/<int:variant_id>/", views.variant_page, name="variant"),
    path(W + "variants/<int:variant_id>/act/", views.variant_action, name="variant_action"),
    path(W + "posts/<int:post_id>/schedule-all/", views.post_schedule_all, name="schedule_all"),
    path(W + "seminars/<int:seminar_id>/shifts/seen/", views.shifts_seen, name="shifts_seen"),
    path(
        W + "seminars/<int:seminar_id>/schedule-planned/",
        views.schedule_planned,
        name="schedule_planned",
    ),
    path(W + "slots/", views_tools.slots, name="slots"),
    path(
        W + "seminars/<int:seminar_id>/import-export/",
        views_tools.import_export,
        name="import_export",
    ),
    path(W + "seminars/<int:seminar_id>/export/", views_tools.export, name="export"),
    path(W + "seminars/<int:seminar_id>/feed/", views_tools.feed_rotate, name="feed_rotate"),
    path("ical/<str:token>.ics", views_tools.ical_feed, name="ical"),
]
