"""Brand colours: one function writes them for the site (Material's variables) and the PDFs (print.css's)."""

from __future__ import annotations

import re
from pathlib import Path

from generator.branding import PRINT_VARIABLES, SITE_VARIABLES, brand_css
from generator.config.schema import Branding

REPO = Path(__file__).resolve().parent.parent


def test_site_rule_sets_materials_variables_to_the_brand_colours() -> None:
    css = brand_css(Branding(primary_color="#112233", accent_color="#AA5500"), ":root, [data-md-color-scheme=default]",
                    SITE_VARIABLES)
    assert css == (":root, [data-md-color-scheme=default] {\n"
                   "  --md-primary-fg-color: #112233;\n"
                   "  --md-primary-fg-color--dark: #112233;\n"
                   "  --md-accent-fg-color: #aa5500;\n"
                   "  --md-typeset-a-color: #112233;\n"
                   "}\n")


def test_print_rule_sets_every_variable_print_css_uses() -> None:
    used = set(re.findall(r"var\((--[a-z-]+)\)", (REPO / "theme" / "print.css").read_text(encoding="utf-8")))
    assert used <= set(PRINT_VARIABLES), f"print.css uses variables no brand rule sets: {used - set(PRINT_VARIABLES)}"
    css = brand_css(Branding(primary_color="#112233", accent_color="#aa5500"), ":root", PRINT_VARIABLES)
    assert "--primary: #112233;" in css and "--accent: #aa5500;" in css
