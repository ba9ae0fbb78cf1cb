"""Demo site photos and 入库 materials: drawn pictures and stand-in PDFs, added once.

The pictures are generated (sky, ground, a building growing month by month),
so the demo needs no image files and every first load draws the same ones.
"""

import datetime as dt
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.dispatch import receiver
from PIL import Image, ImageDraw

from projects.demo_signals import demo_loaded
from projects.models import MonthlyProgress, Project

from . import library_services as services_library
from . import services
from .models import LibraryDocument, Photo

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


def demo_pdf(text: str) -> bytes:
    """A one-page PDF with one line of ASCII text: a stand-in for a scanned document."""
    line = text.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 60 760 Td (" + line + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _pdf(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, demo_pdf(text), "application/pdf")


@receiver(demo_loaded, dispatch_uid="attachments.demo_library")
def load_demo_library_materials(sender, programme, actor, **kwargs) -> None:
    """入库 materials: all four for a few photographed projects, some for those lagging.

    Runs after the photos (the receivers are connected in this order), and only once.
    """
    if LibraryDocument.objects.filter(project__programme=programme).exists():
        return
    Kind = LibraryDocument.Kind
    rng = random.Random(2324)
    photographed = Project.objects.filter(
        programme=programme, pk__in=Photo.objects.values("project")
    ).order_by("code")
    for project in photographed[:4]:
        photo = Photo.objects.filter(project=project).order_by("-year", "-month").first()
        for kind, source in (
            (Kind.APPROVAL, {"upload": _pdf("lixiang.pdf", f"{project.code} approval")}),
            (Kind.CONTRACT, {"upload": _pdf("hetong.pdf", f"{project.code} contract")}),
            (Kind.SITE_PHOTO, {"photo": photo}),
            (Kind.PLATFORM, {"upload": _pdf("pingtai.pdf", f"{project.code} approved")}),
        ):
            services_library.attach_library_document(
                actor=actor, project=project, kind=kind, **source
            )
    # Started, not in the library by 31 March: the materials still missing show on the due list.
    lagging = Project.objects.filter(
        programme=programme, actual_start__year=programme.year, actual_start__month__lte=3
    ).exclude(statistics_entry_date__lte=dt.date(programme.year, 3, 31))
    for project in lagging.order_by("code"):
        services_library.attach_library_document(
            actor=actor,
            project=project,
            kind=Kind.APPROVAL,
            upload=_pdf("lixiang.pdf", f"{project.code} approval"),
        )
        picture = draw(rng, project.actual_start.year, project.actual_start.month)
        services_library.attach_library_document(
            actor=actor,
            project=project,
            kind=Kind.SITE_PHOTO,
            upload=SimpleUploadedFile("site.jpg", picture, "image/jpeg"),
            note="现场照片（含项目名称、地点、时间、核查人）",
        )
