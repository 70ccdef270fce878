from django.urls import path

from keryx.publishing import views

app_name = "publishing"

W = "w/<slug:workspace>/calendar/"

urlpatterns = [
    path(W, views.calendar, name="calendar"),
]
