"""Notebook execution for grading that survives what student code does to a kernel.

A drop-in replacement for nbgrader's Execute preprocessor:

- a total time budget for the notebook, on top of the per-cell timeout;
- a dead kernel (os._exit, a segfault, memory exhausted) costs only the cell
  that killed it: a new kernel replays the cells before it and carries on;
- before every graded test cell, IPython's input and AST transformers, custom
  exception handler and showtraceback are put back to their defaults, so a
  transformer that rewrites later cells cannot switch the tests off.

What happened is written next to the notebook as `.course-execution.json`.
"""
import json
import time
from pathlib import Path

from nbclient.exceptions import DeadKernelError
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Integer

from grader.cells import is_test

RECORD = ".course-execution.json"

_SNAPSHOT = ("setattr(get_ipython(), '_course_defaults', "
             "list(get_ipython().input_transformers_cleanup)) or 'ok'")
_RESET = ("(lambda ip: ("
          "len(ip.input_transformers_post) + len(ip.ast_transformers) "
          "+ (ip.input_transformers_cleanup != ip._course_defaults) + bool(ip.custom_exceptions) "
          "+ ('showtraceback' in vars(ip)) + ('run_cell' in vars(ip)),"
          " ip.input_transformers_post.clear(), ip.ast_transformers.clear(),"
          " ip.input_transformers_cleanup.__setitem__(slice(None), ip._course_defaults),"
          " ip.set_custom_exc((), None), vars(ip).pop('showtraceback', None),"
          " vars(ip).pop('run_cell', None))[0])(get_ipython())")


def _error(ename, message):
    return new_output("error", ename=ename, evalue=message, traceback=[f"{ename}: {message}"])


class RobustExecute(Execute):
    notebook_timeout = Integer(600, help="Seconds the whole notebook may run.").tag(config=True)
    max_restarts = Integer(3, help="How many times a dead kernel is replaced.").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._started = time.monotonic()
        self._killers, self._restarts, self._snapshotted = set(), 0, False
        self._record = {"kernel_died": [], "timed_out": [], "notebook_timeout": None, "hooks_reset": [],
                        "hooks_unreadable": []}
        try:
            return super().preprocess(nb, resources, km)
        finally:
            path = (resources or {}).get("metadata", {}).get("path")
            if path:
                Path(path, RECORD).write_text(json.dumps(self._record))

    def _remaining(self):
        return self.notebook_timeout - (time.monotonic() - self._started)

    def _get_timeout(self, cell):
        timeout = super()._get_timeout(cell)
        remaining = max(1, int(self._remaining()))
        return remaining if timeout is None else min(timeout, remaining)

    def _evaluate(self, expression):
        """Evaluate an expression in the kernel without running a cell; its repr, or None."""
        msg_id = self.kc.execute("", silent=True, store_history=False, user_expressions={"r": expression})
        reply = self.wait_for_reply(msg_id)
        result = (reply or {}).get("content", {}).get("user_expressions", {}).get("r", {})
        return result.get("data", {}).get("text/plain") if result.get("status") == "ok" else None

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        if self._remaining() <= 0 or self._restarts > self.max_restarts:
            if self._remaining() <= 0 and self._record["notebook_timeout"] is None:
                self._record["notebook_timeout"] = index
            cell.outputs = [_error("NotebookTimeout", f"the notebook used up its {self.notebook_timeout} s; "
                                   "this cell was not run") if self._remaining() <= 0 else
                            _error("KernelDied", "the kernel died too often; this cell was not run")]
            return cell, resources
        try:
            if not self._snapshotted:
                self._snapshotted = self._evaluate(_SNAPSHOT) is not None
            if is_test(cell):
                changed = self._evaluate(_RESET)
                if changed is None:
                    self._record["hooks_unreadable"].append(index)
                elif changed != "0":
                    self._record["hooks_reset"].append(index)
            cell, resources = super().preprocess_cell(cell, resources, index)
            if any(o.get("ename") == "CellTimeoutError" for o in cell.outputs if o.output_type == "error"):
                self._record["timed_out"].append(index)
            return cell, resources
        except DeadKernelError:
            cell.outputs.append(_error("KernelDied", "the kernel stopped while running this cell (os._exit, "
                                       "a crash, or memory exhausted); the cells after it ran in a new kernel"))
            self._record["kernel_died"].append(index)
            self._killers.add(index)
            self._restart(index, resources)
            return cell, resources

    def _restart(self, index, resources):
        """Replace a dead kernel and replay, silently, every earlier cell that did not kill it."""
        while self._restarts <= self.max_restarts:
            self._restarts += 1
            self._cleanup_kernel()
            self.km = self.create_kernel_manager()
            self.start_new_kernel()
            self.start_new_kernel_client()
            self._snapshotted = self._evaluate(_SNAPSHOT) is not None
            try:
                for i, earlier in enumerate(self.nb.cells[:index]):
                    if earlier.cell_type == "code" and i not in self._killers and earlier.source.strip():
                        msg_id = self.kc.execute(earlier.source, silent=True, store_history=False)
                        self.wait_for_reply(msg_id, earlier)
                return
            except DeadKernelError:
                continue
