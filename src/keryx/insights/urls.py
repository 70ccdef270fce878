from django.urls import path

from keryx.insights import views, views_recommend

app_name = "insights"

W = "w/<slug:workspace>/listening/"

urlpatterns = [
    path(W, views.trending_now, name="trending"),
    path(W + "alerts/<int:alert_id>/", views.alert_detail, name="alert"),
    path(W + "alerts/<int:alert_id>/crisis-mode/", views.crisis_mode, name="crisis_mode"),
    path(W + "settings/", views.alert_settings, name="settings"),
    path(
        W + "seminars/<int:seminar_id>/recommendations/",
        views_recommend.recommendations_page,
        name="recommendations",
    ),
]
