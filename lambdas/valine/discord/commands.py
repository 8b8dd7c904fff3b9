"""The slash commands, in the shape of Discord's bulk-overwrite endpoint (one schema)."""

from __future__ import annotations

from typing import Any

from valine.ux.catalog import default_catalog

STRING, BOOLEAN = 3, 5


def command_schema() -> list[dict[str, Any]]:
    catalog = default_catalog()
    sections = [{"name": s, "value": s} for s in catalog.section_names()]
    properties = [{"name": p, "value": p} for p in catalog.property_names()]
    return [
        {"name": "ux-update", "type": 1, "dm_permission": False,
         "description": "Ask the UX agent for a change to the web site; you confirm a diff before any PR",
         "options": [
             {"name": "request", "type": STRING, "required": False, "max_length": 1000,
              "description": 'e.g. make the navbar blue, or section:header text:"Welcome"'},
             {"name": "section", "type": STRING, "required": False, "choices": sections,
              "description": "Section to change (instead of writing it in the request)"},
             {"name": "property", "type": STRING, "required": False, "choices": properties,
              "description": "Property of the section"},
             {"name": "value", "type": STRING, "required": False, "max_length": 300,
              "description": "New value"},
             {"name": "use_llm", "type": BOOLEAN, "required": False,
              "description": "Let the LLM parser read the request (when enabled in this phase)"},
         ]},
        {"name": "agents", "type": 1, "dm_permission": False, "description": "The bot's agents and what you may ask"},
        {"name": "status", "type": 1, "dm_permission": False,
         "description": "Rollout phase, flags and what your roles allow"},
        {"name": "tasks", "type": 1, "dm_permission": False, "description": "Recent tasks and their pull requests"},
    ]
