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
]
