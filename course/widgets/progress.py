"""Progress for long cells: a bar in JupyterLab, a few printed lines elsewhere, silence under nbgrader."""
import time

from course.notebook import under_nbgrader
from course.widgets.explorer import has_frontend


class Progress:
    """Call update(done, note) as work advances; `done` counts up to `total`."""

    def __init__(self, total, description="progress"):
        self.total, self.description, self.done = max(1, int(total)), description, 0
        self.started = time.monotonic()
        self.quiet = under_nbgrader()
        self._printed = 0
        self.bar = None
        if has_frontend():
            import ipywidgets as widgets
            from IPython.display import display
            self.bar = widgets.IntProgress(value=0, min=0, max=self.total, description=description,
                                           style={"description_width": "initial"})
            self.label = widgets.HTML()
            self.box = widgets.HBox([self.bar, self.label])
            self.box.add_class("course-progress")
            self.handle = display(self._bundle(), raw=True, display_id=True)

    def _bundle(self, note=""):
        """The bar, and a line of text for viewers that cannot show widgets."""
        return {**self.box._repr_mimebundle_(), "text/plain": f"{self.description}: {self.text(note)}"}

    def text(self, note=""):
        elapsed = time.monotonic() - self.started
        return f"{self.done} / {self.total} · {elapsed:.1f} s" + (f" · {note}" if note else "")

    def update(self, done, note=""):
        self.done = min(int(done), self.total)
        if self.bar is not None:
            self.bar.value = self.done
            self.label.value = self.text(note)
            if self.done == self.total:
                self.bar.bar_style = "success"
                self.handle.update(self._bundle(note), raw=True)
        elif not self.quiet and (self.done == self.total or self.done >= self._printed + self.total / 4):
            self._printed = self.done
            print(f"{self.description}: {self.text(note)}")
