"""Numbers from https://discord.com/developers/docs/interactions/receiving-and-responding."""

from __future__ import annotations

from enum import IntEnum


class InteractionType(IntEnum):
    PING = 1
    APPLICATION_COMMAND = 2
    MESSAGE_COMPONENT = 3
    APPLICATION_COMMAND_AUTOCOMPLETE = 4
    MODAL_SUBMIT = 5


class InteractionResponseType(IntEnum):
    PONG = 1
    CHANNEL_MESSAGE_WITH_SOURCE = 4
    DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE = 5
    DEFERRED_UPDATE_MESSAGE = 6
    UPDATE_MESSAGE = 7
    APPLICATION_COMMAND_AUTOCOMPLETE_RESULT = 8
    MODAL = 9


class ComponentType(IntEnum):
    ACTION_ROW = 1
    BUTTON = 2
    STRING_SELECT = 3
    TEXT_INPUT = 4
    LABEL = 18  # a modal field's label around one input (replaces an Action Row in modals)


class ButtonStyle(IntEnum):
    PRIMARY = 1
    SECONDARY = 2
    SUCCESS = 3
    DANGER = 4
    LINK = 5


class TextInputStyle(IntEnum):
    SHORT = 1
    PARAGRAPH = 2


EPHEMERAL = 1 << 6
DISCORD_EPOCH_MS = 1420070400000  # snowflakes count milliseconds from 2015-01-01 (docs: "Snowflakes")


def snowflake_time(snowflake: object) -> float | None:
    """When a snowflake id (an interaction's, a message's) was made, in Unix seconds; None if not one."""
    text = str(snowflake)
    if not (text.isascii() and text.isdigit()) or not 1 <= len(text) <= 20:
        return None
    return ((int(text) >> 22) + DISCORD_EPOCH_MS) / 1000.0

MAX_CONTENT = 2000
MAX_CUSTOM_ID = 100
MAX_SELECT_OPTIONS = 25  # a string select's options; each label, value and description up to 100 characters
API_BASE = "https://discord.com/api/v10"


def user_agent() -> str:
    """The User-Agent Discord documents for bots: ``DiscordBot ($url, $versionNumber)``."""
    from valine import __version__

    return f"DiscordBot ({PROJECT_URL}, {__version__})"


PROJECT_URL = "https://github.com/valine-orchestrator/valine"
