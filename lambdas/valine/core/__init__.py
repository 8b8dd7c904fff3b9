"""The kernel: the task and its states, the ports, the agent seam, the phase table, the time
budgets, the names and the clock. It imports nothing above it (tests/unit/test_import_graph.py)."""
