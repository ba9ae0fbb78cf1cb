"""The quarterly briefing (通报): its typed content, its wording and its pages."""
