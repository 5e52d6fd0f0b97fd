"""Settings profiles: ``base`` (shared), ``dev`` (make run), ``test`` (pytest), ``production``."""
