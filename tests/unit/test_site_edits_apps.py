"""Requests against two more small sites written as real ones are: a Vite app with a router and
data modules (Orbit), and a Create React App site with message files, styled components and CSS
modules (Cafe). Each test states the request a person types and the exact change (or question)
that must come back; ``site`` and ``edit`` are test_site_edits'."""

from __future__ import annotations

from tests.unit.test_site_edits import edit, site
from valine.agents.ux.understand import Proposal, understand
from valine.site.model import build
from valine.site.writing import apply

ORBIT = site({
    "package.json": '{"dependencies": {"react": "^18", "react-router-dom": "^6"}}',
    "src/main.tsx": """
        import ReactDOM from "react-dom/client";
        import { createBrowserRouter, RouterProvider } from "react-router-dom";
        import Layout from "./Layout";
        import Home from "./pages/Home";
        import Pricing from "./pages/Pricing";
        const router = createBrowserRouter([
          { path: "/", element: <Layout />, children: [
            { index: true, element: <Home /> },
            { path: "pricing", element: <Pricing /> },
          ] },
        ]);
        ReactDOM.createRoot(document.getElementById("root")!).render(<RouterProvider router={router} />);
    """,
    "src/Layout.tsx": """
        import { Outlet, NavLink } from "react-router-dom";
        import { navItems } from "./data";
        export default function Layout() {
          return (
            <>
              <header><nav><ul>{navItems.map((n) => <li key={n.to}><NavLink to={n.to}>{n.label}</NavLink></li>)}</ul>
              </nav></header>
              <Outlet />
              <footer><a href="mailto:hello@orbit.dev">hello@orbit.dev</a></footer>
            </>
          );
        }
    """,
    "src/data.ts": """
        export const navItems: { label: string; to: string }[] = [
          { label: "Home", to: "/" },
          { label: "Pricing", to: "/pricing" },
          { label: "About", to: "/about" },
        ];
        export const faqs = [
          { question: "Is there a free trial?", answer: "Yes, for 14 days." },
          { question: "Do non-profits get a discount?", answer: "Yes, 50% off." },
        ] as const;
    """,
    "src/pages/Home.tsx": """
        import type { ReactNode } from "react";
        function Feature({ title, children }: { title: string; children: ReactNode }) {
          return <div><h3>{title}</h3><p>{children}</p></div>;
        }
        export default function Home() {
          return (
            <section id="features">
              <h1>Plan calmly</h1>
              <Feature title="Timelines">See every milestone.</Feature>
              <Feature title="Workload">Spot who is overloaded.</Feature>
            </section>
          );
        }
    """,
    "src/pages/Pricing.tsx": """
        import { faqs } from "../data";
        const plans = [
          { name: "Starter", price: "$0" },
          { name: "Team", price: "$12" },
        ];
        export default function Pricing() {
          return (
            <div>
              <h1>Simple pricing</h1>
              {plans.map((p) => <div key={p.name}><h2>{p.name}</h2><p>{p.price}</p></div>)}
              <dl>{faqs.map((f) => <div key={f.question}><dt>{f.question}</dt><dd>{f.answer}</dd></div>)}</dl>
            </div>
          );
        }
    """,
})


def test_a_vite_apps_pages_folder_is_not_a_next_router_and_the_layout_route_renders():
    m = build(ORBIT)
    assert [e.file for e in m.entries] == ["src/main.tsx"]
    home = [i for i in m.items if i.text == "Home" and i.attr is None]
    assert home and home[0].source.file == "src/data.ts" and any(f.name == "nav" for f in home[0].path)
    (price,) = [i for i in m.items if i.text == "$12"]
    assert price.page == "/pricing"


def test_another_field_of_the_entry_a_quoted_text_names():
    changed = edit('change the answer to "Do non-profits get a discount?" to "Yes, 30% off."', ORBIT)["src/data.ts"]
    assert 'question: "Do non-profits get a discount?", answer: "Yes, 30% off."' in changed
    changed = edit('change the "Workload" feature text to "See who has too much."', ORBIT)["src/pages/Home.tsx"]
    assert '<Feature title="Workload">See who has too much.</Feature>' in changed


def test_an_entry_named_by_what_it_is_about():
    changed = edit("remove the question about non-profits from the FAQ", ORBIT)["src/data.ts"]
    assert "non-profits" not in changed and "Is there a free trial?" in changed


def test_a_plan_with_one_price():
    changed = edit("change the Team plan price to $15", ORBIT)["src/pages/Pricing.tsx"]
    assert 'name: "Team", price: "$15"' in changed and 'price: "$0"' in changed


def test_an_email_address_changes_in_the_link_and_the_text():
    footer = edit("change the contact email in the footer to support@orbit.dev", ORBIT)["src/Layout.tsx"]
    assert '<a href="mailto:support@orbit.dev">support@orbit.dev</a>' in footer


def test_a_menu_entry_moves_and_two_swap():
    changed = edit('move "About" before "Pricing" in the menu', ORBIT)["src/data.ts"]
    assert changed.index('label: "About"') < changed.index('label: "Pricing"') < changed.index("faqs")
    changed = edit('swap "Home" and "About" in the menu', ORBIT)["src/data.ts"]
    assert changed.index('label: "About"') < changed.index('label: "Pricing"') < changed.index('label: "Home"')


def test_shapes_and_sizes_are_refused_with_what_can_be_done():
    result = understand("make the buttons rounder", build(ORBIT))
    assert not isinstance(result, Proposal) and result.outcome == "unsupported"
    assert "words, links, list entries, alt texts and colours" in result.text


CAFE = site({
    "package.json": '{"dependencies": {"react-scripts": "5.0.1", "styled-components": "^6", "react-i18next": "^13"}}',
    "src/index.js": """
        import ReactDOM from "react-dom";
        import App from "./App";
        ReactDOM.render(<App />, document.getElementById("root"));
    """,
    "src/App.js": """
        import styled from "styled-components";
        import { useTranslation } from "react-i18next";
        import styles from "./App.module.css";
        const Button = styled.a`
          background-color: #6f4e37;
          &:hover {
            background-color: #5a3e2b;
          }
        `;
        export default function App() {
          const { t } = useTranslation();
          return (
            <main>
              <section className={styles.hero}>
                <h1>{t("hero.title")}</h1>
                <Button href="/order">{t("hero.cta")}</Button>
                <a href="/menu" className="bg-amber-700 hover:bg-amber-600 text-white">Our menu</a>
              </section>
            </main>
          );
        }
    """,
    "src/App.module.css": """
        .hero {
          background: linear-gradient(180deg, #fdf6ec 0%, #ffffff 100%);
        }
    """,
    "src/locales/en.json": '{"hero": {"title": "Fresh coffee, delivered", "cta": "Order now"}}\n',
    "src/locales/pt.json": '{"hero": {"title": "Café fresco, entregue", "cta": "Encomendar"}}\n',
})


def test_words_from_the_english_message_file_and_the_other_languages_are_named():
    m = build(CAFE)
    (title,) = [i for i in m.items if i.element.tag == "h1"]
    assert title.text == "Fresh coffee, delivered" and title.source.file == "src/locales/en.json"
    result = understand('change the hero headline to "Coffee at your door"', m)
    assert isinstance(result, Proposal) and [s.file for s in result.splices] == ["src/locales/en.json"]
    assert any("src/locales/pt.json keep their words" in n for n in result.notes)


def cafe_app(request: str) -> tuple[str, list[str]]:
    """Cafe's src/App.js as the request changes it, and the notes the preview shows with it."""
    result = understand(request, build(CAFE))
    assert isinstance(result, Proposal), getattr(result, "text", result)
    return apply(CAFE, result.splices)["src/App.js"], result.notes


def test_a_styled_component_is_recoloured_in_its_css_at_rest():
    changed, notes = cafe_app('make the "Order now" button #2f855a')
    assert "background-color: #2f855a;\n  &:hover {\n    background-color: #5a3e2b;" in changed
    assert any("&:hover" in n for n in notes)


def test_a_css_module_class_is_found_and_a_gradient_is_asked_about():
    result = understand("make the hero background #ffffff", build(CAFE))
    assert not isinstance(result, Proposal) and "gradient" in result.text and "solid" in result.text
    changed = edit("make the hero background solid #ffffff", CAFE)
    assert list(changed) == ["src/App.module.css"] and "background: #ffffff;" in changed["src/App.module.css"]


def test_a_hover_shade_of_its_own_is_left_alone_and_said():
    changed, notes = cafe_app('make the "Our menu" button #2f855a')
    assert 'className="bg-[#2f855a] hover:bg-amber-600 text-white"' in changed
    assert any("hover:bg-amber-600 (on hover)" in n for n in notes)
