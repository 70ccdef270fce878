from django.urls import path

from keryx.inbox import views

app_name = "inbox"

W = "w/<slug:workspace>/inbox/"
C = W + "<int:conversation_id>/"

urlpatterns = [
    path(W, views.inbox_list, name="list"),
    path(W + "settings/", views.inbox_settings, name="settings"),
    path(C, views.conversation_detail, name="conversation"),
    path(C + "row/", views.conversation_row, name="row"),
    path(C + "reply/", views.reply, name="reply"),
    path(C + "assign/", views.assign, name="assign"),
    path(C + "status/", views.status, name="status"),
    path(C + "note/", views.note, name="note"),
    path(C + "tags/", views.tags, name="tags"),
    path(C + "moderate/", views.moderate, name="moderate"),
    path(C + "replies/<int:reply_id>/settle/", views.settle, name="settle"),
]
