"""Program configuration: schema, loading with locations, errors."""

from generator.config.errors import BuildError, ConfigError, ContentError, HandbookError, Location, Problem
from generator.config.loader import load_program, load_programs, program_files
from generator.config.schema import Program
from generator.config.types import BLANK, Blank, Duration, is_blank

__all__ = [
    "BLANK", "Blank", "BuildError", "ConfigError", "ContentError", "Duration", "HandbookError", "Location", "Problem", "Program",
    "is_blank", "load_program", "load_programs", "program_files",
]
