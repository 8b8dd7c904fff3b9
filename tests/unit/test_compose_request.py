"""The typed /ux-update options become a request, and nothing typed is silently dropped."""

from __future__ import annotations

import pytest

from valine.agents.ux import compose_request
from valine.agents.ux.intent import Intent
from valine.agents.ux.parser import parse_request
from valine_local.example_site import example_catalog


def test_typed_options_become_a_structured_request_that_round_trips():
    text, problem = compose_request({"section": "header", "property": "text", "value": 'Say "hi" \\ bye'})
    assert problem is None
    result = parse_request(text, example_catalog())
    assert isinstance(result, Intent) and result.changes == {"text": 'Say "hi" \\ bye'}


def test_a_section_hint_joins_a_plain_english_request():
    assert compose_request({"request": "make it blue", "section": "navbar"}) == ("make it blue (section navbar)", None)
    assert compose_request({"request": "make the footer red"}) == ("make the footer red", None)


@pytest.mark.parametrize(("options", "problem"), [
    ({"request": "make the navbar blue", "section": "header", "property": "text", "value": "Hi"}, "not both"),
    ({"section": "header", "property": "text"}, "need value as well"),
    ({"property": "text", "value": "Hi"}, "need section as well"),
    ({"section": "header"}, "fill property and value too"),
])
def test_incomplete_or_doubled_input_is_refused_not_dropped(options, problem):
    text, found = compose_request(options)
    assert text == "" and found is not None and problem in found
