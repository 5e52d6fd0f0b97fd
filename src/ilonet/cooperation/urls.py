from django.urls import path

from .views import flights, other, places

app_name = "cooperation"
urlpatterns = [
    path("", places.offer_list, name="offer_list"),
    path("offers/new/", places.offer_new, name="offer_new"),
    path("offers/<int:pk>/", places.offer_detail, name="offer_detail"),
    path("offers/<int:pk>/request/", places.request_new, name="request_new"),
    path("requests/<int:pk>/answer/", places.request_answer, name="request_answer"),
    path("requests/<int:pk>/uses/", places.request_uses, name="request_uses"),
    path("requests/<int:pk>/uses/new/", places.use_new, name="use_new"),
    path("flights/", flights.flight_list, name="flight_list"),
    path("flights/new/", flights.flight_new, name="flight_new"),
    path("flights/<int:pk>/", flights.flight_detail, name="flight_detail"),
    path("flights/<int:pk>/request/", flights.seats_request, name="seats_request"),
    path("flights/<int:pk>/take/", flights.seats_take, name="seats_take"),
    path("seats/<int:pk>/allocate/", flights.seats_allocate, name="seats_allocate"),
    path("seats/<int:pk>/release/", flights.seats_release, name="seats_release"),
    path("seats/<int:pk>/cases/", flights.seats_cases, name="seats_cases"),
    path("missions/", other.mission_list, name="mission_list"),
    path("missions/new/", other.mission_new, name="mission_new"),
    path("missions/<int:pk>/outcome/", other.mission_outcome, name="mission_outcome"),
    path("directory/", other.opportunity_list, name="opportunity_list"),
    path("directory/new/", other.opportunity_new, name="opportunity_new"),
    path("directory/<int:pk>/review/", other.opportunity_review, name="opportunity_review"),
    path("support/", other.support_list, name="support_list"),
    path("support/new/", other.support_new, name="support_new"),
    path("support/<int:pk>/uptake/", other.uptake_new, name="uptake_new"),
    path("overview/", other.overview, name="overview"),
]
