"""A program's brand colours as CSS custom properties: the one place both outputs get them from.

Each output names its variables its own way (Material's `--md-*` on the site, print.css's
`--primary`/`--accent` in PDFs); the mapping says which brand colour each variable takes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from generator.config.schema import Branding

BrandColor = Literal["primary", "accent"]

SITE_VARIABLES: Mapping[str, BrandColor] = {
    "--md-primary-fg-color": "primary",
    "--md-primary-fg-color--dark": "primary",
    "--md-accent-fg-color": "accent",
    "--md-typeset-a-color": "primary",
}
PRINT_VARIABLES: Mapping[str, BrandColor] = {"--primary": "primary", "--accent": "accent"}


def brand_css(branding: Branding, selector: str, variables: Mapping[str, BrandColor]) -> str:
    """One rule setting each variable to its brand colour (colours are validated hex, safe in CSS)."""
    colors = {"primary": branding.primary_color, "accent": branding.accent_color}
    declarations = "".join(f"  {name}: {colors[color]};\n" for name, color in variables.items())
    return f"{selector} {{\n{declarations}}}\n"
