from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("", views.space_list, name="space_list"),
    path("search/", views.search, name="search"),
    path("working-groups/new/", views.working_group_create, name="working_group_create"),
    path("spaces/<int:pk>/", views.space_detail, name="space_detail"),
    path("spaces/<int:pk>/upload/", views.document_upload, name="document_upload"),
    path("spaces/<int:pk>/folders/", views.folder_create, name="folder_create"),
    path("spaces/<int:pk>/download.zip", views.space_zip, name="space_zip"),
    path("spaces/<int:pk>/bin/", views.space_bin, name="space_bin"),
    path("spaces/<int:pk>/members/", views.space_members, name="space_members"),
    path("folders/<int:pk>/", views.folder_detail, name="folder_detail"),
    path("folders/<int:pk>/upload/", views.folder_upload, name="folder_upload"),
    path("folders/<int:pk>/download.zip", views.folder_zip, name="folder_zip"),
    path("folders/<int:pk>/delete/", views.folder_delete, name="folder_delete"),
    path("folders/<int:pk>/restore/", views.folder_restore, name="folder_restore"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("documents/<int:pk>/move/", views.document_move, name="document_move"),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("documents/<int:pk>/versions/new/", views.version_upload, name="version_upload"),
    path(
        "documents/<int:pk>/versions/<int:number>/download/", views.document_download, name="version_download"
    ),
    path("documents/<int:pk>/versions/<int:number>/restore/", views.version_restore, name="version_restore"),
    path("documents/<int:pk>/check-out/", views.check_out, name="check_out"),
    path("documents/<int:pk>/check-in/", views.check_in, name="check_in"),
    path("documents/<int:pk>/break-check-out/", views.break_check_out, name="break_check_out"),
    path("documents/<int:pk>/delete/", views.document_delete, name="document_delete"),
    path("documents/<int:pk>/restore/", views.document_restore, name="document_restore"),
    path("following/", views.follow_list, name="follow_list"),
    path("following/topics/<str:code>/", views.topic_follow, name="topic_follow"),
    path("spaces/<int:pk>/follow/", views.space_follow, name="space_follow"),
    path("folders/<int:pk>/follow/", views.folder_follow, name="folder_follow"),
    path("parliament/", views.opening_list, name="opening_list"),
    path("parliament/open/<str:kind>/<int:pk>/", views.opening_create, name="opening_create"),
    path("parliament/<int:pk>/withdraw/", views.opening_withdraw, name="opening_withdraw"),
    path("overrides/", views.authorisation_list, name="authorisation_list"),
    path("overrides/<int:pk>/revoke/", views.authorisation_revoke, name="authorisation_revoke"),
]
