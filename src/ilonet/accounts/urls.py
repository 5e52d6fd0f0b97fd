from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:user_id>/", views.user_detail, name="user_detail"),
    path(
        "users/<int:user_id>/roles/<int:assignment_id>/revoke/",
        views.role_revoke,
        name="role_revoke",
    ),
    path(
        "users/<int:user_id>/roles/<int:assignment_id>/confirm/",
        views.role_confirm,
        name="role_confirm",
    ),
    path("roles/pending/", views.pending_roles, name="pending_roles"),
    path("users/<int:user_id>/invitation/", views.invitation_resend, name="invitation_resend"),
    path(
        "users/<int:user_id>/invitation/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    # Public: the link of an invitation mail, then the page that sets the password.
    path("invitation/accept/", views.invitation_accept, name="invitation_accept"),
    path("invitation/<str:secret>/", views.invitation_open, name="invitation_open"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]

# "My account" keeps allauth's un-namespaced naming (account_login, account_logout, …).
# "E-mail addresses" is ours in place of allauth's page of the same path and name (listed first).
profile_urlpatterns = [
    path("profile/", views.profile, name="account_profile"),
    path("email/", views.email_address, name="account_email"),
]
