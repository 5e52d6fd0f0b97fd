from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("<slug:code>/", views.organisation_detail, name="organisation_detail"),
    path("<slug:code>/edit/", views.organisation_edit, name="organisation_edit"),
    path("<slug:code>/authorities/new/", views.authority_create, name="authority_create"),
]
