"""Every Unicode format character (category Cf) and control character is refused by name and
position, in text values, link labels and link URLs."""

from __future__ import annotations

import sys
import unicodedata

from valine.agents.ux.intent import Intent, ParseError
from valine.agents.ux.validate import validate
from valine.site.safety import invisible_character
from valine_local.example_site import example_catalog

FORMAT = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
CATALOG = example_catalog()


def test_every_format_character_is_named_with_its_position():
    assert len(FORMAT) > 150  # bidi controls, isolates, zero-widths, BOM, soft hyphen, tags, ...
    for ch in FORMAT:
        said = invisible_character(f"ab{ch}c")
        assert said is not None and said.startswith(f"character 3 is U+{ord(ch):04X}"), (hex(ord(ch)), said)


def test_bidi_controls_say_what_they_do_and_the_common_ones_are_named():
    for ch, name in (("\u202e", "RIGHT-TO-LEFT OVERRIDE"), ("\u2066", "LEFT-TO-RIGHT ISOLATE"),
                     ("\u200f", "RIGHT-TO-LEFT MARK")):
        said = invisible_character(ch)
        assert said is not None and name in said and "bidirectional control" in said
    for ch, name in (("\u200b", "ZERO WIDTH SPACE"), ("\u200d", "ZERO WIDTH JOINER"),
                     ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"), ("\u00ad", "SOFT HYPHEN")):
        said = invisible_character(ch)
        assert said is not None and name in said and "invisible formatting character" in said


def test_values_labels_and_urls_are_all_checked():
    for changes in ({"text": "Hi\u200bthere"}, {"links": "Ab\u202eout:/about"}, {"links": "About:/ab\u2060out"},
                    {"links": "Docs:https://docs.example.com/\u200d"}):
        result = validate(Intent(section="header", changes=changes), CATALOG)
        assert isinstance(result, ParseError) and "U+" in result.message, (changes, result)
    assert isinstance(validate(Intent(section="header", changes={"text": "Plain words"}), CATALOG), Intent)
