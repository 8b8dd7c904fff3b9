"""`valine catalog check` and `valine catalog init` against a repository, and a catalog's names
reaching the agent: each mistake a hand-written catalog made on a real site is named before any
request meets it."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from valine.agents.ux.understand import Proposal, understand
from valine.site.model import build
from valine_cli.main import main
from valine_cli.site_commands import check_catalog, proposed_catalog

FILES = {path: textwrap.dedent(text).lstrip() for path, text in {
    "src/main.jsx": """
        import ReactDOM from "react-dom/client";
        import App from "./App";
        ReactDOM.createRoot(document.getElementById("root")).render(<App />);
    """,
    "src/App.jsx": """
        import Faq from "./Faq";
        export default function App() {
          return (
            <main>
              <h1 data-ux="headline">Hello <span>there</span></h1>
              <p>One</p>
              <p>Two</p>
              <Faq />
            </main>
          );
        }
    """,
    "src/Faq.jsx": """
        const faqs = [{ q: "Why?", a: "Because." }, { q: "How?", a: "Like so." }];
        export default function Faq() {
          return <section id="faq">{faqs.map((f) => <div key={f.q}><h3>{f.q}</h3><p>{f.a}</p></div>)}</section>;
        }
    """,
    "src/Old.jsx": "export default function Old() { return <p>Legacy</p>; }\n",
}.items()}


def catalog(sections: dict) -> dict:
    return {"sections": sections}


def test_each_mistake_is_named() -> None:
    model = build(FILES)
    errors, warnings = check_catalog(FILES, model, catalog({
        "gone": {"file": "src/Missing.jsx", "aliases": ["gone"]},
        "old": {"file": "src/Old.jsx", "aliases": ["legacy"]},
        "faq": {"file": "src/Faq.jsx", "properties": {"text": {"kind": "text", "element": "p"}}},
        "home": {"file": "src/App.jsx", "properties": {"text": {"kind": "text", "element": "p"},
                                                       "title": {"kind": "text", "element": "[data-ux=headline]"},
                                                       "cta": {"kind": "text", "element": "button"}}},
    }))
    text = "\n".join(errors)
    assert "src/Missing.jsx does not exist" in text
    assert "nothing the site's entry points render imports src/Old.jsx" in text
    assert "section faq, property text (p): is inside a .map() template" in text
    assert "section home, property text (p): matches 2 elements" in text
    assert "section home, property cta (button): no element matches it" in text
    assert any("property title" in w and "holds elements as well as text" in w for w in warnings)


def test_a_proposed_catalog_checks_clean_and_its_names_reach_the_agent() -> None:
    model = build(FILES)
    proposal = proposed_catalog(model)
    assert check_catalog(FILES, model, proposal) == ([], [])
    import jsonschema

    jsonschema.validate(proposal, SCHEMA)
    # A team's own name for a part of the site is understood.
    named = {"src/Faq.jsx": ("questions", "help desk")}
    result = understand('in the help desk change "Because." to "It saves time."', model, named=named)
    assert isinstance(result, Proposal) and result.part == "questions"


def test_the_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for path, text in FILES.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    assert main(["catalog", "check", "--site", str(tmp_path)]) == 2  # no catalog yet: says how to get one
    assert "valine catalog init" in capsys.readouterr().err
    assert main(["catalog", "init", "--site", str(tmp_path), "--write"]) == 0
    assert main(["catalog", "check", "--site", str(tmp_path)]) == 0
    assert ": OK (" in capsys.readouterr().out
    (tmp_path / ".valine" / "catalog.json").write_text(json.dumps(catalog({"x": {"file": "src/Nope.jsx",
                                                                                "aliases": ["x"]}})))
    assert main(["catalog", "check", "--site", str(tmp_path)]) == 1
    assert "src/Nope.jsx does not exist" in capsys.readouterr().out
    assert main(["site", "scan", "--site", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Entry points: src/main.jsx (/)" in out and "“Like so.”" in out and "Legacy" not in out
    assert main(["parse", "--site", str(tmp_path), 'change "Why?" to "Why us?"']) == 0
    diff = capsys.readouterr().out
    assert '+const faqs = [{ q: "Why us?", a: "Because." }' in diff and "--- a/src/Faq.jsx" in diff


SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "catalog.schema.json").read_text())


@pytest.mark.parametrize("data, ok", [
    (json.loads((Path(__file__).resolve().parents[2] / "example-site" / ".valine" / "catalog.json").read_text()), True),
    ({"sections": {"faq": {"file": "components/faq.tsx", "aliases": ["questions"]}}, "deny": [".github/**"]}, True),
    ({"sections": {"site": {"file": "config/site.ts", "aliases": ["brand"]}}}, True),
    ({"sections": {}}, False),
    ({"sections": {"Hero": {"aliases": ["x"]}}}, False),
    ({"sections": {"hero": {"file": "../x.jsx", "aliases": ["x"]}}}, False),
    ({"sections": {"hero": {"file": "a.jsx", "properties": {"c": {"kind": "color", "element": "h1"}}}}}, False),
    ({"sections": {"hero": {"file": "a.jsx", "properties": {"t": {"kind": "text", "element": "h1 > p"}}}}}, False),
    ({"sections": {"hero": {"file": "a.jsx"}}}, False),
    ({"sections": {"hero": {"aliases": ["x"]}}, "allow": "src/**"}, False),
])
def test_the_published_schema_agrees_with_the_loader(data: dict, ok: bool) -> None:
    import jsonschema

    from valine.agents.ux.catalog import Catalog, CatalogError

    schema_ok = jsonschema.Draft202012Validator(SCHEMA).is_valid(data)
    try:
        Catalog.from_json(data)
        loader_ok = True
    except CatalogError:
        loader_ok = False
    assert schema_ok == loader_ok == ok
