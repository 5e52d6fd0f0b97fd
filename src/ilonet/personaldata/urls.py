from django.urls import path

from . import views

app_name = "personaldata"
urlpatterns = [
    path("", views.record_list, name="record_list"),
    path("new/", views.record_create, name="record_create"),
    path("r/<str:ref>/", views.record_detail, name="record_detail"),
    path("r/<str:ref>/files/<str:kind>.img", views.record_file, name="record_file"),
    path("r/<str:ref>/share/", views.record_share, name="record_share"),
    path("r/<str:ref>/transfer/", views.record_transfer, name="record_transfer"),
    path("r/<str:ref>/hold/", views.record_hold, name="record_hold"),
    path("r/<str:ref>/access-report.json", views.access_report_json, name="access_report_json"),
    path("r/<str:ref>/access-report.pdf", views.access_report_pdf, name="access_report_pdf"),
    path("holds/", views.hold_list, name="hold_list"),
    path("shares/<str:ref>/withdraw/", views.share_withdraw, name="share_withdraw"),
    path("shared-with-me/", views.shared_list, name="shared_list"),
    path("shared-with-me/<str:ref>/", views.shared_detail, name="shared_detail"),
    path("shared-with-me/<str:ref>/files/<str:kind>.img", views.shared_file, name="shared_file"),
    path("purposes/", views.purpose_list, name="purpose_list"),
    path("purposes/<int:pk>/revoke/", views.purpose_revoke, name="purpose_revoke"),
    path("transfers/", views.transfer_register, name="transfer_register"),
    path("transfers.csv", views.transfer_register_csv, name="transfer_register_csv"),
    path("data-protection/", views.dpo_overview, name="dpo_overview"),
    path("data-protection/access-log/", views.access_log, name="access_log"),
    path("data-protection/access-log.csv", views.access_log_csv, name="access_log_csv"),
    path("data-protection/processing/", views.processing_record, name="processing_record"),
]
