"""Command line: parse arguments, call the pipeline, print errors as lines, set the exit code."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from generator.errors import HandbookError, Location, Problem


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="handbook",
                                     description="Build mentoring-program handbooks: a site and PDFs per program.")
    parser.add_argument("--project", type=Path, default=Path("."), help="project folder (default: current folder)")
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="build every program (or the named ones)")
    build.add_argument("programs", nargs="*", metavar="PROGRAM", help="program ids (default: all)")
    build.add_argument("--out", type=Path, default=None, help="output folder (default: site/)")
    build.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    build.add_argument("--site-engine", choices=["mkdocs", "zensical"], default=None,
                       help="site engine (default: site_engine in mkdocs.yml, else mkdocs)")
    build.add_argument("--jobs", "-j", type=int, default=None, help="worker processes for PDFs (default: CPU cores)")
    build.add_argument("--no-cache", action="store_true", help="render every PDF again, ignoring the cache")
    build.add_argument("--cache", type=Path, default=None, help="cache folder (default: .handbook-cache/)")
    build.add_argument("--strict", action="store_true", help="fail on any warning (WeasyPrint's, while rendering PDFs)")
    build.add_argument("--shard", metavar="K/N", default=None,
                       help="build only part K of N (1 <= K <= N), for one machine of many; join with `merge`")
    build.add_argument("--balance-from", type=Path, metavar="DIR", default=None,
                       help="with --shard: balance on the page counts in DIR's manifests (a previous merged build); "
                            "every shard must get the same DIR")

    check = commands.add_parser("check", help="validate programs and content without building")
    check.add_argument("programs", nargs="*", metavar="PROGRAM")

    explain = commands.add_parser("explain", help="print, in plain words, what the handbook will say about a program")
    explain.add_argument("program", metavar="PROGRAM",
                         help="program id (the file name in program-config/ without .yml)")

    serve = commands.add_parser("serve", help="live-reloading preview of one program's site")
    serve.add_argument("program", metavar="PROGRAM")
    serve.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")

    commands.add_parser("schema", help="print the program configuration JSON Schema")

    new = commands.add_parser("new", help="create program-config/<id>.yml with every field, commented")
    new.add_argument("program", metavar="ID")
    new.add_argument("--from", dest="source", metavar="PROGRAM", help="copy the values of an existing program")

    commands.add_parser("reference", help="print the configuration reference (Markdown)")

    collect = commands.add_parser("collect", help="read filled form PDFs into one CSV or JSON file")
    collect.add_argument("files", nargs="+", type=Path, metavar="FILE", help="filled PDFs, or folders of them")
    collect.add_argument("--out", type=Path, default=None, help="results.csv or results.json (default: CSV on stdout)")

    merge = commands.add_parser("merge", help="join the outputs of `build --shard K/N` into one site folder")
    merge.add_argument("shards", nargs="+", type=Path, metavar="DIR", help="the --out folder of every shard")
    merge.add_argument("--out", type=Path, required=True, help="the merged site folder")

    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except HandbookError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the previous output is unchanged", file=sys.stderr)
        return 130


def _build(args: argparse.Namespace) -> int:
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

    programs = check(args.project, args.programs or None)
    print(f"ok: {len(programs)} program(s) valid: {', '.join(p.id for p in programs)}")
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
    from generator.collect import collect, write_rows

    rows, skipped = collect(args.files)
    for item in skipped:
        print(f"skipped: {item}", file=sys.stderr)
    text = write_rows(rows, args.out)
    if args.out is None:
        sys.stdout.write(text)
    else:
        print(f"collected {len(rows)} form(s) into {args.out}", file=sys.stderr)
    return 1 if skipped else 0


def _merge(args: argparse.Namespace) -> int:
    from generator.merge import merge

    merged = merge(args.shards, args.out)
    print(f"merged {len(merged)} program(s) from {len(args.shards)} shard(s) -> {args.out / 'index.html'}")
    return 0


COMMANDS = {"build": _build, "check": _check, "explain": _explain, "serve": _serve, "schema": _schema,
            "collect": _collect, "new": _new, "reference": _reference, "merge": _merge}
