from django.urls import path

from . import views

app_name = "networks"
urlpatterns = [
    path("", views.network_list, name="network_list"),
    path("new/", views.network_create, name="network_create"),
    path("<int:pk>/", views.network_detail, name="network_detail"),
    path("<int:pk>/edit/", views.network_edit, name="network_edit"),
    path("<int:pk>/agreements/", views.agreement_create, name="agreement_create"),
    path("<int:pk>/associates/", views.associate_create, name="associate_create"),
    path("<int:pk>/associates/<int:associate_id>/end/", views.associate_end, name="associate_end"),
    path("<int:pk>/activities/", views.activity_list, name="network_activity_list"),
    path("<int:pk>/activities/new/", views.activity_create, name="activity_create"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path(
        "facilitator-notifications/",
        views.facilitator_notification_list,
        name="facilitator_notification_list",
    ),
    path("officer-lists/", views.officer_list_list, name="officer_list_list"),
    path("officer-lists/<int:pk>/", views.officer_list_detail, name="officer_list_detail"),
    path("officer-lists/<int:pk>/networks/", views.officer_list_networks, name="officer_list_networks"),
    path("officer-lists/<int:pk>/export.csv", views.officer_list_csv, name="officer_list_csv"),
    path("officer-lists/<int:pk>/export.pdf", views.officer_list_pdf, name="officer_list_pdf"),
]
