"""Command line of ``python -m accel.bench``: which experiments, how big, where to write."""
import argparse
import os

from .experiments import EXPERIMENTS

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m accel.bench",
        description="Reproduce the notebook 'Accelerating Applications' with accel and time every way. "
                    "Exits 1 when a way fails or its results differ from the others.")
    parser.add_argument("--list", action="store_true", help="name the experiments and exit")
    parser.add_argument("--only", metavar="NAME", choices=list(EXPERIMENTS),
                        help=f"run one experiment: {', '.join(EXPERIMENTS)}")
    parser.add_argument("--quick", action="store_true",
                        help="smaller sizes and fewer repeats (seconds instead of a minute or two); same checks")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    parser.add_argument("--plot", metavar="PATH", help="also draw the figures as a PNG bar chart")
    return parser


def _check_writable(parser, option, path):
    """Refuses an output path before the run rather than after a minute of measuring."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        parser.error(f"{option} {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        parser.error(f"{option} {path}: the folder {folder} is not writable")


def main(argv=None):
    parser = _parser()
    options = parser.parse_args(argv)
    for option, path in (("--json", options.json), ("--plot", options.plot)):
        if path is not None:
            _check_writable(parser, option, path)
    if options.list:
        for name, experiment in EXPERIMENTS.items():
            print(f"{name:<12} {experiment.SUMMARY}")
        return EXIT_OK

    # Imported here so --list and --help answer at once.
    from .export import as_json, write_json
    from .machine import describe_machine, one_line
    from .progress import Progress
    from .report import full_report
    from .runner import run_plan
    from .scale import FULL, QUICK

    scale = QUICK if options.quick else FULL
    names = [options.only] if options.only else list(EXPERIMENTS)
    machine = describe_machine()
    progress = Progress()
    experiments = [run_plan(name, EXPERIMENTS[name].plan(scale), progress, scale.way_budget) for name in names]

    print(full_report(experiments, one_line(machine), scale.name))
    if options.json:
        write_json(options.json, as_json(experiments, machine, scale.name))
    if options.plot:
        from .plot import write_plot
        write_plot(options.plot, experiments, one_line(machine))
    return EXIT_OK if all(e.ok for e in experiments) else EXIT_FAILED
