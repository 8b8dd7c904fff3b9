"""GIVEN a request WHEN it is parsed THEN the intent, question or error is the one a person expects."""

from __future__ import annotations

import pytest

from valine.agents.ux.intent import Clarify, Intent, ParseError
from valine.agents.ux.parser import parse_request
from valine_local.example_site import example_catalog

CATALOG = example_catalog()

NATURAL = [
    ("make the navbar blue", "navbar", {"color": "#0000ff"}),
    ("make the header dark blue", "header", {"color": "#00008b"}),
    ("change the footer color to #112233", "footer", {"color": "#112233"}),
    ("paint the footer red", "footer", {"color": "#ff0000"}),
    ("turn the navigation bar green", "navbar", {"color": "#008000"}),
    ("set the header background to navy", "header", {"color": "#000080"}),
    ("the navbar should be crimson", "navbar", {"color": "#dc143c"}),
    ("change the header colour to teal", "header", {"color": "#008080"}),
    ("set the navbar color to #1E90FF", "navbar", {"color": "#1e90ff"}),
    ("make the footer light gray", "footer", {"color": "#d3d3d3"}),
    ("change the nav background to rebecca purple", "navbar", {"color": "#663399"}),
    ("please make the navbar black", "navbar", {"color": "#000000"}),
    ("make the footer background white", "footer", {"color": "#ffffff"}),
    ("change the footer text to © Valine 2026", "footer", {"text": "© Valine 2026"}),
    ("set the header text to Welcome to Project Valine!", "header", {"text": "Welcome to Project Valine!"}),
    ("make the header say Hello team", "header", {"text": "Hello team"}),
    ("update the footer to read All rights reserved", "footer", {"text": "All rights reserved"}),
    ("change the header title to Welcome aboard", "header", {"text": "Welcome aboard"}),
    ("footer text should say Thanks for visiting", "footer", {"text": "Thanks for visiting"}),
    ('make the footer say "Built with love"', "footer", {"text": "Built with love"}),
    ("header text: Welcome home", "header", {"text": "Welcome home"}),
    ("Change the HEADER text to Hi", "header", {"text": "Hi"}),
    ("change the footer text to Red Hat", "footer", {"text": "Red Hat"}),
    ("change the navbar text to Explore", "navbar", {"text": "Explore"}),
    ("set the home page headline to Your Creative Hub", "home", {"hero-text": "Your Creative Hub"}),
    ("change the hero text to Build faster", "home", {"hero-text": "Build faster"}),
    ("can you set the homepage headline to Create together?", "home", {"hero-text": "Create together"}),
    ("set the hero title to Hello", "home", {"hero-text": "Hello"}),
    ("set the home description to A place for creators", "home", {"description": "A place for creators"}),
    ("change the tagline to Made for teams", "home", {"description": "Made for teams"}),
    ("set the landing page description to Everything in one place", "home",
     {"description": "Everything in one place"}),
    ("make the call to action say Get Started", "home", {"cta-text": "Get Started"}),
    ("change the CTA text to Join now", "home", {"cta-text": "Join now"}),
    ("set the button text on the home page to Sign up", "home", {"cta-text": "Sign up"}),
    ("update the call-to-action to Start free trial", "home", {"cta-text": "Start free trial"}),
    ("rename the brand to Joint", "navbar", {"brand": "Joint"}),
    ("change the navbar brand to Valine", "navbar", {"brand": "Valine"}),
    ("set the site name to Joint", "navbar", {"brand": "Joint"}),
    ("rename the navbar brand to Valine Studio", "navbar", {"brand": "Valine Studio"}),
    ("add an About link pointing to /about in the header", "header", {"links": "About:/about"}),
    ("add a Blog link to /blog in the navbar", "navbar", {"links": "Blog:/blog"}),
    ("add a link to /contact called Contact in the navbar", "navbar", {"links": "Contact:/contact"}),
    ("add link Docs -> https://docs.example.com to the header", "header", {"links": "Docs:https://docs.example.com"}),
    ('add a "Pricing" link to /pricing in the nav', "navbar", {"links": "Pricing:/pricing"}),
]


@pytest.mark.parametrize(("text", "section", "changes"), NATURAL, ids=[t for t, _, _ in NATURAL])
def test_plain_english(text, section, changes):
    result = parse_request(text, CATALOG)
    assert isinstance(result, Intent), result
    assert (result.section, result.changes) == (section, changes)


def test_at_least_forty_distinct_phrasings_cover_every_section_and_property():
    assert len({t for t, _, _ in NATURAL}) >= 40
    covered = {(s, p) for _, s, ch in NATURAL for p in ch}
    every = {(s.name, p) for s in CATALOG.sections.values() for p in s.properties}
    assert every <= covered, every - covered


AMBIGUOUS = [
    ("make it blue", "Which section should be blue"),
    ("change the text", "What should the text say"),
    ("update the home page", "What should change in the home"),
    ("make the header nicer", "What should change in the header: text, color, links"),
    ("change the footer text", "What should the footer text say"),
    ("add a link", "Which link should I add, and where"),
    ("add a Blog link to /blog", "Where should the Blog link go: header, navbar"),
    ("set the home text to X", "Which text on the home page"),
    ("header and footer red", "I change one section per request"),
    ("do something cool", "Which section (header, footer, navbar, home) should change"),
    ("", "What should I change"),
]


@pytest.mark.parametrize(("text", "question"), AMBIGUOUS)
def test_ambiguous_requests_ask_one_precise_question(text, question):
    result = parse_request(text, CATALOG)
    assert isinstance(result, Clarify), result
    assert question in result.question and result.question.count("?") == 1


STRUCTURED = [
    ('section:header text:"Welcome to Project Valine!"', "header", {"text": "Welcome to Project Valine!"}),
    ("section:header text:Welcome to Valine color:navy", "header", {"text": "Welcome to Valine", "color": "#000080"}),
    ('section:navbar links:"Docs:https://docs.example.com/a?b=1"', "navbar",
     {"links": "Docs:https://docs.example.com/a?b=1"}),
    ("section:header links:About:/about", "header", {"links": "About:/about"}),
    ('section:header text:"Say \\"hi\\" \\\\ bye"', "header", {"text": 'Say "hi" \\ bye'}),
    ("section:footer color:Dark_Blue", "footer", {"color": "#00008b"}),
    ("SECTION:Navbar brand:Joint", "navbar", {"brand": "Joint"}),
    ('section:home hero-text:"Hi" description:"Note: read this" cta-text:Go', "home",
     {"hero-text": "Hi", "description": "Note: read this", "cta-text": "Go"}),
    ("section:header text:Visit https://valine.example/x now", "header",
     {"text": "Visit https://valine.example/x now"}),
]


@pytest.mark.parametrize(("text", "section", "changes"), STRUCTURED)
def test_structured_grammar(text, section, changes):
    result = parse_request(text, CATALOG)
    assert isinstance(result, Intent), result
    assert (result.section, result.changes) == (section, changes)


ERRORS = [
    ('section:header text:"unterminated', "no closing quote"),
    ("section:foo text:x", "there is no section 'foo'; valid sections: header, footer, navbar, home"),
    ('section:footer links:"A:/a"', "footer has no property 'links'; valid: text, color"),
    ("section:header color:#12345", "'#12345' is not a colour"),
    ("section:header color:bluish", "'bluish' is not a colour"),
    ('section:header links:"X:javascript:alert(1)"', "must be a relative path (/about) or an https:// URL"),
    ('section:header links:"X:http://insecure.example"', "must be a relative path"),
    ('section:header links:"X://evil.example"', "not a plain relative path"),
    ('section:header links:"X://evil.example"'.replace("X:", "X:/"), "not a plain relative path"),
    ("section:header links:/about", "a link is written Label:/path"),
    ('section:header links:"<b>:/x"', "link label"),
    ("section:header text:" + "x" * 201, "the limit here is 200"),
    ('section:header text:"a\tb"', "character 2 is U+0009 TAB, a control character"),
    ('section:header text:"Hello\u200bthere"', "character 6 is U+200B ZERO WIDTH SPACE, an invisible formatting"),
    ('section:header links:"Abo\u202eut:/about"', "U+202E RIGHT-TO-LEFT OVERRIDE, a bidirectional control"),
    ('section:header links:"About:/ab\u2066out"', "U+2066 LEFT-TO-RIGHT ISOLATE, a bidirectional control"),
    ("section:header", "nothing to change in header"),
    ("section:header text:a text:b", "text appears twice"),
    ('section:header text:"a"b', "put a space after the closing quote"),
    ("section:header text:", "text has no value"),
    ("make the home page blue", "home has no property 'color'"),
    ("change the header color to bluish", "'bluish' is not a colour I know"),
]


@pytest.mark.parametrize(("text", "message"), ERRORS)
def test_errors_say_how_to_fix(text, message):
    result = parse_request(text, CATALOG)
    assert isinstance(result, ParseError), result
    assert message in result.message
