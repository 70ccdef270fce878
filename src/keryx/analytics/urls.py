from django.urls import path

from keryx.analytics import views

app_name = "analytics"

W = "w/<slug:workspace>/analytics/kpis/"
S = W + "<int:seminar_id>/"

urlpatterns = [
    path(W, views.home, name="home"),
    path(W + "ab/", views.ab_test, name="ab"),
    path(S, views.dashboard, name="dashboard"),
    path(S + "<slug:chart>.csv", views.chart_csv, name="chart_csv"),
    path(S + "campaigns/", views.campaigns, name="campaigns"),
    path(
        S + "campaigns/<int:campaign_id>/meta/",
        views.campaign_meta_import,
        name="campaign_meta_import",
    ),
    path(S + "ab-tests/", views.ab_tests, name="ab_tests"),
    path(S + "ab-tests/<int:test_id>/", views.ab_test_detail, name="ab_test"),
    path(S + "funnel/", views.funnel, name="funnel"),
    path(S + "funnel.csv", views.funnel_csv, name="funnel_csv"),
    path(S + "audience/", views.audience, name="audience"),
    path(S + "campaigns/<int:campaign_id>/", views.campaign_detail, name="campaign"),
]
