"""What the course's widgets share: a figure redrawn as the controls change, and a static fallback.

In JupyterLab a widget shows its controls and a PNG of its figure, redrawn on
every change. Where nothing can run widgets (nbgrader grading or validating,
a script, `nbconvert --execute` viewed elsewhere) it is a plain figure: the
display carries the first frame as an ordinary image beside the widget view,
and without a front end only the figure is made.
"""
import base64
import io
import os
from contextlib import contextmanager

from matplotlib.figure import Figure

from course.notebook import under_nbgrader


def has_frontend():
    """True in a Jupyter kernel a person can drive; False under nbgrader, in scripts and in tests."""
    if under_nbgrader() or os.environ.get("COURSE_STATIC"):
        return False
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def png(fig):
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


class Explorer:
    """A widget that redraws one figure from its controls.

    Subclasses set `size` (inches), build their controls in `__init__`, call
    `watch(...)` on them, put everything in `self.box`, and implement
    `draw(fig)` and `describe()` (HTML for the caption).
    """

    size = (8, 4)

    def __init__(self):
        import ipywidgets as widgets
        width = f"{int(self.size[0] * 100)}px"  # the figure's own size, shrunk to fit a narrow window
        self.image = widgets.Image(format="png", layout=widgets.Layout(width=width, max_width="100%", height="auto"))
        self.caption = widgets.HTML()
        self.frames = 0
        self._held = False

    def watch(self, *controls):
        for control in controls:
            control.observe(self.changed, names="value")

    def changed(self, *_):
        """After a control moved: new caption, and a new image once the widget has been drawn."""
        if self._held:
            return
        if self.frames:
            self.refresh()
        else:
            self.caption.value = self.describe()

    def figure(self, fig=None):
        """Draw the current state into `fig` (a new detached Figure by default) and return it."""
        fig = Figure(figsize=self.size, dpi=100, layout="constrained") if fig is None else fig
        self.draw(fig)
        return fig

    @contextmanager
    def held(self):
        """Change several controls without a redraw for each (and without drawing a half-changed state)."""
        self._held, before = True, self._held
        try:
            yield
        finally:
            self._held = before

    def refresh(self, *_):
        """Redraw the image and the caption from the controls."""
        if self._held:
            return
        self.caption.value = self.describe()
        self.image.value = png(self.figure())
        self.frames += 1

    def draw(self, fig):
        raise NotImplementedError

    def describe(self):
        return ""

    def static(self):
        """The plain figure shown where widgets cannot run (not drawn under nbgrader's Agg backend)."""
        import matplotlib.pyplot as plt
        fig = self.figure(plt.figure(figsize=self.size, layout="constrained"))
        text = _plain(self.describe())
        if text:
            print(text)
        return fig

    def _ipython_display_(self):
        from IPython.display import display
        if not has_frontend():
            try:
                self.static()
            except ImportError:  # the course's answers it draws from are hidden while their lesson is graded
                print(f"({type(self).__name__} is not drawn while this notebook is graded.)")
            return
        self.refresh()
        bundle = self.box._repr_mimebundle_()
        bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        display(bundle, raw=True)


def _plain(html):
    import html as html_module
    import re
    text = re.sub(r"<br\s*/?>|</p>|</li>|</tr>", "\n", html)
    text = re.sub(r"<sub>(.*?)</sub>", r"_\1", text)
    text = re.sub(r"<sup>(.*?)</sup>", r"^\1", text)
    text = re.sub(r"</t[dh]>", "  ", text)
    text = re.sub(r"<[^>]+>", "", text)
    return "\n".join(line.strip() for line in html_module.unescape(text).splitlines() if line.strip())
