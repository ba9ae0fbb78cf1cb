from ._import_command import ImportCommand


class Command(ImportCommand):
    help = "Import monthly progress figures (CSV or .xlsx): all rows or none."
    kind = "progress"
