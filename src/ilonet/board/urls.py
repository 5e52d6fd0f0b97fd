from django.urls import path

from . import views

app_name = "board"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # composition and the list of members (Art. 7(2), Art. 7(3), Art. 9(2)(c))
    path("members/", views.member_list, name="member_list"),
    path("members/export.csv", views.member_export, name="member_export"),
    path("members/new/", views.membership_create, name="membership_create"),
    path("members/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("members/sync/", views.composition_sync, name="composition_sync"),
    # meetings (Art. 7(4), Art. 7(5), Art. 7(6), Art. 7(7))
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/past/new/", views.meeting_record_past, name="meeting_record_past"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("meetings/<int:pk>/agenda/<int:item_pk>/edit/", views.agenda_item_edit, name="agenda_item_edit"),
    path("meetings/<int:pk>/agenda/<int:item_pk>/move/", views.agenda_item_move, name="agenda_item_move"),
    path(
        "meetings/<int:pk>/agenda/<int:item_pk>/remove/", views.agenda_item_remove, name="agenda_item_remove"
    ),
    path("meetings/<int:pk>/invite/", views.meeting_invite, name="meeting_invite"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("meetings/<int:pk>/invitation.ics", views.meeting_ics, name="meeting_ics"),
    path("meetings/<int:pk>/minutes.pdf", views.meeting_minutes_pdf, name="meeting_minutes_pdf"),
    path(
        "meetings/<int:pk>/documents/<int:document_pk>/",
        views.document_download,
        name="document_download",
    ),
    # motions and votes (Art. 7(8), Art. 8(1))
    path("motions/", views.motion_list, name="motion_list"),
    path("motions/new/", views.motion_create, name="motion_create"),
    path("motions/<int:pk>/", views.motion_detail, name="motion_detail"),
    path("motions/<int:pk>/amend/", views.motion_amend, name="motion_amend"),
    path("motions/<int:pk>/open/", views.motion_open, name="motion_open"),
    path("motions/<int:pk>/close/", views.motion_close, name="motion_close"),
    path("motions/<int:pk>/withdraw/", views.motion_withdraw, name="motion_withdraw"),
    path("motions/<int:pk>/deadline/", views.motion_deadline, name="motion_deadline"),
    path("motions/<int:pk>/vote/", views.motion_vote, name="motion_vote"),
    path("motions/<int:pk>/proxy/", views.motion_proxy, name="motion_proxy"),
    path("motions/<int:pk>/statements/", views.motion_comment, name="motion_comment"),
    path("motions/<int:pk>/record.csv", views.motion_export, name="motion_export"),
    path("motions/<int:pk>/record.pdf", views.motion_pdf, name="motion_pdf"),
    # decisions and their dispatch to the officers (Art. 7(9))
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/to-pass-on/", views.dispatch_list, name="dispatch_list"),
    path("decisions/to-pass-on/<int:pk>/", views.dispatch_mark, name="dispatch_mark"),
    # rules of procedure (Art. 8(1))
    path("rules/", views.rules_list, name="rules_list"),
    path("rules/new/", views.rules_create, name="rules_create"),
    path("rules/<int:pk>/", views.rules_detail, name="rules_detail"),
    path("rules/<int:pk>/edit/", views.rules_edit, name="rules_edit"),
    # work programme, ad-hoc actions, training (Art. 8(2)(a), Art. 8(2)(b), Art. 8(3)(a), Art. 8(3)(c))
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/items/", views.programme_item_add, name="programme_item_add"),
    path(
        "programmes/<int:pk>/items/<int:item_pk>/status/",
        views.programme_item_status,
        name="programme_item_status",
    ),
    path("programmes/<int:pk>/evaluations/", views.programme_evaluation_add, name="programme_evaluation_add"),
    path("programmes/<int:pk>/sent/", views.programme_sent, name="programme_sent"),
    path("actions/", views.action_list, name="action_list"),
    path("actions/<int:pk>/", views.action_update, name="action_update"),
    path("trainings/", views.training_list, name="training_list"),
    # activity report (Art. 8(2)(c), Art. 4(1))
    path("reports/", views.report_list, name="report_list"),
    path("reports/new/", views.report_create, name="report_create"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/sent/", views.report_sent, name="report_sent"),
    path("reports/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
]
