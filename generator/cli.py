"""Command line: parse arguments, call the pipeline, print errors as lines, set the exit code.

Bare `handbook` prints the help and exits 0 (asking for help is not a mistake); a wrong argument
is a usage error (exit 2, argparse's convention); a mistake in the project's files exits 1.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from pathlib import Path

from generator.errors import HandbookError, Location, Problem, warnings_as_lines

PROGRAM_HELP = "program id: the file name in program-config/ without .yml"
PROJECT_HELP = "handbook folder (the one holding content/ and program-config/; default: the current folder)"
DESCRIPTION = """\
Build mentoring-program handbooks: a website and PDFs per program, from one YAML file per
program (program-config/<id>.yml) and the shared content library (content/)."""
EPILOG = """\
examples:
  handbook build                          build every program into site/
  handbook check charlotte-sll            validate one program, or say what is wrong and where
  handbook serve charlotte-sll            preview one program's site at http://127.0.0.1:8000/
  handbook new talent-council --from san-jose-emp
  handbook COMMAND -h                     the options of one command, with examples"""

# (help in the command list, epilog of examples) per command; the examples run from a handbook folder.
COMMAND_HELP = {
    "build": ("build every program (or the named ones): site, PDFs, manifest", """\
examples:
  handbook build                          every program into site/<id>/
  handbook build charlotte-sll            one program
  handbook build --out /tmp/preview -j 2  elsewhere, with two PDF workers
  handbook build --site-engine zensical --strict
  handbook build -q                       print nothing but errors (for scripts)"""),
    "check": ("validate programs and content without building", """\
examples:
  handbook check                          every program; "ok" or every problem as file:line:col: field: message
  handbook check talent-council           one program"""),
    "explain": ("print, in plain words, what the handbook will say about a program", """\
example:
  handbook explain charlotte-sll          what it states, what it prints as blanks, what it leaves out"""),
    "serve": ("live-reloading preview of one program's site", """\
examples:
  handbook serve charlotte-sll            at http://127.0.0.1:8000/; reloads when content, config or theme change
  handbook serve charlotte-sll --port 8001

The pages are rebuilt at once; changed PDFs render in the background and the page reloads when they are ready."""),
    "schema": ("print the program configuration JSON Schema", """\
example:
  handbook schema > handbook.schema.json  for editor completion in program files"""),
    "new": ("create program-config/<id>.yml with every field, commented", """\
examples:
  handbook new talent-council             a starter with the agency's numbers left blank
  handbook new talent-council --from san-jose-emp"""),
    "reference": ("print the configuration reference (Markdown)", """\
example:
  handbook reference > configuration.md"""),
    "collect": ("read filled form PDFs into a spreadsheet: a table per form, a column per question", """\
examples:
  handbook collect returned/ --out results.xlsx   a sheet per form (agreements, journals...)
  handbook collect returned/ --out results.csv    results-agreement.csv, results-journal.csv... (for Excel)
  handbook collect returned/ --form journal       one form's CSV on standard output
  handbook collect a.pdf b.pdf --headers ids      columns named by field id (agreement.mentee_name)
  handbook collect returned/ --out results.json   every row, field ids as keys, values exactly as read

Columns are headed by the forms' own labels; ticked boxes read Yes, unticked No."""),
    "merge": ("join the outputs of `build --shard K/N` into one site folder", """\
examples:
  handbook build --shard 1/3 --out shard-1     on each of three machines (2/3, 3/3 likewise)
  handbook merge shard-1 shard-2 shard-3 --out site

Refuses shards of different sources or versions, a shard given twice or missing, and overlapping
programs; the merged folder is written whole or not at all. See docs/ci/ for CI workflows."""),
}
NEEDS_PROJECT = {"build", "check", "explain", "serve", "new", "merge"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="handbook", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {package_version()}")
    parser.add_argument("--project", type=Path, default=Path("."), metavar="FOLDER", help=PROJECT_HELP)
    # --project after the command too; SUPPRESS keeps the subcommand from resetting one given before it
    project = argparse.ArgumentParser(add_help=False)
    project.add_argument("--project", type=Path, default=argparse.SUPPRESS, metavar="FOLDER", help=PROJECT_HELP)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    def command(name: str, with_project: bool = True) -> argparse.ArgumentParser:
        summary, examples = COMMAND_HELP[name]
        return commands.add_parser(name, help=summary, description=summary[0].upper() + summary[1:] + ".",
                                   epilog=examples, parents=[project] if with_project else [],
                                   formatter_class=argparse.RawDescriptionHelpFormatter)

    build = command("build")
    build.add_argument("programs", nargs="*", metavar="PROGRAM", help="program ids (default: all)")
    build.add_argument("--out", type=Path, default=None, metavar="DIR", help="output folder (default: site/)")
    build.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    build.add_argument("--site-engine", choices=["mkdocs", "zensical"], default=None,
                       help="site engine (default: site_engine in mkdocs.yml, else mkdocs)")
    build.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                       help="worker processes for PDFs (default: CPU cores)")
    build.add_argument("--no-cache", action="store_true", help="render every PDF again, ignoring the cache")
    build.add_argument("--cache", type=Path, default=None, metavar="DIR",
                       help="cache folder (default: .handbook-cache/)")
    build.add_argument("--strict", action="store_true",
                       help="fail on any warning (a placeholder left in the program; WeasyPrint's, rendering PDFs)")
    build.add_argument("--shard", metavar="K/N", default=None,
                       help="build only part K of N (1 <= K <= N), for one machine of many; join with `merge`")
    build.add_argument("--balance-from", type=Path, metavar="DIR", default=None,
                       help="with --shard: balance on the page counts in DIR's manifests (a previous merged build); "
                            "every shard must get the same DIR")

    check = command("check")
    check.add_argument("programs", nargs="*", metavar="PROGRAM", help="program ids to validate (default: all)")
    check.add_argument("--strict", action="store_true", help="fail on any warning (e.g. a placeholder left in)")

    command("explain").add_argument("program", metavar="PROGRAM", help=PROGRAM_HELP)

    serve = command("serve")
    serve.add_argument("program", metavar="PROGRAM", help=f"the program to preview ({PROGRAM_HELP})")
    serve.add_argument("--port", type=int, default=8000, metavar="N", help="port on 127.0.0.1 (default: 8000)")

    command("schema", with_project=False)

    new = command("new")
    new.add_argument("program", metavar="ID", help="the new program's id: lower-case letters, digits and hyphens, "
                                                   "not starting with a hyphen; it becomes program-config/ID.yml")
    new.add_argument("--from", dest="source", metavar="PROGRAM", help="copy the values of an existing program")

    command("reference", with_project=False)

    collect = command("collect", with_project=False)
    collect.add_argument("files", nargs="+", type=Path, metavar="FILE", help="filled PDFs, or folders of them")
    collect.add_argument("--out", type=Path, default=None, metavar="PATH",
                         help="results.xlsx (a sheet per form), results.csv (one form; several: results-<form>.csv "
                              "each), an existing folder (<form>.csv each) or results.json (field ids, exact "
                              "values). Default: CSV on standard output, for one form")
    collect.add_argument("--form", metavar="ID", default=None, help="only this form (e.g. journal)")
    collect.add_argument("--headers", choices=["labels", "ids"], default="labels",
                         help="name columns by the fields' labels (default) or their ids (agreement.mentee_name)")

    merge = command("merge")
    merge.add_argument("shards", nargs="+", type=Path, metavar="DIR", help="the --out folder of every shard")
    merge.add_argument("--out", type=Path, required=True, metavar="DIR", help="the merged site folder")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # bare `handbook`: the help, not a usage error
        parser.print_help()
        return 0
    try:
        if args.command in NEEDS_PROJECT:
            require_handbook_folder(args.project)
        with warnings_as_lines():
            return COMMANDS[args.command](args)
    except HandbookError as error:
        for problem in error.problems:
            print(f"error: {problem.report()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the previous output is unchanged", file=sys.stderr)
        return 130


def run() -> int:
    """The `handbook` command (and `python -m generator`): main, then an exit that does not walk the heap.
    At exit Python's garbage collector passes over every object a build left (0.05-0.1 s after a build,
    while nothing else is left to do); frozen, they are left to the process's end. Not in main itself,
    which tests call in one long process."""
    try:
        return main()
    finally:
        gc.freeze()


def package_version() -> str:
    """The installed distribution's version; from a checkout that is not installed, the package's own."""
    from importlib import metadata

    try:
        return metadata.version("handbook")
    except metadata.PackageNotFoundError:
        from generator import __version__

        return __version__


def require_handbook_folder(project: Path) -> None:
    """Say so plainly when the folder holds neither a content library nor program files, rather than
    the first file the pipeline misses."""
    from generator.project import CONFIG_DIR, CONTENT_DIR, DOCUMENTS_FILE  # not the loaders: their imports are slow

    if not (project / CONTENT_DIR / DOCUMENTS_FILE).is_file() and not (project / CONFIG_DIR).is_dir():
        folder = project.resolve()
        raise HandbookError(Problem(Location(str(folder)), "", f"this is not a handbook folder (it has no "
                                    f"{CONTENT_DIR}/{DOCUMENTS_FILE} and no {CONFIG_DIR}/); "
                                    "cd into one or pass --project FOLDER"))


def _build(args: argparse.Namespace) -> int:
    from generator import forkserver

    if (args.jobs or forkserver.available_cores()) > 1:
        forkserver.start_early()  # the PDF workers' forkserver imports WeasyPrint while this process loads the rest
    try:
        from generator.build import build
        from generator.progress import progress_display
        from generator.shard import Shard

        shard = Shard.parse(args.shard) if args.shard else None
        if args.balance_from and not shard:
            raise HandbookError(Problem(Location("--balance-from"), "", "only with --shard K/N"))
        with progress_display(quiet=args.quiet) as progress:
            reports = build(args.project, args.programs or None, args.out, progress, jobs=args.jobs,
                            cache_dir=False if args.no_cache else args.cache, site_engine=args.site_engine,
                            strict=args.strict, shard=shard, balance_from=args.balance_from)
    finally:
        forkserver.stop_if_unused()
    if shard and not args.quiet:
        print(f"shard {shard}: {len(reports)} program(s); join every shard's folder with `handbook merge`")
    if not args.quiet:
        for report in reports:
            cached = len(report.documents) - len(report.rendered)
            note = f" ({len(report.rendered)} rendered, {cached} unchanged)" if cached else ""
            print(f"{report.program.id}: {len(report.documents)} PDFs{note}, {report.pages} pages, "
                  f"site {'built' if report.site_built else 'unchanged'} -> {report.path}/index.html")
        if reports:
            print(f"open {reports[0].path.parent / 'index.html'} (all programs), PDFs in <program>/pdf/")
    return 0


def _check(args: argparse.Namespace) -> int:
    from generator.build import check

    with warnings_as_lines() as shown:
        programs = check(args.project, args.programs or None, strict=args.strict)
    note = f" ({len(shown)} warning(s) above)" if shown else ""
    print(f"ok: {len(programs)} program(s) valid{note}: {', '.join(p.id for p in programs)}")
    return 0


def _explain(args: argparse.Namespace) -> int:
    from generator.build import check
    from generator.explain import explain
    from generator.facts import derive_facts

    (program,) = check(args.project, [args.program])
    sys.stdout.write(explain(derive_facts(program)))
    return 0


def _serve(args: argparse.Namespace) -> int:
    from generator.serve import serve

    serve(args.project, args.program, args.port)
    return 0


def _new(args: argparse.Namespace) -> int:
    from generator.scaffold import new_program

    path = new_program(args.project, args.program, args.source)
    print(f"wrote {path}; next: edit it, then `handbook check {args.program}` and `handbook build {args.program}`")
    return 0


def _reference(args: argparse.Namespace) -> int:
    from generator.config.reference import reference_markdown

    sys.stdout.write(reference_markdown())
    return 0


def _schema(args: argparse.Namespace) -> int:
    from generator.config.schema import Program

    print(json.dumps(Program.model_json_schema(), indent=2))
    return 0


def _collect(args: argparse.Namespace) -> int:
    from generator.collect import collect, printable
    from generator.collect_output import only_form, stdout_csv, write_results

    rows, skipped = collect(args.files)
    for item in skipped:
        print(f"skipped: {item}", file=sys.stderr)
    rows = only_form(rows, args.form)
    if args.out is None:
        sys.stdout.write(stdout_csv(rows, args.headers))
    else:
        written = write_results(rows, args.out, args.headers)
        names = ", ".join(printable(str(path)) for path in written) or "nothing (no forms)"
        print(f"collected {len(rows)} form(s) into {names}", file=sys.stderr)
    return 1 if skipped else 0


def _merge(args: argparse.Namespace) -> int:
    from generator.merge import merge
    from generator.project import Project

    merged = merge(args.shards, args.out, Project.load(args.project.resolve()).theme)
    print(f"merged {len(merged)} program(s) from {len(args.shards)} shard(s) -> {args.out / 'index.html'}")
    return 0


COMMANDS = {"build": _build, "check": _check, "explain": _explain, "serve": _serve, "schema": _schema,
            "collect": _collect, "new": _new, "reference": _reference, "merge": _merge}
