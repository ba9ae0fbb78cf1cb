"""A storage that hands every call to the one a setting names, looked up at use.

Late, so that production can point files at shared storage (any Django backend,
needed when several app servers run) and a changed STORAGES setting takes effect
without a restart; the models import this, not a storage fixed at import time.
"""

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages


class LateStorage(Storage):
    """Every call goes to ``storages[getattr(settings, setting)]``."""

    def __init__(self, setting: str):
        self.setting = setting

    @property
    def target(self) -> Storage:
        return storages[getattr(settings, self.setting)]

    def open(self, name, mode="rb"):
        return self.target.open(name, mode)

    def save(self, name, content, max_length=None):
        return self.target.save(name, content, max_length=max_length)

    def generate_filename(self, filename):
        return self.target.generate_filename(filename)

    def get_available_name(self, name, max_length=None):
        return self.target.get_available_name(name, max_length=max_length)

    def delete(self, name):
        return self.target.delete(name)

    def exists(self, name):
        return self.target.exists(name)

    def size(self, name):
        return self.target.size(name)

    def path(self, name):
        return self.target.path(name)

    def listdir(self, path):
        return self.target.listdir(path)

    def url(self, name):
        return self.target.url(name)


def save_file(field_file, name: str, content: bytes) -> None:
    """``FieldFile.save`` (row not saved), leaving nothing behind when the storage fails.

    A full disk can fail a save part-way and leave a cut-short file that no row names; it
    is removed by the name it was to have, and the error is raised for the caller to word.
    """
    intended = field_file.field.generate_filename(field_file.instance, name)
    try:
        field_file.save(name, ContentFile(content), save=False)
    except OSError:
        discard(field_file.storage, intended)
        raise


def save_to(storage: Storage, name: str, content: bytes) -> str:
    """``storage.save`` of bytes, with the same clean-up as ``save_file``; the stored name."""
    try:
        return storage.save(name, ContentFile(content))
    except OSError:
        discard(storage, name)
        raise


def discard(storage: Storage, *names: str) -> None:
    """Remove these files where they exist (a name may never have been written)."""
    for name in names:
        if name and storage.exists(name):
            storage.delete(name)
