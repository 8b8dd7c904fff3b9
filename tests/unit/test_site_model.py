"""The site model on three real open-source sites (tests/sites): every text a visitor reads leads
back to the literal it is written as, wherever that is (the component, a prop at the call site,
a JSON data file, a config array), and only what the entry points reach is in it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from valine.site.model import SiteModel, build
from valine.site.source import from_folder

SITES = Path(__file__).resolve().parents[1] / "sites"


@cache
def model(site: str) -> SiteModel:
    return build(from_folder(str(SITES / site)))


def texts(m: SiteModel, text: str) -> list:
    return [i for i in m.items if i.text == text and i.attr is None]


def test_a_headline_rendered_from_json_props_leads_to_the_json_file():
    # GIVEN App sets state from data.json and passes landingPageData.Header to <Header data=...>
    m = model("react-landing-page-template")
    (title,) = texts(m, "We are a Landing Page")
    # THEN the h1 text is the "title" string in data.json, shown inside <header id="header">
    assert title.source.file == "src/data/data.json" and title.element.tag == "h1"
    assert any(f.name == "header" and f.id == "header" for f in title.path)


def test_a_prop_of_a_shared_component_is_the_call_sites_literal():
    m = model("startup-nextjs")
    (title,) = texts(m, "Main Features")
    assert title.source.file == "src/components/Features/index.tsx"  # not Common/SectionTitle.tsx
    assert title.element.tag == "h2" and any(f.name == "SectionTitle" for f in title.path)


def test_an_array_mapped_into_a_component_gives_one_item_per_entry():
    m = model("startup-nextjs")
    features = [i for i in m.items if i.source.file.endswith("featuresData.tsx") and i.element.tag == "h3"]
    assert [i.text for i in features][:3] == ["Crafted for Startups", "High-quality Design", "Next.js 16 (Latest)"]
    assert all(i.instance for i in features)


def test_config_arrays_feed_the_navbar():
    m = model("next-saas-stripe-starter")
    docs = [i for i in m.items if i.text == "Documentation" and i.source.file == "config/marketing.ts"]
    assert docs, "the marketing nav's entries come from config/marketing.ts"


@pytest.mark.parametrize("site", ["react-landing-page-template", "startup-nextjs", "next-saas-stripe-starter"])
def test_every_site_has_entry_points_and_no_problems(site):
    m = model(site)
    assert m.entries and not m.problems
    assert len(m.items) > 50


def test_a_component_nothing_renders_is_not_part_of_the_site():
    files = {"src/App.jsx": "import A from './A';\nexport default function App() { return <A/>; }\n",
             "src/A.jsx": "export default function A() { return <h1>Used</h1>; }\n",
             "src/Legacy.jsx": "export default function Legacy() { return <h1>Old</h1>; }\n"}
    m = build(files)
    assert [i.text for i in m.items] == ["Used"]
    assert "src/Legacy.jsx" not in m.reached
