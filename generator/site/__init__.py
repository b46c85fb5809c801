"""Site stage: stage the rendered pages (staging.py), then build them with a site engine
(engines.py, the only code that knows MkDocs or Zensical); index.py writes the page listing every
program in the output folder."""

from generator.project import THEME_DIR
from generator.site.engines import DEFAULT_ENGINE, SITE_ENGINES, LatePages, build_site, configured_engine, site_config
from generator.site.index import write_programs_index
from generator.site.staging import Download, SitePage, pdf_pages, stage_docs

__all__ = ["DEFAULT_ENGINE", "SITE_ENGINES", "THEME_DIR", "Download", "LatePages", "SitePage", "build_site",
           "configured_engine", "pdf_pages", "site_config", "stage_docs", "write_programs_index"]
