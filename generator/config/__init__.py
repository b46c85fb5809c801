"""Program configuration: schema and loading with locations (errors: generator/errors.py)."""

from generator.config.loader import load_program, load_programs, program_files
from generator.config.schema import Program
from generator.config.types import BLANK, Blank, Duration
from generator.errors import BuildError, ConfigError, ContentError, HandbookError, Location, Problem

__all__ = [
    "BLANK", "Blank", "BuildError", "ConfigError", "ContentError", "Duration", "HandbookError", "Location", "Problem",
    "Program",
    "load_program", "load_programs", "program_files",
]
