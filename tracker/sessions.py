"""Django's database sessions, the session read by a statement built once per process.

Every signed-in request reads its session (and then its person, ``auth_backend.get_user``).
Django builds and compiles that ``SELECT`` afresh each time, filtered by the session's key
and the time now: at 2,000 × 5 under ``make load`` the two were the only statements every
page still built, about 2.5 ms a request. Here the key is the statement's value
(``projects.selectors.placed``) and the expiry is checked on the row read, which is what
Django's ``expire_date > now`` filter selects. Everything else is Django's ``db`` backend:
the table, the writes, ``clearsessions``.
"""

from django.contrib.sessions.backends import db
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        from projects.selectors import placed  # the selectors import the app's models

        found = None
        if self.session_key:  # Django's own setter made it None unless it is a key's shape
            model = self.model
            found = placed.objects_of(
                ("session by key", model._meta.label),
                lambda key: model.objects.filter(session_key=key),
                self.session_key,
            )
        session = found[0] if found else None
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return None
        return session
