"""The UX agent: the words, links, lists and colours of the team's site, read from its code (valine/site)."""

from __future__ import annotations

from valine.core.agent import AgentSpec, Options

STRING, BOOLEAN = 3, 5


def compose_request(options: Options) -> tuple[str, str | None]:
    """(request text, problem) from ``request`` or the typed section/property/value options.

    Nothing the user typed is dropped: a request given both ways, or typed options missing a
    part, is refused with what to do instead.
    """
    text = options.get("request", "").strip()
    section, prop, value = (options.get(k, "").strip() for k in ("section", "property", "value"))
    typed = {"section": section, "property": prop, "value": value}
    if not any(typed.values()):
        return text, None
    if section and not prop and not value:
        if not text:
            return "", "say what to change in the request option, or fill property and value too"
        if "section:" in text:
            return text, None
        return f"{text} (section {section})", None  # a hint for the plain-English parser
    missing = [k for k, v in typed.items() if not v]
    if missing:
        return "", f"the typed options need {', '.join(missing)} as well (or write it all in request)"
    if text:
        return "", "use either request or section/property/value, not both"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'section:{section} {prop}:"{escaped}"', None


PROPERTIES = ("title", "description", "text", "button", "link", "color", "alt")


def _options() -> tuple[dict[str, object], ...]:
    properties = [{"name": p, "value": p} for p in PROPERTIES]
    return (
        {"name": "request", "type": STRING, "required": False, "max_length": 1000,
         "description": 'e.g. change "Get started" to "Start free", or make the footer #0f172a'},
        # The site's own sections, suggested as the person types (autocomplete, from the cached site model).
        {"name": "section", "type": STRING, "required": False, "autocomplete": True, "max_length": 100,
         "description": "Section to change (instead of writing it in the request)"},
        {"name": "property", "type": STRING, "required": False, "choices": properties,
         "description": "What to change in it"},
        {"name": "value", "type": STRING, "required": False, "max_length": 300, "description": "New value"},
        {"name": "use_llm", "type": BOOLEAN, "required": False,
         "description": "Let the LLM parser read the request (when enabled in this phase)"},
    )


SPEC = AgentSpec(
    name="ux", employee="UX agent", title="UX update", plural="UX updates", command="ux-update", prefix="ux",
    kill_switch="DISABLE_UX_UPDATES",
    description="Ask the UX agent for a change to the web site; you confirm a diff before any PR",
    options=_options,
    does="changes the words, links, lists, images' alt text and colours of the team's site, as its code writes them",
    ask='`/ux-update request: change "Get started" to "Start free"`, `section:hero title:"Ship faster"` or '
        "`make the footer background #0f172a`.",
    branch_prefix="ux-update", compose=compose_request, work="valine.agents.ux.work",
)
