"""Progress on stderr while the bench runs, so stdout holds only the report."""
import sys
import time


class Progress:
    def __init__(self, stream=None):
        self.stream = stream if stream is not None else sys.stderr
        # A terminal gets one line rewritten in place; a log or a pipe gets whole lines.
        self.rewrite = getattr(self.stream, "isatty", lambda: False)()
        self.started = time.perf_counter()
        self.label = ""
        self.repeats = 0

    def _elapsed(self):
        return f"{time.perf_counter() - self.started:5.1f} s"

    def start_way(self, experiment, way, repeats):
        self.label = f"[{experiment}] {way}"
        self.repeats = repeats
        if not self.rewrite:
            self._line(f"{self._elapsed()}  {self.label}: first call + up to {repeats} runs ...")

    def run(self, number):
        if self.rewrite:
            what = "first call" if number == 0 else f"run {number}/{self.repeats}"
            self.stream.write(f"\r\033[K{self._elapsed()}  {self.label}: {what}")
            self.stream.flush()

    def end_way(self, outcome):
        if outcome.error or outcome.difference:
            status = "FAILED: " + (outcome.error or outcome.difference)
        else:
            status = "done"
        if self.rewrite:
            self.stream.write("\r\033[K")
        self._line(f"{self._elapsed()}  {self.label}: {status}")

    def _line(self, text):
        self.stream.write(text + "\n")
        self.stream.flush()
