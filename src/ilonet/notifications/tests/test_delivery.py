"""E-mail goes out from jobs only, through a real SMTP server on loopback, once per recipient
and event: in the recipient's language, with nothing lost and nothing sent twice when the
server is down, refuses, or a worker dies mid-send."""

from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.utils import timezone

from ilonet import policy
from ilonet.jobs import clock, testing
from ilonet.jobs.models import Job, JobState
from ilonet.jobs.notify import Audience, notify
from ilonet.notifications import jobs
from ilonet.notifications.mail import STALE_SECONDS
from ilonet.notifications.models import MailState, Notification, OutboxMail, Preference

pytestmark = pytest.mark.django_db


def remind(key: str = "rules:1", deadline: str = "2027-03-01") -> None:
    """A reminder to the chair (Art. 8(1)), through the one hook every producer uses."""
    notify(
        "board.reminder.rules_deadline", key=f"board.reminder:{key}", obj=None,
        audience_action=policy.Action.MANAGE_BOARD, recipients=Audience(roles=("chair", "secretariat")),
        context={"deadline": deadline, "article": "Art. 8(1)"}, link="/board/",
    )  # fmt: skip


def run_jobs(at=None) -> int:
    at = at or timezone.now()
    with clock.frozen(at):
        return testing.run_queued_jobs(now=at)


@pytest.fixture
def chair(make_user):
    return make_user("chair", organisation="com", email="chair@example.eu")


@pytest.fixture
def voorzitter(make_user):
    return make_user("secretariat", organisation="nl", email="secretaris@example.eu", preferred_language="nl")


def test_mail_is_sent_by_a_job_through_smtp_in_each_recipients_language(smtp, chair, voorzitter, settings):
    remind()
    assert smtp.arrived == [] and django_mail.outbox == []  # nothing is sent in the producer's transaction
    run_jobs()
    [english] = smtp.to("chair@example.eu")
    [dutch] = smtp.to("secretaris@example.eu")
    assert english.message["Subject"] == "ILOnet: Rules of procedure due"
    assert "rules of procedure are due by 1 March 2027 (Art. 8(1))" in english.part("text/plain")
    assert f"{settings.SITE_URL}/board/" in english.part("text/plain")  # the page that opens it
    assert "#004494" in english.part("text/html")  # the ECL look
    assert dutch.message["Subject"] != english.message["Subject"]
    assert "1 maart 2027" in dutch.part("text/plain") and "art. 8, lid 1" in dutch.part("text/plain")
    assert 'lang="nl"' in dutch.part("text/html")
    # The mail names nobody: not even its recipient.
    assert chair.email not in english.part("text/plain") and str(chair) not in english.part("text/html")
    assert set(OutboxMail.objects.values_list("state", flat=True)) == {MailState.SENT}


def test_the_same_event_twice_makes_one_notification_and_one_mail(smtp, chair):
    remind()
    remind()
    run_jobs()
    run_jobs()
    assert Notification.objects.filter(recipient=chair).count() == 1
    assert len(smtp.to(chair.email)) == 1


def test_a_server_that_is_down_delays_the_mail_and_loses_none(smtp, chair, voorzitter):
    smtp.stop()
    remind()
    now = timezone.now()
    run_jobs(now)
    [job] = Job.objects.filter(name__endswith="send_mail")
    assert job.state == JobState.FAILED and "MailServerUnavailable" in job.error
    assert set(OutboxMail.objects.values_list("state", flat=True)) == {MailState.PENDING}
    smtp.start()
    run_jobs(now + timedelta(seconds=30))  # still waiting out its backoff
    assert smtp.arrived == []
    run_jobs(now + timedelta(minutes=3))
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    assert len(smtp.to(chair.email)) == 1 and len(smtp.to(voorzitter.email)) == 1
    run_jobs(now + timedelta(hours=2))
    assert len(smtp.arrived) == 2


def test_a_server_refusing_for_now_is_retried_and_sends_none_twice(smtp, chair, voorzitter):
    smtp.handler.refuse = "451 4.3.0 Try again later"
    smtp.handler.refuse_only = {voorzitter.email}
    remind()
    now = timezone.now()
    run_jobs(now)
    states = dict(OutboxMail.objects.values_list("recipient__email", "state"))
    assert states[voorzitter.email] == MailState.PENDING
    smtp.handler.refuse = ""
    for minutes in (3, 10, 30):
        run_jobs(now + timedelta(minutes=minutes))
    assert len(smtp.to(chair.email)) == 1 and len(smtp.to(voorzitter.email)) == 1
    assert set(OutboxMail.objects.values_list("state", flat=True)) == {MailState.SENT}


def test_a_final_refusal_fails_that_mail_only_and_is_not_retried(smtp, chair, voorzitter):
    smtp.handler.refuse = "550 5.1.1 No such mailbox"
    smtp.handler.refuse_only = {chair.email}
    remind()
    now = timezone.now()
    run_jobs(now)
    run_jobs(now + timedelta(hours=1))
    failed = OutboxMail.objects.get(recipient=chair)
    assert failed.state == MailState.FAILED and "550" in failed.error and failed.attempts == 1
    assert len(smtp.to(voorzitter.email)) == 1
    assert Job.objects.get(name__endswith="send_mail").state == JobState.SUCCEEDED


def test_a_mail_left_half_sent_by_a_killed_worker_is_never_sent_again(smtp, chair):
    remind()
    mail = OutboxMail.objects.get(recipient=chair)
    # The worker claimed it and was killed before recording that the server took it.
    claimed = timezone.now() - timedelta(seconds=STALE_SECONDS + 60)
    OutboxMail.objects.filter(pk=mail.pk).update(state=MailState.SENDING, attempts=1, sent_at=claimed)
    run_jobs()
    assert smtp.arrived == []
    jobs.sweep_outbox()
    mail.refresh_from_db()
    assert mail.state == MailState.FAILED and "not sent again" in mail.error
    run_jobs(timezone.now() + timedelta(hours=1))
    assert smtp.arrived == []
    # The notification itself is on the site.
    assert Notification.objects.filter(recipient=chair, read_at__isnull=True).count() == 1


def test_the_sweep_queues_again_mail_whose_job_is_dead(smtp, chair):
    remind()
    Job.objects.filter(name__endswith="send_mail").update(state=JobState.DEAD, task_id=None)
    OutboxMail.objects.update(created_at=timezone.now() - timedelta(hours=1))
    with clock.frozen(timezone.now()):
        result = jobs.sweep_outbox()
    assert result["queued"] == 1
    run_jobs()
    assert len(smtp.to(chair.email)) == 1


def test_no_address_or_kind_off_is_skipped_not_an_error(smtp, chair, voorzitter, make_user):
    chair.email = ""
    chair.save(update_fields=["email"])
    Preference.objects.create(user=voorzitter, kind="board.reminder.rules_deadline", delivery="off")
    remind()
    run_jobs()
    assert smtp.arrived == [] and not OutboxMail.objects.exists()
    assert not Job.objects.filter(state__in=(JobState.FAILED, JobState.DEAD)).exists()
    # Both still see it on the site.
    assert Notification.objects.filter(recipient__in=[chair, voorzitter]).count() == 2


def next_local_noon(after):
    """A time of day far from midnight after ``after``: the digest's day is the local day, so a
    test that sends two digests minutes apart must not straddle midnight (it did in CI, run
    just after midnight in Brussels)."""
    local = timezone.localtime(after)
    noon = local.replace(hour=12, minute=0, second=0, microsecond=0)
    return noon if noon > local else noon + timedelta(days=1)


def test_the_daily_digest_carries_each_notification_once(smtp, chair, voorzitter):
    Preference.objects.create(user=chair, kind="board.reminder.rules_deadline", delivery="digest")
    remind("rules:1", "2027-03-01")
    remind("rules:2", "2027-04-01")
    run_jobs()
    assert smtp.to(chair.email) == [] and len(smtp.to(voorzitter.email)) == 2
    noon = next_local_noon(timezone.now())
    with clock.frozen(noon + timedelta(minutes=1)):
        jobs.send_daily_digest()
        jobs.send_daily_digest()
    run_jobs(noon + timedelta(minutes=2))
    [digest] = smtp.to(chair.email)
    text = digest.part("text/plain")
    assert "2 notifications" in digest.message["Subject"]
    assert "1 March 2027" in text and "1 April 2027" in text
    remind("rules:3", "2027-05-01")
    with clock.frozen(noon + timedelta(minutes=3)):
        jobs.send_daily_digest()  # the same day: that day's digest went out already
    run_jobs(noon + timedelta(minutes=4))
    assert len(smtp.to(chair.email)) == 1
