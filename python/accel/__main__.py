"""``python -m accel --info [--json]``: what accel runs on, for a bug report (the facts
are gathered in accel._info)."""
import argparse
import json
import sys

EXIT_USAGE = 2


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m accel",
        description="Report what accel runs on: versions, the LLVM target and CPU features, "
                    "threads, MPI and the cache. Paste it into a bug report.")
    parser.add_argument("--info", action="store_true", help="print the report and exit")
    parser.add_argument("--json", action="store_true", help="with --info: print it as JSON")
    return parser


def main(argv=None):
    parser = _parser()
    options = parser.parse_args(argv)
    if options.json and not options.info:
        parser.error("--json goes with --info: python -m accel --info --json")
    if not options.info:
        parser.print_usage(sys.stderr)
        print(f"{parser.prog}: give --info for the report, --help for the options", file=sys.stderr)
        return EXIT_USAGE
    from . import _info
    facts = _info.report()
    if options.json:
        print(json.dumps(facts, indent=2))
    else:
        print(_info.render_text(facts), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
