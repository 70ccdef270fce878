from django.urls import path

from keryx.community.views import space, staff

app_name = "community"
W = "w/<slug:workspace>/community/"
S = W + "<int:seminar_id>/"
C = "c/<str:code>/"
urlpatterns = [
    path(W, staff.community_list, name="list"),
    path(S, staff.community_detail, name="detail"),
    path(S + "settings/", staff.community_settings, name="settings"),
    path(S + "links/", staff.links_send, name="links_send"),
    path(S + "materials/", staff.material_add, name="material_add"),
    path(S + "materials/<int:material_id>/", staff.material_file, name="material_file"),
    path(S + "materials/<int:material_id>/delete/", staff.material_delete, name="material_delete"),
    path(S + "announcements/", staff.announce, name="announce"),
    path(
        S + "announcements/<int:announcement_id>/delete/",
        staff.announcement_delete,
        name="announcement_delete",
    ),
    path(S + "threads/", staff.thread_new, name="thread_new"),
    path(S + "threads/<int:thread_id>/", staff.thread_detail, name="thread"),
    path(S + "threads/<int:thread_id>/moderate/", staff.thread_moderate, name="thread_moderate"),
    path(S + "replies/<int:reply_id>/hide/", staff.reply_hide, name="reply_hide"),
    path(S + "members/<int:member_id>/", staff.member_remove, name="member_remove"),
    path(S + "follow-up/", staff.followup_new, name="followup_new"),
    path(C, space.space, name="space"),
    path(C + "link/", space.link_request, name="link_request"),
    path(C + "in/<str:token>/", space.enter, name="enter"),
    path(C + "leave/", space.leave, name="leave"),
    path(C + "questions/", space.qa, name="space_qa"),
    path(C + "threads/", space.thread_new, name="space_thread_new"),
    path(C + "threads/<int:thread_id>/", space.thread, name="space_thread"),
    path(C + "materials/<int:material_id>/", space.material, name="space_material"),
]
