"""handbook: program configuration + shared Markdown content -> handbook site and PDFs."""

__version__ = "0.1.0"
