"""Peak memory of one photo upload's checks and re-encoding, per kind of picture.

Pillow allocates outside Python's allocator, so tracemalloc does not see it: each picture is
processed in a fresh interpreter and its peak resident memory (the kernel's ``VmHWM``, which
starts afresh with the new program, unlike ``ru_maxrss``, which a child inherits from the
bench's own large peak) compared with the peak just before. ``make bench`` prints the table;
the target is ≤ 150 MB per upload.
"""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MB = 150
# (label, format, width, height, mode): the largest pictures a phone or a screenshot gives
# that the bounds accept, and two the bounds refuse from their header.
PICTURES = [
    ("JPEG 6,000 × 4,000 (24 MP phone photo)", "JPEG", 6000, 4000, "RGB"),
    ("JPEG 6,300 × 6,300 (near the pixel bound)", "JPEG", 6300, 6300, "RGB"),
    ("JPEG 5,100 × 5,100 (just under twice the kept side)", "JPEG", 5100, 5100, "RGB"),
    ("PNG 4,000 × 3,000 RGBA (at the decoded bound)", "PNG", 4000, 3000, "RGBA"),
    ("PNG 6,300 × 6,300 RGBA (refused)", "PNG", 6300, 6300, "RGBA"),
]


def _picture(fmt: str, width: int, height: int, mode: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    picture = Image.effect_noise((width, height), 60).convert(mode)
    picture.save(out, fmt, **({"quality": 90} if fmt == "JPEG" else {"compress_level": 1}))
    return out.getvalue()


def _peak_kb() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _child(path: str) -> None:
    """In a fresh interpreter: process one picture, print the peak growth in MB as JSON."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")
    import django

    django.setup()
    from django.conf import settings
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from projects.attachments import images

    upload = SimpleUploadedFile("photo", Path(path).read_bytes())
    before = _peak_kb()
    try:
        images.process(
            upload,
            max_bytes=10**9,
            max_pixels=settings.PHOTOS_MAX_PIXELS,
            max_side=settings.PHOTOS_MAX_SIDE,
            keep_location=False,
            max_source_side=settings.PHOTOS_MAX_SOURCE_SIDE,
            max_decoded_bytes=settings.PHOTOS_MAX_DECODED_BYTES,
        )
        outcome = "stored"
    except ValidationError:
        outcome = "refused"
    after = _peak_kb()
    print(json.dumps({"outcome": outcome, "peak_mb": round((after - before) / 1024)}))


def measure(folder: Path) -> list[dict]:
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for label, fmt, width, height, mode in PICTURES:
        path = folder / f"photo-{fmt}-{width}x{height}.{fmt.lower()}"
        if not path.exists():
            path.write_bytes(_picture(fmt, width, height, mode))
        run = subprocess.run(
            [sys.executable, "-m", "benchmarks.photo_memory", str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(run.stdout.strip().splitlines()[-1])
        rows.append(
            {
                "picture": label,
                "file_kb": path.stat().st_size // 1024,
                **result,
                "met": result["peak_mb"] <= TARGET_MB,
            }
        )
    return rows


def print_table(rows: list[dict]) -> None:
    print(f"\nphoto upload, peak memory growth per picture (target ≤ {TARGET_MB} MB)")
    for row in rows:
        verdict = "met" if row["met"] else "MISSED"
        print(
            f"  {row['picture']:<52} {row['file_kb']:>7,} KB  {row['outcome']:<8} "
            f"{row['peak_mb']:>5} MB  {verdict}"
        )


if __name__ == "__main__":
    _child(sys.argv[1])
