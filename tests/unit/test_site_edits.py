"""Requests against small sites written the ways real React sites are: data modules spread into
cards, headings broken with <br/>, a Tailwind v3 config palette, barrel files. Each test states the
request a person types and the exact change (or question) that must come back."""

from __future__ import annotations

import textwrap

from valine.agents.ux.understand import Proposal, understand
from valine.site.model import build
from valine.site.writing import apply, problems, tidy_imports


def site(files: dict[str, str]) -> dict[str, str]:
    return {path: textwrap.dedent(text).lstrip() for path, text in files.items()}


BANK = site({
    "src/main.jsx": """
        import ReactDOM from "react-dom/client";
        import App from "./App";
        ReactDOM.createRoot(document.getElementById("root")).render(<App />);
    """,
    "src/App.jsx": """
        import { Features, Footer, Reviews } from "./components";
        const App = () => (
          <div className="bg-primary">
            <Features />
            <Reviews />
            <Footer />
          </div>
        );
        export default App;
    """,
    "src/components/index.js": """
        import Features from "./Features";
        import Footer from "./Footer";
        import Reviews from "./Reviews";
        export { Features, Footer, Reviews };
    """,
    "src/constants/index.js": """
        import { star, shield, send } from "../assets";
        export const navLinks = [
          { id: "home", title: "Home" },
          { id: "features", title: "Features" },
        ];
        export const features = [
          { id: "feature-1", icon: star, title: "Rewards", content: "Prizes and promotions." },
          { id: "feature-2", icon: shield, title: "Secure", content: "We keep your data safe." },
          { id: "feature-3", icon: send, title: "Transfers", content: "Move money for less." },
        ];
        export const reviews = [
          { id: "r-1", content: "Great bank.", name: "Ada Lovelace", title: "Founder" },
          { id: "r-2", content: "Works well.", name: "Alan Turing", title: "Founder" },
        ];
    """,
    "src/assets/index.js": """
        import star from "./star.svg";
        import shield from "./shield.svg";
        import send from "./send.svg";
        import logo from "./logo.svg";
        export { star, shield, send, logo };
    """,
    "src/components/Features.jsx": """
        import { features, navLinks } from "../constants";
        import { logo } from "../assets";
        const Card = ({ icon, title, content }) => (
          <div className="card">
            <img src={icon} alt="icon" />
            <h4>{title}</h4>
            <p>{content}</p>
          </div>
        );
        const Features = () => (
          <section id="features">
            <nav>
              <img src={logo} alt="bank" />
              {navLinks.map((nav) => (<a key={nav.id} href={`#${nav.id}`}>{nav.title}</a>))}
            </nav>
            <h2>
              You do the business, <br className="sm:block hidden" /> we handle the money.
            </h2>
            {features.map((feature) => (<Card key={feature.id} {...feature} />))}
          </section>
        );
        export default Features;
    """,
    "src/components/Reviews.jsx": """
        import { reviews } from "../constants";
        const Review = ({ content, name, title }) => (
          <figure><blockquote>{content}</blockquote><h4>{name}</h4><p>{title}</p></figure>
        );
        const Reviews = () => <section id="reviews">{reviews.map((r) => <Review key={r.id} {...r} />)}</section>;
        export default Reviews;
    """,
    "src/components/Footer.jsx": """
        import { logo } from "../assets";
        const Footer = () => (
          <footer>
            <img src={logo} alt="bank" />
            <p>Payments made simple.</p>
            <p>Copyright © 2024 Bank. All Rights Reserved.</p>
          </footer>
        );
        export default Footer;
    """,
    "tailwind.config.cjs": """
        module.exports = {
          theme: { extend: { colors: { primary: "#00040f", secondary: "#00f6ff" } } },
        };
    """,
})


def edit(request: str, files: dict[str, str] = BANK) -> dict[str, str]:
    result = understand(request, build(files))
    assert isinstance(result, Proposal), getattr(result, "text", result)
    new = apply(files, result.splices)
    tidied = {path: tidy_imports(path, files[path], text)[0] for path, text in new.items()}
    for path, text in tidied.items():
        assert problems(path, files[path], text) == [], path
    return {path: text for path, text in tidied.items() if text != files[path]}


def test_fields_of_an_entry_spread_into_a_card_are_the_data_literals():
    m = build(BANK)
    rewards = [i for i in m.items if i.text == "Rewards" and i.attr is None]
    assert [i.source.file for i in rewards] == ["src/constants/index.js"]
    assert rewards[0].element.tag == "h4"


def test_renaming_a_spread_entry_edits_the_data_not_the_card():
    changed = edit('rename the "Rewards" feature to "Cashback"')
    assert list(changed) == ["src/constants/index.js"]
    assert 'title: "Cashback"' in changed["src/constants/index.js"]


def test_a_field_named_in_the_request_is_the_one_that_changes():
    changed = edit('change the second feature\'s description to "Bank-grade encryption."')["src/constants/index.js"]
    assert 'content: "Bank-grade encryption."' in changed and 'title: "Secure"' in changed
    changed = edit('change Alan Turing\'s title to "CEO"')["src/constants/index.js"]
    assert 'name: "Alan Turing", title: "CEO"' in changed and 'name: "Ada Lovelace", title: "Founder"' in changed


def test_removing_an_entry_removes_the_import_only_it_used():
    changed = edit("remove the Transfers feature")["src/constants/index.js"]
    assert "Transfers" not in changed and "send" not in changed
    assert 'import { star, shield } from "../assets";' in changed


def test_a_heading_broken_with_br_is_one_text():
    m = build(BANK)
    (heading,) = [i for i in m.items if i.element.tag == "h2"]
    assert heading.text == "You do the business, we handle the money."
    changed = edit('change "You do the business, we handle the money." to "Banking, handled."')
    body = changed["src/components/Features.jsx"]
    assert "Banking, handled." in body and "<br" not in body and "we handle the money" not in body


def test_a_phrase_inside_a_quoted_broken_heading():
    changed = edit('in "You do the business, we handle the money." replace "the money" with "your money"')
    body = changed["src/components/Features.jsx"]
    assert "we handle your money." in body and '<br className="sm:block hidden" />' in body


def test_a_new_menu_entry_gets_an_id_from_its_anchor():
    changed = edit('add a navbar link "Pricing" that goes to #pricing')["src/constants/index.js"]
    entry = changed.index('id: "pricing"')
    assert changed.index('title: "Features"') < entry < changed.index('title: "Pricing"') < changed.index("];")


def test_a_tailwind_config_palette_colour_is_the_theme():
    changed = edit("change the secondary colour to #ff6b00")
    assert list(changed) == ["tailwind.config.cjs"]
    assert 'secondary: "#ff6b00"' in changed["tailwind.config.cjs"]
    assert 'primary: "#00040f"' in changed["tailwind.config.cjs"]


def test_an_image_is_found_by_what_its_source_is():
    changed = edit('change the navbar logo alt text to "Bank home"')
    assert list(changed) == ["src/components/Features.jsx"]
    assert 'src={logo} alt="Bank home"' in changed["src/components/Features.jsx"]


def test_the_copyright_line_is_not_the_tagline():
    footer = edit('update the copyright line to "Copyright © 2025 Bank."')["src/components/Footer.jsx"]
    assert "Copyright © 2025 Bank." in footer and "Payments made simple." in footer
    footer = edit('change the footer tagline to "Pay anyone."')["src/components/Footer.jsx"]
    assert "Pay anyone." in footer and "Copyright © 2024 Bank." in footer


def test_unquoted_old_and_new_after_a_quoted_label():
    files = dict(BANK)
    files["src/constants/index.js"] += 'export const stats = [{ id: "s-1", title: "Users", value: "3800+" }];\n'
    files["src/components/Reviews.jsx"] = files["src/components/Reviews.jsx"].replace(
        'import { reviews } from "../constants";', 'import { reviews, stats } from "../constants";').replace(
        '<section id="reviews">', '<section id="reviews">{stats.map((s) => <div key={s.id}><h4>{s.value}</h4>'
                                  '<p>{s.title}</p></div>)}')
    changed = edit('change the "Users" stat value from 3800+ to 5000+', files)["src/constants/index.js"]
    assert 'value: "5000+"' in changed and 'title: "Users"' in changed


def test_tidy_imports_keeps_what_is_still_used():
    old = 'import D, { a, b } from "./x";\nexport const z = [a, b, <D />];\n'
    assert tidy_imports("f.jsx", old, 'import D, { a, b } from "./x";\nexport const z = [a];\n') == (
        'import { a } from "./x";\nexport const z = [a];\n', ["D", "b"])
    assert tidy_imports("f.jsx", old, old) == (old, [])
