"""The run as JSON: the same figures as the report, in seconds, plus every sample."""
import datetime
import json


def _way(experiment, way):
    entry = {"name": way.name, "description": way.description, "ok": way.ok,
             "error": way.error, "difference": way.difference}
    if way.timing is not None:
        t = way.timing
        entry.update(median_s=t.median, min_s=t.fastest, max_s=t.slowest, first_call_s=t.first_call,
                     samples_s=list(t.samples), speedup=experiment.speedup(way))
    return entry


def as_json(experiments, machine, scale_name):
    return {
        "tool": "accel.bench",
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "scale": scale_name,
        "machine": machine,
        "ok": all(e.ok for e in experiments),
        "experiments": [
            {"name": e.name, "title": e.title, "baseline": e.baseline, "ok": e.ok,
             "result": e.result, "notes": e.notes, "ways": [_way(e, way) for way in e.ways]}
            for e in experiments
        ],
    }


def write_json(path, document):
    with open(path, "w", encoding="utf-8") as file:
        json.dump(document, file, indent=2)
        file.write("\n")
