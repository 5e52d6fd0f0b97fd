"""WSGI entry point (gunicorn ilonet.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilonet.settings.production")
application = get_wsgi_application()
