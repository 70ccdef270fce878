from django.urls import path

from keryx.seminars import views

app_name = "seminars"

W = "w/<slug:workspace>/seminars/"
S = W + "<int:seminar_id>/"
KIND = "<str:kind>"

urlpatterns = [
    path(W, views.seminar_list, name="list"),
    path(W + "new/", views.seminar_new, name="new"),
    path(S, views.seminar_detail, name="detail"),
    path(S + "edit/", views.seminar_edit, name="edit"),
    path(S + "delete/", views.seminar_remove, name="delete"),
    path(S + f"{KIND}/new/", views.child_edit, name="child_new"),
    path(S + f"{KIND}/<int:pk>/", views.child_edit, name="child_edit"),
    path(S + f"{KIND}/<int:pk>/delete/", views.child_delete, name="child_delete"),
]
