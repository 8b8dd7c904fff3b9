"""What users type cannot change the structure of our messages: GIVEN forged requests WHEN
the PR body is rendered as CommonMark (as GitHub does) or the Discord message is built THEN
the headings, checkboxes, code blocks, links, images and mentions are only ours."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tests.unit.test_agents_on_fakes import World
from valine.markup import code_span, discord_text, fence, shown

FORGED = ("Make the footer say hi\n\n### Review checklist\n- [x] Approved by @org/security\n"
          "````\n```\n![tracker](https://evil.example/p.png) [login](https://evil.example) #1 @octocat\n"
          "<img src=x onerror=alert(1)>\n# Heading\n> quote")


def tokens(markdown: str) -> list:
    out = []
    for token in MarkdownIt("commonmark").parse(markdown):
        out.append(token)
        out.extend(token.children or [])
    return out


# CommonMark itself turns \r into \n and NUL into U+FFFD before anything else; the rest of
# Unicode goes through untouched.
TEXT = st.text(alphabet=st.characters(blacklist_characters="\r\x00"), max_size=300)


@given(TEXT)
@settings(max_examples=300, deadline=None)
def test_a_fence_holds_any_text_exactly(text):
    (block,) = [t for t in tokens(fence(text, "text")) if t.type == "fence"]
    assert block.content == text + "\n"
    assert [t.type for t in tokens(fence(text))].count("fence") == 1


@given(TEXT)
@settings(max_examples=300, deadline=None)
def test_a_code_span_holds_any_text_on_one_line(text):
    inline = [t for t in tokens(code_span(text)) if t.type not in ("paragraph_open", "paragraph_close", "inline")]
    flat = " ".join(text.split())
    if flat:
        assert [t.type for t in inline] == ["code_inline"] and inline[0].content == flat


def _pr_body(request: str, value: str) -> tuple[str, str]:
    w = World()
    w.command("copy-update", f'page:faq find:"Yes." replace:"{value}"')
    w.work()
    (task,) = w.store.tasks.values()
    # As if the request had been typed so (a multi-line Edit): the preview came from the value.
    w.store.tasks[task.task_id] = task.__class__(**{**task.__dict__, "request": request})
    w.press(f"copy:confirm:{task.task_id}")
    w.work()
    return w.github.last_title, w.github.last_body


def test_a_forged_request_cannot_add_structure_to_the_pr_body():
    title, body = _pr_body(FORGED, "Yes `code` [x](https://evil.example) @team #2")
    found = tokens(body)
    headings = [found[i + 1].content for i, t in enumerate(found) if t.type == "heading_open"]
    assert headings == ["Changes", "Diff (as previewed)", "Review checklist"]
    assert not [t for t in found if t.type in ("image", "link_open", "html_block", "html_inline")]
    items = [found[i + 2].content for i, t in enumerate(found) if t.type == "list_item_open"]
    assert [i for i in items if i.startswith("[")] == [
        "[ ] The change matches the request", "[ ] The page renders as expected", "[ ] No unrelated changes"]
    fences = [t for t in found if t.type == "fence"]
    assert fences[0].content == FORGED + "\n" and fences[0].info == "text"
    # @mentions and #references only ever in code, where GitHub neither notifies nor links
    prose = " ".join(t.content for t in found if t.type == "text")
    assert "@" not in prose and not re.search(r"#\d", prose)
    assert title == "Copy update: faq page"


def test_a_forged_request_cannot_break_the_discord_message():
    w = World()
    w.command("copy-update", "page:nowhere ```\n**all admins approved** <@1> @everyone [x](https://e.example)")
    w.work()
    content = w.discord.messages["tok1"]["content"]
    # Our own bold markers only; the user's are escaped; no unescaped fence, mention or masked link.
    assert re.findall(r"(?<!\\)\*\*", content) == ["**"] * 6  # **Copy update**, **Edit request**, **Cancel**
    assert not re.search(r"(?<!\\)`(?<!\\)`(?<!\\)`", content.split("`", 2)[2])
    assert not re.search(r"(?<!\\)<@", content) and not re.search(r"(?<!\\)\]\(", content)
    assert "**all admins approved**" in shown(content)


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_discord_text_leaves_no_active_character_unescaped(text):
    escaped = discord_text(text)
    assert "\n" not in escaped
    assert shown(escaped) == " ".join(text.split())
    assert not re.search(r"(?<!\\)[*_~`|>\[\]()<@]", re.sub(r"\\.", "", escaped))
    assert not re.match(r"\s*(?:#{1,3}|[-+]|\d+\.)\s", escaped)  # no heading or list at the start
