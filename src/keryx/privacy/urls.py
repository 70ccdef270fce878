from django.urls import path

from keryx.privacy import views

app_name = "privacy"

urlpatterns = [
    path("w/<slug:workspace>/settings/privacy/", views.privacy_home, name="home"),
    path("w/<slug:workspace>/settings/privacy/export/", views.privacy_export, name="export"),
    path("w/<slug:workspace>/settings/privacy/erase/", views.privacy_erase, name="erase"),
    path(
        "w/<slug:workspace>/settings/privacy/retention/",
        views.privacy_retention,
        name="retention",
    ),
    path("privacy/", views.my_data_request, name="request"),
    path("privacy/me/<str:token>/", views.my_data, name="me"),
    path("privacy/me/<str:token>/export.zip", views.my_data_export, name="me_export"),
    path("privacy/consent/<str:token>/", views.consent_page, name="consent"),
]
