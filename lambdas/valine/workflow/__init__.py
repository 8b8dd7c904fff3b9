"""Requests as tasks with a lifecycle and an audit trail (the agents-as-employees workflow)."""
