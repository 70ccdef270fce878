from django.urls import path

from keryx.surveys.views import public, staff

app_name = "surveys"
urlpatterns = [
    path("w/<slug:workspace>/surveys/", staff.survey_list, name="list"),
    path("w/<slug:workspace>/surveys/interviews/", staff.interview_list, name="interviews"),
    path(
        "w/<slug:workspace>/surveys/audience/<int:seminar_id>/",
        staff.seminar_audience,
        name="audience",
    ),
    path("w/<slug:workspace>/surveys/<int:survey_id>/", staff.survey_detail, name="detail"),
    path(
        "w/<slug:workspace>/surveys/<int:survey_id>/questions/",
        staff.question_add,
        name="question_add",
    ),
    path(
        "w/<slug:workspace>/surveys/<int:survey_id>/questions/<int:question_id>/delete/",
        staff.question_delete,
        name="question_delete",
    ),
    path(
        "w/<slug:workspace>/surveys/<int:survey_id>/settings/",
        staff.survey_settings,
        name="settings",
    ),
    path("w/<slug:workspace>/surveys/<int:survey_id>/invite/", staff.survey_invite, name="invite"),
    path("w/<slug:workspace>/surveys/<int:survey_id>/qr.<str:fmt>", staff.survey_qr, name="qr"),
    path(
        "w/<slug:workspace>/surveys/<int:survey_id>/results/",
        staff.survey_results,
        name="results",
    ),
    path(
        "w/<slug:workspace>/surveys/<int:survey_id>/export.<str:fmt>",
        staff.survey_export,
        name="export",
    ),
    path(
        "w/<slug:workspace>/surveys/<int:survey_id>/responses/<int:response_id>/library/",
        staff.testimonial_library,
        name="testimonial_library",
    ),
    path("q/p/<str:token>/", public.personal, name="personal"),
    path("q/<str:code>/", public.public, name="public"),
]
