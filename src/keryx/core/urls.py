from django.urls import path

from keryx.core import views

app_name = "core"
urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
