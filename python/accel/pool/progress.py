"""Progress bars for ``map(..., progress=True)``: tqdm when installed, a plain one otherwise."""
import sys
import time


class PlainBar:
    """A one-line bar on stderr, redrawn at most ten times a second."""

    def __init__(self, total, file=None):
        self.total = total
        self.count = 0
        self.file = file or sys.stderr
        self._drawn_at = 0.0
        self._draw(force=True)

    def update(self, n):
        self.count += n
        self._draw(force=self.count >= self.total)

    def _draw(self, force=False):
        now = time.monotonic()
        if not force and now - self._drawn_at < 0.1:
            return
        self._drawn_at = now
        width = 30
        filled = width * self.count // self.total if self.total else width
        self.file.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.count}/{self.total}")
        self.file.flush()

    def close(self):
        self._draw(force=True)
        self.file.write("\n")
        self.file.flush()


def make_bar(total):
    try:
        from tqdm import tqdm
    except ImportError:
        return PlainBar(total)
    return tqdm(total=total, file=sys.stderr)
