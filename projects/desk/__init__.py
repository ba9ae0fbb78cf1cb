"""Daily work that spans the ledger and the nested apps (problems, nodes, photos).

The nested apps (`coordination`, `milestones`, `attachments`) depend on the ledger only, never
on each other in a chain; what needs several of them at once (each unit's reminders today, the
to-do list) lives here, one layer above them all, and is read by commands and pages.
"""
