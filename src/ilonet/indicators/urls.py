from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("export/<slug:key>.csv", views.export_csv, name="export"),
    path("cases/", views.cases, name="cases"),
    path("eurostat/", views.eurostat, name="eurostat"),
    path("register/", views.register, name="register"),
    path("targets/<slug:code>/", views.target_edit, name="target_edit"),
    path("priorities/", views.priorities, name="priorities"),
    path("priorities/new/", views.priority_new, name="priority_new"),
    path("priorities/<int:pk>/actions/new/", views.joint_action_new, name="joint_action_new"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("obstacles/", views.obstacles, name="obstacles"),
    path("obstacles/new/", views.obstacle_new, name="obstacle_new"),
    path("obstacles/<int:pk>/", views.obstacle_edit, name="obstacle_edit"),
    path("reports/", views.reports, name="reports"),
    path("reports/new/", views.report_request, name="report_request"),
    path("reports/<int:pk>/download/", views.report_download, name="report_download"),
]
