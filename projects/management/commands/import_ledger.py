from ._import_command import ImportCommand


class Command(ImportCommand):
    help = "Import a project ledger (CSV or .xlsx): all rows or none."
    kind = "ledger"
