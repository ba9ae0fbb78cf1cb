"""What a commit does to a transaction's data-version bumps, for tests that never commit.

A transaction bumps each data version once (``services.versions``) and, until it ends,
neither reads nor keeps cached reports. A test runs in one transaction that never commits;
``settle()`` drops its record of the bumps so far, as a commit does, so the next write
bumps afresh and the next read may use the cache.
"""

from django.db import connection

from projects.models.versions import Bumped


def settle():
    connection.run_on_commit[:] = [
        hook for hook in connection.run_on_commit if not isinstance(hook[1], Bumped)
    ]
