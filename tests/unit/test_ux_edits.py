"""Edits touch only what the rule names, and user text never becomes code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from valine.agents.ux import jsx
from valine.agents.ux.catalog import Catalog, CatalogError, Selector
from valine.agents.ux.edits import apply_intent
from valine.agents.ux.intent import Intent, ParseError
from valine.agents.ux.jsx import validate_against
from valine.agents.ux.parser import parse_request
from valine.agents.ux.validate import validate
from valine.discord.messages import preview_message
from valine.site.diff import trim_diff, unified_diff
from valine_local.example_site import example_catalog

ROOT = Path(__file__).resolve().parents[2] / "example-site"
CATALOG = example_catalog()


def site(path: str) -> str:
    return (ROOT / path).read_text()


def changed_lines(old: str, new: str) -> list[tuple[str, str]]:
    a, b = old.splitlines(), new.splitlines()
    assert len(a) <= len(b)
    return [(x, y) for x, y in zip(a, b, strict=False) if x != y]


def test_example_site_satisfies_the_default_catalog():
    validate_against(CATALOG, lambda p: (ROOT / p).read_text() if (ROOT / p).exists() else None)


def test_text_edit_changes_one_line_only():
    old = site("src/components/Header.jsx")
    new = apply_intent(old, Intent("header", {"text": "Hello team"}), CATALOG)
    assert changed_lines(old, new) == [('      <h1 data-ux="header-text">Welcome to Project Valine</h1>',
                                        '      <h1 data-ux="header-text">Hello team</h1>')]


def test_colour_is_applied_for_real_in_the_style():
    old = site("src/components/NavBar.jsx")
    new = apply_intent(old, Intent("navbar", {"color": "#0000ff"}), CATALOG)
    ((before, after),) = changed_lines(old, new)
    assert "backgroundColor: '#0f172a'" in before and "backgroundColor: '#0000ff'" in after


def test_colour_is_added_when_the_element_has_no_style():
    source = 'const A = () => <div data-ux="x" className="a">hi</div>;\n'
    out = jsx.set_style(source, Selector.parse("[data-ux=x]"), "backgroundColor", "#123456")
    assert out == 'const A = () => <div data-ux="x" className="a" style={{ backgroundColor: \'#123456\' }}>hi</div>;\n'
    assert jsx.parses_cleanly(out)


def test_links_are_added_in_the_existing_style_and_relabelled_not_duplicated():
    old = site("src/components/NavBar.jsx")
    new = apply_intent(old, Intent("navbar", {"links": "Blog:/blog"}), CATALOG)
    assert '        <Link to="/blog">Blog</Link>\n      </div>' in new
    again = apply_intent(new, Intent("navbar", {"links": "Blog:/news"}), CATALOG)
    assert again.count(">Blog<") == 1 and '<Link to="/news">Blog</Link>' in again


def test_multi_line_text_keeps_its_indentation():
    old = site("src/pages/Home.jsx")
    new = apply_intent(old, Intent("home", {"description": "New words"}), CATALOG)
    assert "\n          New words\n        </p>" in new


def test_missing_element_is_a_clear_error():
    with pytest.raises(jsx.EditError, match=r"no element \[data-ux=nope\]"):
        jsx.set_text("const a = <p>x</p>;", Selector.parse("[data-ux=nope]"), "y")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=0, max_size=80))
def test_any_text_renders_literally_or_is_refused(value):
    # GIVEN any string WHEN used as header text THEN it is refused, or the file parses and shows it literally
    intent = validate(Intent("header", {"text": value}), CATALOG)
    if isinstance(intent, ParseError):
        assert intent.message
        return
    old = site("src/components/Header.jsx")
    new = apply_intent(old, intent, CATALOG)
    assert jsx.parses_cleanly(new)
    assert jsx.element_text(new, Selector.parse("[data-ux=header-text]")) == intent.changes["text"]
    # Nothing outside the element moved.
    expected = old.replace(">Welcome to Project Valine</h1>", f">{jsx.render_text(intent.changes['text'])}</h1>")
    assert new == expected


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=30), st.text(min_size=1, max_size=60))
def test_any_link_is_refused_or_safe(label, target):
    intent = validate(Intent("header", {"links": f"{label}:{target}"}), CATALOG)
    if isinstance(intent, ParseError):
        return
    new = apply_intent(site("src/components/Header.jsx"), intent, CATALOG)
    assert jsx.parses_cleanly(new)
    _, _, href = intent.changes["links"].partition(":")
    assert href.startswith("/") and not href.startswith("//") or href.startswith("https://")


@pytest.mark.parametrize("value", ["</script><script>alert(1)</script>", "{alert(1)}", "`${x}`", "a\"b'c", "&amp;",
                                   "<img src=x onerror=alert(1)>", "\\u0041", "}{", "<>"])
def test_breakout_attempts_render_literally(value):
    intent = validate(Intent("header", {"text": value}), CATALOG)
    assert isinstance(intent, Intent)
    new = apply_intent(site("src/components/Header.jsx"), intent, CATALOG)
    assert jsx.parses_cleanly(new)
    assert jsx.element_text(new, Selector.parse("[data-ux=header-text]")) == value
    assert f"{{{json.dumps(value, ensure_ascii=False)}}}" in new


@pytest.mark.parametrize("href", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "//evil.example",
                                  "http://x.example", "https://x.example/\"onmouseover=1", "/a b", "vbscript:x"])
def test_unsafe_links_are_refused(href):
    result = parse_request(f'section:header links:"X:{href}"', CATALOG)
    assert isinstance(result, ParseError)


def test_diff_is_unified_and_trimmed_with_a_note():
    old = "\n".join(f"line {i}" for i in range(300))
    new = "\n".join(f"LINE {i}" for i in range(300))
    diff = unified_diff(old, new, "src/x.jsx")
    assert diff.startswith("--- a/src/x.jsx\n+++ b/src/x.jsx\n@@")
    trimmed = trim_diff(diff, 500)
    assert len(trimmed) <= 500 and trimmed.splitlines()[-1].endswith("more lines")
    message = preview_message("header", diff, "footer")
    assert len(message) <= 2000 and "more lines" in message


CATALOG_ERRORS = [
    ({}, "a catalog is"),
    ({"sections": {"Bad Name": {"file": "a.jsx", "properties": {}}}}, "section name 'Bad Name'"),
    ({"sections": {"x": {"file": "../secrets.jsx", "properties": {}}}}, "without '..'"),
    ({"sections": {"x": {"file": "/etc/passwd", "properties": {}}}}, "must be a relative .jsx"),
    ({"sections": {"x": {"file": "a/../../b.jsx", "properties": {}}}}, "without '..'"),
    ({"sections": {"x": {"file": "a.py", "properties": {}}}}, "must be a relative .jsx"),
    ({"sections": {"x": {"file": "a.jsx", "properties": {}}}}, "section x: no properties"),
    ({"sections": {"x": {"file": "a.jsx", "properties": {"t": {"kind": "magic", "element": "p"}}}}},
     "kind must be text, color or links"),
    ({"sections": {"x": {"file": "a.jsx", "properties": {"c": {"kind": "color", "element": "p"}}}}},
     "a color rule needs a style"),
    ({"sections": {"x": {"file": "a.jsx", "properties": {"t": {"kind": "text", "element": "p[x='1']"}}}}},
     "element selector"),
]


@pytest.mark.parametrize(("data", "message"), CATALOG_ERRORS)
def test_catalog_errors_name_the_problem(data, message):
    with pytest.raises(CatalogError, match=message.replace("(", r"\(").replace(".", r"\.")):
        Catalog.from_json(data)


def test_catalog_naming_a_missing_file_or_element_is_rejected():
    cat = Catalog.from_json({"sections": {
        "promo": {"file": "src/Promo.jsx", "properties": {"text": {"kind": "text", "element": "[data-ux=promo]"}}},
    }})
    with pytest.raises(CatalogError, match="section promo: file src/Promo.jsx does not exist"):
        validate_against(cat, lambda p: None)
    with pytest.raises(CatalogError, match=r"section promo, property text: no element \[data-ux=promo\] in src/Promo"):
        validate_against(cat, lambda p: "export default () => <div>no anchor</div>;")
