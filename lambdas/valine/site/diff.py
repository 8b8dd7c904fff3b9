"""The preview every agent shows: a unified diff of the real file, and how to fit one into a message."""

from __future__ import annotations


def unified_diff(old: str, new: str, path: str) -> str:
    import difflib  # the worker's: the 3-second path only trims diffs

    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                 fromfile=f"a/{path}", tofile=f"b/{path}", n=2)
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines).rstrip("\n")


def trim_diff(diff: str, budget: int) -> str:
    """Fit a diff into ``budget`` characters, ending with "… N more lines" when cut."""
    if len(diff) <= budget:
        return diff
    lines = diff.splitlines()
    kept: list[str] = []
    used = 0
    for i, line in enumerate(lines):
        remaining = len(lines) - i
        note = f"… {remaining} more lines"
        if used + len(line) + 1 + len(note) + 1 > budget:
            kept.append(f"… {remaining} more lines")
            break
        kept.append(line)
        used += len(line) + 1
    return "\n".join(kept)
