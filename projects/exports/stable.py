"""Files that are the same bytes every time: zip entries stamped with one given time.

XLSX and DOCX are zip archives whose entries carry the time they were written, and
whose properties carry when the document was made; a published edition's files must
not differ from one download to the next, so both take the edition's publication time.
"""

import datetime as dt
import io
import re
import zipfile

# The document properties' dates, which the writers set to the time of writing.
CORE = "docProps/core.xml"
_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def stamped_zip(content: bytes, when: dt.datetime) -> bytes:
    """The archive ``content`` with every entry dated ``when`` (order and data unchanged)."""
    when = when.astimezone(dt.UTC) if when.tzinfo else when
    stamp = when.timetuple()[:6]
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=max(stamp, (1980, 1, 1, 0, 0, 0)))
            entry.compress_type = info.compress_type
            entry.external_attr = info.external_attr
            data = source.read(info.filename)
            if info.filename == CORE:
                data = _DATES.sub(rb"\g<1>" + iso + rb"\g<2>", data)
            target.writestr(entry, data)
    return out.getvalue()
