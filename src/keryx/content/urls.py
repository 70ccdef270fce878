from django.urls import path

from keryx.content import views, views_approvals, views_library

app_name = "content"

W = "w/<slug:workspace>/compose/"
P = W + "posts/<int:post_id>/"
KIND = "<str:kind>"

urlpatterns = [
    path(W, views.compose_home, name="home"),
    path(W + "new/", views.post_new, name="new"),
    path(W + "check/", views.post_check, name="check"),
    path(P, views.post_edit, name="edit"),
    path(P + "fix/", views.post_fix, name="fix"),
    path(P + "submit/", views.post_submit, name="submit"),
    path(P + "approve/", views.post_approve, name="approve"),
    path(P + "request-changes/", views.post_request_changes, name="request_changes"),
    path(P + "comments/", views.post_comment, name="comment"),
    path(P + "duplicate/", views.post_copy, name="duplicate"),
    path(P + "delete/", views.post_remove, name="delete"),
    path(W + "media/", views_library.media_list, name="media"),
    path(W + "media/<int:media_id>/", views_library.media_detail, name="media_detail"),
    path(W + "media/<int:media_id>/fix/", views_library.media_fix, name="media_fix"),
    path(W + "media/<int:media_id>/delete/", views_library.media_remove, name="media_delete"),
    path(W + "library/", views_library.library_home, name="library"),
    path(W + "library/templates/new/", views_library.template_edit, name="template_new"),
    path(W + "library/templates/<int:pk>/", views_library.template_edit, name="template_edit"),
    path(W + "library/hashtag-sets/new/", views_library.hashtag_set_edit, name="hashtag_set_new"),
    path(
        W + "library/hashtag-sets/<int:pk>/",
        views_library.hashtag_set_edit,
        name="hashtag_set_edit",
    ),
    path(
        W + "library/keyword-lists/new/", views_library.keyword_list_edit, name="keyword_list_new"
    ),
    path(
        W + "library/keyword-lists/<int:pk>/",
        views_library.keyword_list_edit,
        name="keyword_list_edit",
    ),
    path(
        W + f"library/{KIND}/<int:pk>/delete/", views_library.library_delete, name="library_delete"
    ),
    path(W + "approvals/", views_approvals.approvals_queue, name="approvals"),
    # The approval rules are a workspace setting (issue 16): listed under Settings.
    path("w/<slug:workspace>/settings/approvals/", views_library.policy_edit, name="policy"),
]
