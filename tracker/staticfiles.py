"""Static file storage that works before collectstatic as well as after it."""

from django.core.files.storage import FileSystemStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class ManifestOrPlainStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed names from the manifest; plain names while there is none.

    Without a manifest the stock storage raises on every ``{% static %}`` tag, which
    turns each page (the login page too) into a server error. With no manifest the
    plain name is used instead and whitenoise serves the source files through the
    finders; ``check --deploy`` warns until collectstatic has run.
    """

    def url(self, name, force=False):
        if not self.hashed_files:
            return FileSystemStorage.url(self, name)
        return super().url(name, force)
