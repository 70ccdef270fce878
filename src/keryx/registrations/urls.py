from django.urls import path

from keryx.registrations.views import emails, public, staff

app_name = "registrations"

P = "s/<slug:slug>/"
ME = P + "me/<str:token>/"
W = "w/<slug:workspace>/registrations/"
S = W + "<int:seminar_id>/"

urlpatterns = [
    # public, no account
    path(P, public.seminar_page, name="page"),
    path(P + "thanks/", public.thanks, name="thanks"),
    path(P + "calendar.ics", public.calendar_ics, name="ics"),
    path(P + "og.png", public.og_image, name="og_image"),
    path(P + "confirm/<str:token>/", public.confirm, name="confirm"),
    path(P + "confirm/<str:token>/resend/", public.confirm_resend, name="confirm_resend"),
    path(ME, public.manage, name="manage"),
    path(ME + "cancel/", public.manage_cancel, name="manage_cancel"),
    path(ME + "ticket.svg", public.ticket_image, {"kind": "svg"}, name="ticket_svg"),
    path(ME + "ticket.png", public.ticket_image, {"kind": "png"}, name="ticket_png"),
    # staff
    path(W, staff.overview, name="overview"),
    path(S, staff.registration_list, name="list"),
    path(S + "settings/", staff.settings_view, name="settings"),
    path(S + "counts/", staff.counts_partial, name="counts"),
    path(S + "fill/", staff.fill_from_waitlist, name="fill"),
    path(S + "emails/resend-failed/", emails.emails_resend_failed, name="emails_resend_failed"),
    path(S + "import/", staff.import_view, name="import"),
    path(S + "export.csv", staff.export_view, {"fmt": "csv"}, name="export_csv"),
    path(S + "export.xlsx", staff.export_view, {"fmt": "xlsx"}, name="export_xlsx"),
    path(S + "checkin/", staff.checkin_page, name="checkin"),
    path(S + "checkin/search/", staff.checkin_search, name="checkin_search"),
    path(S + "checkin/scan/", staff.checkin_scan, name="checkin_scan"),
    path(S + "<int:registration_id>/", staff.registration_detail, name="detail"),
    path(S + "<int:registration_id>/cancel/", staff.registration_cancel_view, name="cancel"),
    path(S + "<int:registration_id>/checkin/", staff.checkin_one, name="checkin_one"),
    path(S + "<int:registration_id>/checkin/undo/", staff.checkin_undo, name="checkin_undo"),
    path(
        S + "<int:registration_id>/emails/<int:email_id>/resend/",
        emails.email_resend,
        name="email_resend",
    ),
]
