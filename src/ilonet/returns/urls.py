from django.urls import path

from . import views

app_name = "returns"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.open_case, name="case_open"),
    path("search/", views.search, name="search"),
    path("cases/<str:reference>/", views.case_detail, name="case_detail"),
    path("cases/<str:reference>/events/", views.record_event, name="record_event"),
    path(
        "cases/<str:reference>/approvals/<int:pk>/<slug:decision>/",
        views.decide_approval,
        name="decide_approval",
    ),
    path("cases/<str:reference>/flags/set/", views.set_flag, name="set_flag"),
    path("cases/<str:reference>/flags/clear/", views.clear_flag, name="clear_flag"),
    path("cases/<str:reference>/hold/release/", views.release_hold, name="release_hold"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("duplicates/", views.duplicate_queue, name="duplicate_queue"),
    path("duplicates/<int:pk>/decide/", views.decide_duplicate, name="decide_duplicate"),
]
