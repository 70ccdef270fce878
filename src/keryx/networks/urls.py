from django.urls import path

from keryx.networks import views, webhook_views

app_name = "networks"

W = "w/<slug:workspace>/settings/accounts/"
urlpatterns = [
    path(W, views.accounts, name="accounts"),
    path(W + "connect/<slug:network>/", views.connect_oauth, name="connect_oauth"),
    path(W + "connect/<slug:network>/form/", views.connect_form, name="connect_form"),
    path(W + "choose/<int:pending_id>/", views.choose, name="choose"),
    path(W + "<int:account_id>/check/", views.check, name="check"),
    path(W + "<int:account_id>/disconnect/", views.disconnect, name="disconnect"),
    path(W + "<int:account_id>/reads/", views.reads, name="reads"),
    path("networks/oauth/callback/", views.oauth_callback, name="oauth_callback"),
    path("networks/webhooks/<slug:network>/", webhook_views.receive, name="webhook"),
]
