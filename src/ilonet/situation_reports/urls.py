from django.urls import path

from . import views

app_name = "situation_reports"
urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("new/", views.report_create, name="report_create"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("<int:pk>/return/", views.report_return, name="report_return"),
    path("overview/", views.overview, name="overview"),
    path("map/", views.coverage_map, name="coverage_map"),
    path("evidence/", views.evidence, name="evidence"),
    path("evidence/pack.pdf", views.evidence_pdf, name="evidence_pdf"),
    path("evidence/pack.zip", views.evidence_csv, name="evidence_csv"),
]
