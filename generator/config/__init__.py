"""Program configuration: schema, loading with locations, errors."""

from generator.config.errors import BuildError, ConfigError, ContentError, HandbookError, Location, Problem
from generator.config.loader import load_program, load_programs, program_files
from generator.config.schema import Program
from generator.config.types import BLANK, Blank, Duration

__all__ = [
    "BLANK", "Blank", "BuildError", "ConfigError", "ContentError", "Duration", "HandbookError", "Location", "Problem", "Program",
    "load_program", "load_programs", "program_files",
]
