"""WSGI entry point (gunicorn ilonet.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilonet.settings.production")
application = get_wsgi_application()

# Everything loaded so far lives for the whole process: keep it out of the garbage collector's
# full passes, which otherwise add tens of milliseconds to random requests (docs/benchmarks.md).
gc.freeze()
