from django.urls import path

from . import views

app_name = "deployments"
urlpatterns = [
    path("", views.deployment_list, name="deployment_list"),
    path("new/", views.deployment_create, name="deployment_create"),
    path("<int:pk>/", views.deployment_detail, name="deployment_detail"),
    path("<int:pk>/edit/", views.deployment_edit, name="deployment_edit"),
    path("<int:pk>/start/", views.deployment_start, name="deployment_start"),
    path("<int:pk>/end/", views.deployment_end, name="deployment_end"),
    path("<int:pk>/cancel/", views.deployment_cancel, name="deployment_cancel"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("joint/", views.joint_list, name="joint_list"),
    path("joint/export.csv", views.joint_export, name="joint_export"),
    path("contacts/", views.contact_list, name="contact_list"),
    path("contacts/export.csv", views.contact_export, name="contact_export"),
    path("gaps/", views.gap_analysis, name="gap_analysis"),
    path("priorities/", views.priority_list, name="priority_list"),
    path("priorities/<int:pk>/end/", views.priority_end, name="priority_end"),
]
