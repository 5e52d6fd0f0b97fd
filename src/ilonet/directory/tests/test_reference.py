"""Reference organisations: participation is data (recitals 31 and 33, Art. 7(3))."""

import pytest
from django.utils import translation

from ilonet.directory import selectors, services
from ilonet.directory.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db


def test_denmark_does_not_take_part_and_ireland_does():
    assert not Organisation.objects.get(code="dk").takes_part_in_ilo_regulation  # recital 31
    assert Organisation.objects.get(code="ie").takes_part_in_ilo_regulation  # recital 33


def test_twenty_six_member_states_take_part_out_of_twenty_seven():
    assert Organisation.objects.filter(kind=OrganisationKind.MEMBER_STATE).count() == 27
    assert selectors.participating_member_states().count() == 26


def test_schengen_associated_countries_are_listed_for_non_voting_seats():
    codes = set(selectors.schengen_associated_countries().values_list("code", flat=True))
    assert codes == {"is", "li", "no", "ch"}


def test_eu_bodies_of_the_regulation_are_present_and_deploying_ones_flagged():
    deploying = set(Organisation.objects.filter(is_deploying_authority=True).values_list("code", flat=True))
    assert {"com", "frontex", "europol", "euaa"} <= deploying
    assert "ep" not in deploying


def test_third_countries_come_from_iso_3166_and_exclude_europe_of_the_regulation():
    third = Organisation.objects.filter(kind=OrganisationKind.THIRD_COUNTRY)
    codes = {o.country.code for o in third}
    assert {"MA", "NG", "TR", "PK"} <= codes
    assert not codes & {"NL", "DK", "NO", "CH"}
    assert selectors.is_third_country("ma") and not selectors.is_third_country("NL")
    assert not selectors.is_third_country("NO")


def test_country_names_follow_the_active_language():
    germany = Organisation.objects.get(code="de")
    with translation.override("nl"):
        assert germany.name == "Duitsland"
    with translation.override("en"):
        assert germany.name == "Germany"
    commission = Organisation.objects.get(code="com")
    with translation.override("nl"):
        assert commission.name == "Europese Commissie"


def test_loading_reference_data_again_creates_nothing():
    assert services.ensure_reference_organisations() == 0


def test_a_national_authority_needs_its_member_state(admin_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.create_organisation(
            actor=admin_user, code="xx-auth", kind=OrganisationKind.NATIONAL_AUTHORITY,
            name_en="Orphan authority",
        )  # fmt: skip
    assert not Organisation.objects.filter(code="xx-auth").exists()


def test_member_state_of_an_authority_is_found_through_its_parent(admin_user):
    authority = services.create_organisation(
        actor=admin_user, code="nl-ind", kind=OrganisationKind.NATIONAL_AUTHORITY,
        name_en="Immigration and Naturalisation Service",
        parent=Organisation.objects.get(code="nl"),
    )  # fmt: skip
    assert authority.member_state.code == "nl"


def test_only_administrators_change_the_directory(make_user):
    from django.core.exceptions import PermissionDenied

    chair = make_user("chair", organisation="com")
    with pytest.raises(PermissionDenied):
        services.update_organisation(
            actor=chair, organisation=Organisation.objects.get(code="dk"),
            takes_part_in_ilo_regulation=True,
        )  # fmt: skip
    assert not Organisation.objects.get(code="dk").takes_part_in_ilo_regulation


def test_denmark_opting_in_is_recorded_and_audited(admin_user):
    from ilonet.audit.models import AuditEvent

    denmark = Organisation.objects.get(code="dk")
    services.update_organisation(actor=admin_user, organisation=denmark, takes_part_in_ilo_regulation=True)
    assert selectors.participating_member_states().count() == 27
    event = AuditEvent.objects.filter(action="record.updated").latest("seq")
    assert event.object_id == str(denmark.pk)
    assert event.details["changes"]["takes_part_in_ilo_regulation"] == [False, True]


def test_admin_records_an_opt_in_through_the_page(admin_user, login):
    from django.urls import reverse

    client = login(admin_user)
    response = client.post(reverse("directory:organisation_edit", args=["dk"]), {
        "takes_part_in_ilo_regulation": "on", "is_active": "on"})  # fmt: skip
    assert response.status_code == 302
    assert Organisation.objects.get(code="dk").takes_part_in_ilo_regulation


def test_non_admin_cannot_open_the_edit_page(make_user, login):
    from django.urls import reverse

    client = login(make_user("chair", organisation="com"))
    assert client.get(reverse("directory:organisation_edit", args=["dk"])).status_code == 403


def test_admin_adds_a_deploying_authority_under_a_member_state(admin_user, login):
    from django.urls import reverse

    client = login(admin_user)
    response = client.post(reverse("directory:authority_create", args=["nl"]), {
        "code": "nl-ind", "name_en": "Immigration and Naturalisation Service",
        "is_deploying_authority": "on"})  # fmt: skip
    assert response.status_code == 302
    authority = Organisation.objects.get(code="nl-ind")
    assert authority.parent.code == "nl" and authority.is_deploying_authority
    again = client.post(reverse("directory:authority_create", args=["nl"]), {
        "code": "nl-ind", "name_en": "Duplicate"})  # fmt: skip
    assert again.status_code == 422
    assert Organisation.objects.filter(code="nl-ind").count() == 1


def test_authorities_cannot_be_added_under_a_third_country(admin_user, login):
    from django.urls import reverse

    client = login(admin_user)
    response = client.get(reverse("directory:authority_create", args=["tc-ma"]))
    assert response.status_code == 404
