"""The briefing (通报) in words: every sentence's template (content: selectors.briefing)."""
