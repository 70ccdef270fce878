from django.urls import path, re_path

from keryx.links import public, views

app_name = "links"

W = "w/<slug:workspace>/analytics/"
S = W + "<int:seminar_id>/"

urlpatterns = [
    # Any code shape reaches the view, so a mistyped or forged one gets the friendly page.
    re_path(r"^r/(?P<code>.*?)/?$", public.redirect, name="redirect"),
    path(W, views.analytics, name="analytics"),
    path(S + "links/", views.link_list, name="list"),
    path(S + "links/<int:link_id>/", views.link_detail, name="detail"),
    path(S + "links/<int:link_id>/delete/", views.link_delete, name="delete"),
    path(S + "links/<int:link_id>/qr.<str:fmt>", views.link_qr, name="qr"),
    path(S + "funnel/", views.funnel, name="funnel"),
    path(W + "ga4/", views.ga4_settings, name="ga4"),
]
