"""Problem coordination (问题协调/督办): blockers raised for projects, assigned, chased and closed."""
