"""Notebook execution for grading that survives what student code does to a kernel.

A drop-in replacement for nbgrader's Execute preprocessor:

- a total time budget for the notebook, on top of the per-cell timeout;
- a dead kernel (os._exit, a segfault, memory exhausted) costs only the cell
  that killed it: a new kernel replays the cells before it and carries on;
- before every graded test cell, IPython's input and AST transformers, custom
  exception handler and showtraceback are put back to their defaults, so a
  transformer that rewrites later cells cannot switch the tests off;
- with `judge` on, a graded test cell never runs in the kernel: grader.judge
  runs it here and asks the kernel only for the student's values;
- output is capped in bytes, per cell and per notebook, as it arrives: what is
  over the cap is dropped (an error is always kept, shortened), with a note.
  The kernel cuts its own big messages too, and the client refuses any message
  over grader.kernels.MAX_MESSAGE; a cell whose error was lost that way still
  fails, from the kernel's reply.

What happened is written next to the notebook as `.course-execution.json`.
"""
import json
import time
from pathlib import Path

from nbclient.exceptions import DeadKernelError
from nbformat import from_dict
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer

from grader.cells import is_test
from grader.judge.judge import Judge
from grader.kernels import MAX_MESSAGE
from grader.records import Limits

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


# Run silently in every new kernel: stream text and rich outputs over the cap are cut before they are sent.
_CAP_IN_KERNEL = """
def _course_cap(session, limit):
    send = session.send
    def capped(stream, msg_or_type, content=None, *args, **kwargs):
        message = msg_or_type if isinstance(msg_or_type, dict) else None
        body = message["content"] if message else content
        kind = message["header"]["msg_type"] if message else msg_or_type
        if isinstance(body, dict) and kind == "stream" and len(body.get("text", "")) > limit:
            body["text"] = body["text"][:limit] + "\\n[output cut: over %d bytes]\\n" % limit
        elif isinstance(body, dict) and kind in ("display_data", "execute_result", "update_display_data") \\
                and sum(len(str(v)) for v in body.get("data", {}).values()) > limit:
            body["data"] = {"text/plain": "[output cut: over %d bytes]" % limit}
        return send(stream, msg_or_type, content, *args, **kwargs)
    session.send = capped
_course_cap(get_ipython().kernel.session, LIMIT)
del _course_cap
"""
TRACEBACK_LINES, LINE_CHARS = 60, 2000


def _size(content):
    """Bytes an output message's content would add to the notebook, roughly."""
    if "text" in content:
        return len(content["text"])
    return sum(len(str(v)) for v in content.get("data", {}).values())


def _shorten_error(content):
    content["evalue"] = str(content.get("evalue", ""))[:LINE_CHARS]
    content["traceback"] = [line[:LINE_CHARS] for line in content.get("traceback", [])[-TRACEBACK_LINES:]]


def _error(ename, message):
    return new_output("error", ename=ename, evalue=message, traceback=[f"{ename}: {message}"])


class RobustExecute(Execute):
    notebook_timeout = Integer(600, help="Seconds the whole notebook may run.").tag(config=True)
    max_restarts = Integer(3, help="How many times a dead kernel is replaced.").tag(config=True)
    cell_bytes = Integer(Limits().output_kb * 1024, help="Bytes of output a cell may keep.").tag(config=True)
    notebook_bytes = Integer(Limits().notebook_output_kb * 1024,
                             help="Bytes of output the notebook may keep.").tag(config=True)
    judge = Bool(False, help="Run test cells in the grader's judge, not in the kernel.").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._started = time.monotonic()
        self._killers, self._restarts, self._snapshotted = set(), 0, False
        self._cell_bytes, self._notebook_bytes, self._cut = {}, 0, set()
        self._record = {"kernel_died": [], "timed_out": [], "notebook_timeout": None, "hooks_reset": [],
                        "hooks_unreadable": [], "judged": []}
        self._judge = Judge(self) if self.judge else None
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

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        if msg["msg_type"] == "error":
            _shorten_error(content)
            return super().output(outs, msg, display_id, cell_index)
        size = _size(content)
        used = self._cell_bytes.get(cell_index, 0) + size
        if used > self.cell_bytes or self._notebook_bytes + size > self.notebook_bytes:
            if cell_index not in self._cut:
                self._cut.add(cell_index)
                over = "this cell's" if used > self.cell_bytes else "the notebook's"
                limit = self.cell_bytes if used > self.cell_bytes else self.notebook_bytes
                outs.append(new_output("stream", name="stdout",
                                       text=f"\n[output cut: {over} output went over {limit // 1024} KiB]\n"))
            return None
        self._cell_bytes[cell_index] = used
        self._notebook_bytes += size
        return super().output(outs, msg, display_id, cell_index)

    async def _async_poll_for_reply(self, msg_id, cell, timeout, task_poll_output_msg, task_poll_kernel_alive):
        reply = await super()._async_poll_for_reply(msg_id, cell, timeout, task_poll_output_msg,
                                                    task_poll_kernel_alive)
        if task_poll_output_msg.cancelled():  # the reply came, the output did not (raise_on_iopub_timeout is off)
            cell.outputs.append(new_output("stream", name="stdout", text="\n[output lost: this cell sent more "
                                           "than the grader accepts, and some of its output never arrived]\n"))
            self._reconnect_iopub()
        return reply

    def _reconnect_iopub(self):
        """A refused message closes the output socket for good: open a new one for the cells after it."""
        channel = self.kc._iopub_channel
        if channel is not None:
            channel.stop()
            self.kc._iopub_channel = None
        self.kc.iopub_channel.start()

    async def _check_raise_for_error(self, cell, cell_index, exec_reply):
        """A cell whose reply says it failed fails, even if its error output never arrived."""
        content = (exec_reply or {}).get("content", {})
        if content.get("status") == "error" and not any(o.get("output_type") == "error" for o in cell.outputs):
            cell.outputs.append(_error(str(content.get("ename", "Error"))[:200],
                                       str(content.get("evalue", ""))[:LINE_CHARS] +
                                       " [the cell's output was lost; this error comes from the kernel's reply]"))
        return await super()._check_raise_for_error(cell, cell_index, exec_reply)

    def _start_kernel_extras(self):
        """What every new kernel runs first: the output cap, and a snapshot of IPython's defaults."""
        cap = _CAP_IN_KERNEL.replace("LIMIT", str(min(self.cell_bytes, MAX_MESSAGE // 2)))
        msg_id = self.kc.execute(cap, silent=True, store_history=False)
        self.wait_for_reply(msg_id)
        self._snapshotted = self._evaluate(_SNAPSHOT) is not None

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
                self._start_kernel_extras()
            if is_test(cell):
                changed = self._evaluate(_RESET)
                if changed is None:
                    self._record["hooks_unreadable"].append(index)
                elif changed != "0":
                    self._record["hooks_reset"].append(index)
            if self._judge is not None and is_test(cell):
                cell.outputs = [from_dict(o) for o in self._judge.run(cell.source, self._get_timeout(cell))]
                cell.execution_count = None
                self._record["judged"].append(index)
            else:
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
            self._start_kernel_extras()
            if self._judge is not None:
                self._judge.restarted()
            try:
                for i, earlier in enumerate(self.nb.cells[:index]):
                    if self._judge is not None and is_test(earlier):
                        continue  # never in the kernel
                    if earlier.cell_type == "code" and i not in self._killers and earlier.source.strip():
                        msg_id = self.kc.execute(earlier.source, silent=True, store_history=False)
                        self.wait_for_reply(msg_id, earlier)
                return
            except DeadKernelError:
                continue
