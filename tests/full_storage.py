"""A storage that fails as a full disk does, for the tests of every door that writes files."""

from pathlib import Path

from django.core.files.storage import FileSystemStorage

BACKEND = "tests.full_storage.FullStorage"


class FullStorage(FileSystemStorage):
    """Writes a file's first (zero) bytes, then fails with ENOSPC."""

    def _save(self, name, content):
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"")  # cut short as the disk filled
        raise OSError(28, "No space left on device")


def full(location) -> dict:
    """A STORAGES entry that is full, at ``location``."""
    return {"BACKEND": BACKEND, "OPTIONS": {"location": str(location)}}
