from django.urls import path

from keryx.analytics import report_views, views

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
    # The seminar report (report_views.py).
    path(S + "reports/", report_views.reports, name="reports"),
    path(S + "reports/<int:report_id>/", report_views.report_status, name="report_status"),
    path(
        S + "reports/<int:report_id>/download/",
        report_views.report_download,
        name="report_download",
    ),
    path(
        S + "reports/schedules/<int:schedule_id>/delete/",
        report_views.schedule_remove,
        name="report_schedule_delete",
    ),
]
