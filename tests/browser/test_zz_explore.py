import json
from django.core.management import call_command
from django.test import Client
from ilonet.accounts.models import User
from ilonet.board.models import Motion, Meeting
from ilonet.deployments.models import Deployment
from ilonet.networks.models import Network
from .test_accessibility import _violations

def test_explore(page, live_server):
    call_command("seed_demo", allow_production=True)
    out = {}
    for who in ("chair", "deploying"):
        user = User.objects.get(email=f"{who}@demo.ilonet.eu")
        client = Client()
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        page.context.clear_cookies()
        page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
        m = Motion.objects.filter(outcome="adopted").last()
        pages = ["/deployments/", f"/deployments/{Deployment.objects.filter(status='active').first().pk}/", "/deployments/new/",
                 "/deployments/contacts/", "/deployments/gaps/", "/deployments/notifications/", "/deployments/joint/", "/deployments/priorities/",
                 "/networks/", f"/networks/{Network.objects.first().pk}/", "/networks/officer-lists/", "/networks/activities/",
                 "/board/", "/board/members/", "/board/meetings/", "/board/meetings/new/", f"/board/meetings/{Meeting.objects.first().pk}/",
                 "/board/motions/", "/board/motions/new/", f"/board/motions/{m.pk}/", "/board/decisions/", f"/board/decisions/{m.pk}/",
                 "/board/rules/", "/board/programmes/", "/board/reports/", "/board/actions/", "/board/trainings/", "/board/decisions/to-pass-on/",
                 "/accessibility/"]
        for lang in ("en", "nl"):
            page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
            for p in pages:
                r = page.goto(p)
                if r.status != 200:
                    out[f"{who} {lang} {p}"] = r.status
                    continue
                v = _violations(page)
                if v:
                    out[f"{who} {lang} {p}"] = v
    print(json.dumps(out, indent=1))
