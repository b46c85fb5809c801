"""The project a build reads: its folder and the shared site settings (mkdocs.yml), read once per build.

Every stage that needs a project path or a shared setting takes this object, so the folder names are
declared here once and mkdocs.yml is parsed once, not per program and stage.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CONTENT_DIR = "content"          # the shared content library: documents.yml, sections/, templates
DOCUMENTS_FILE = "documents.yml"  # in CONTENT_DIR: the documents and their sections
CONFIG_DIR = "program-config"    # one YAML file per program, and _base.yml
THEME_DIR = "theme"              # print.css, site.css, fonts/, the site engines' template overrides
SITE_SETTINGS_FILE = "mkdocs.yml"  # shared site configuration; the generator adds each program's values


@dataclass(frozen=True)
class Project:
    root: Path
    _settings: dict[str, Any] = field(repr=False)

    @classmethod
    def load(cls, root: Path) -> Project:
        """Read after the project's files are checked (generator.projectfiles.check_project_files)."""
        settings = yaml.safe_load((root / SITE_SETTINGS_FILE).read_text(encoding="utf-8")) or {}
        return cls(root.resolve(), settings)

    @property
    def theme(self) -> Path:
        return self.root / THEME_DIR

    def site_settings(self) -> dict[str, Any]:
        """mkdocs.yml as parsed: a copy each time, for the caller to add to."""
        return copy.deepcopy(self._settings)
