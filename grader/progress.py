"""The grader's progress bar: one line on a terminal, a line every tenth otherwise."""
import sys
import time


class Progress:
    def __init__(self, total, stream=sys.stderr):
        self.total, self.done, self.flagged, self.stream = total, 0, 0, stream
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.started = time.monotonic()

    def update(self, result):
        self.done += 1
        self.flagged += bool(result.flags)
        filled = int(30 * self.done / max(1, self.total))
        line = (f"[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total} graded, "
                f"{self.flagged} flagged, {time.monotonic() - self.started:.0f} s")
        if self.tty:
            print("\r" + line, end="" if self.done < self.total else "\n", file=self.stream, flush=True)
        elif self.done == self.total or self.done % max(1, self.total // 10) == 0:
            print(line, file=self.stream, flush=True)
