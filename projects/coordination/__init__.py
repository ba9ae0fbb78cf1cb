"""Problem coordination (问题协调/督办): blockers raised, assigned, chased and closed."""
