"""How a local stack is configured: the dev stage's settings from cdk.json, the environment's
overrides, a free port and the development signing key."""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def dev_stage() -> dict[str, Any]:
    return json.loads((REPO_ROOT / "cdk.json").read_text())["context"]["stages"]["dev"]


def _ids(env: dict[str, str], key: str, default: list[str]) -> list[str]:
    raw = env.get(key)
    return [x.strip() for x in raw.split(",") if x.strip()] if raw else list(default)


@dataclass
class LocalConfig:
    port: int = 8787
    phase: str = "4"
    application_id: str = "100000000000000001"
    guild_ids: list[str] = field(default_factory=lambda: ["100000000000000002"])
    admin_role_ids: list[str] = field(default_factory=list)
    pm_role_ids: list[str] = field(default_factory=list)
    developer_role_ids: list[str] = field(default_factory=list)
    public_key_hex: str | None = None
    state_dir: Path = REPO_ROOT / ".local"
    repository: str = "example-org/valine-site"
    base_branch: str = "main"
    ttl_minutes: int = 60
    faults: str = ""
    worker_threads: int = 4
    visibility_timeout: int = 5
    llm_base_url: str | None = None
    discord_api_url: str | None = None  # real Discord instead of the emulator, for a real app
    extra_env: dict[str, str] = field(default_factory=dict)  # e.g. FLAGS_MAX_AGE_SECONDS for tests
    site: Path = REPO_ROOT / "example-site"  # the site the GitHub emulator serves (a git checkout or a folder)
    rate_limits: dict[str, int] = field(default_factory=lambda: dict(dev_stage().get("rate_limits") or {}))
    # moto keeps one in-process backend, so stacks in one process need their own names.
    name: str = "local"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> LocalConfig:
        e = dict(os.environ if env is None else env)
        dev = dev_stage()
        roles = dev.get("role_ids", {})
        return cls(
            port=int(e.get("PORT", "8787")),
            phase=e.get("PHASE", "4"),
            application_id=e.get("DISCORD_APPLICATION_ID", dev["discord_application_id"]),
            guild_ids=_ids(e, "DISCORD_GUILD_IDS", dev["guild_ids"]),
            admin_role_ids=_ids(e, "ADMIN_ROLE_IDS", roles.get("admin", [])),
            pm_role_ids=_ids(e, "PM_ROLE_IDS", roles.get("pm", [])),
            developer_role_ids=_ids(e, "DEVELOPER_ROLE_IDS", roles.get("developer", [])),
            public_key_hex=e.get("DISCORD_PUBLIC_KEY") or None,
            ttl_minutes=int(e.get("CONVERSATION_TTL_MINUTES", "60")),
            faults=e.get("FAULTS", ""),
            llm_base_url=e.get("OPENAI_BASE_URL") or None,
            discord_api_url=e.get("DISCORD_API_URL") or None,
            site=Path(e["SITE"]).expanduser().resolve() if e.get("SITE") else REPO_ROOT / "example-site",
        )


def dev_signing_key(state_dir: Path) -> Any:
    """The development key pair: its public half verifies, the CLI signs with the private half."""
    from nacl.signing import SigningKey

    path = state_dir / "dev-signing-key"
    state_dir.mkdir(parents=True, exist_ok=True)
    if path.exists():
        return SigningKey(bytes.fromhex(path.read_text().strip()))
    key = SigningKey.generate()
    path.write_text(key.encode().hex())
    path.chmod(0o600)
    return key
