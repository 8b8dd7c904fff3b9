"""What the docs promise about the code, checked against the code (#20: docs/local.md's GraphQL
experiment left the bot on REST for 10 minutes without saying so)."""

from __future__ import annotations

import re
from pathlib import Path

from valine.adapters.github_client import REMEMBER_SECONDS

ROOT = Path(__file__).resolve().parents[2]


def test_local_md_states_how_long_the_bot_remembers_a_missing_graphql():
    text = " ".join((ROOT / "docs" / "local.md").read_text().split())
    said = re.search(r"remembers a missing GraphQL for (\d+) minutes \(`REMEMBER_SECONDS`", text)
    assert said and int(said.group(1)) * 60 == REMEMBER_SECONDS
    assert "Restart `make local`" in text

