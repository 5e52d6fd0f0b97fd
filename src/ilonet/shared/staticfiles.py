"""The production storage of static files, with each file's address computed once per process.

WhiteNoise's ``CompressedManifestStaticFilesStorage`` reads the manifest (the hashed name of
every file) once, when the process starts; each ``{% static %}`` then rebuilds the same address
from it (a dictionary look-up, a URL join and a quoting), about fifteen times per page. The
address of a name cannot change while the process lives, so it is kept after the first time.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage

# The templates name a few dozen files; a name given at run time (never, today) cannot grow
# the memory beyond this many addresses.
MAX_REMEMBERED = 2048


class ManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._addresses: dict[tuple[str, bool], str] = {}

    def url(self, name, force=False):
        key = (name, force)
        found = self._addresses.get(key)
        if found is None:
            found = super().url(name, force)  # a name missing from the manifest raises, unkept
            if len(self._addresses) < MAX_REMEMBERED:
                self._addresses[key] = found
        return found
