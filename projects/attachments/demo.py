"""Demo site photos: drawn pictures of works in progress for a few demo projects, added once.

The pictures are generated (sky, ground, a building growing month by month),
so the demo needs no image files and every first load draws the same ones.
"""

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.dispatch import receiver
from PIL import Image, ImageDraw

from projects.demo_signals import demo_loaded
from projects.models import MonthlyProgress, Project

from . import services
from .models import Photo

PROJECTS = 8
SIZE = (640, 420)


def draw(rng: random.Random, year: int, month: int) -> bytes:
    """A site: sky, ground, a crane and a building growing with the month; dated in EXIF."""
    width, height = SIZE
    image = Image.new("RGB", SIZE, (170, 205, 235))
    pen = ImageDraw.Draw(image)
    ground = int(height * 0.72)
    pen.rectangle([0, ground, width, height], fill=(150, 125, 95))
    left = rng.randint(60, 240)
    floors = 2 + month * rng.randint(2, 4)
    top = max(40, ground - floors * 14)
    pen.rectangle([left, top, left + 220, ground], fill=(185, 185, 180), outline=(90, 90, 90))
    for y in range(top + 8, ground - 6, 14):
        for x in range(left + 10, left + 210, 24):
            pen.rectangle([x, y, x + 12, y + 6], fill=(80, 110, 140))
    mast = left + 260
    pen.rectangle([mast, 30, mast + 8, ground], fill=(230, 170, 30))
    pen.rectangle([mast - 140, 30, mast + 60, 38], fill=(230, 170, 30))
    pen.rectangle([0, ground - 18, width, ground], fill=(40, 120, 60))  # site hoarding
    exif = Image.Exif()
    exif[0x0132] = f"{year}:{month:02d}:{rng.randint(20, 28)} {rng.randint(8, 16):02d}:30:00"
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, exif=exif.tobytes())
    return out.getvalue()


@receiver(demo_loaded, dispatch_uid="attachments.demo")
def load_demo_photos(sender, programme, actor, **kwargs) -> None:
    if Photo.objects.filter(project__programme=programme).exists():
        return
    rng = random.Random(614)
    started = Project.objects.filter(programme=programme, actual_start__isnull=False)
    for project in started.order_by("code")[:PROJECTS]:
        entries = MonthlyProgress.objects.filter(project=project, year=programme.year)
        for entry in entries.order_by("month"):
            upload = SimpleUploadedFile(
                "site.jpg", draw(rng, entry.year, entry.month), "image/jpeg"
            )
            services.upload_photo(
                actor=actor,
                project=project,
                upload=upload,
                caption=entry.image_progress[:200],
                year=entry.year,
                month=entry.month,
            )
