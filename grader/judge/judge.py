"""The judge: runs a notebook's test cells in the grader's own process, against the student's kernel.

A test cell's code (with its hidden tests) runs here, where the course's
checks, references and recorded answers are. Every name the code reads that
it did not define itself comes from the student's kernel through
`course.probe.server`: data by value, everything else as a `Remote` handle.
The kernel runs the student's functions on the inputs the tests send and
answers with plain data; it never sees a test's code, an expected value or an
answer key, so whatever it does to itself it can only report values.
"""
import builtins
import contextlib
import importlib
import io
import re
import secrets
import sys
import time
import warnings
import weakref
from queue import Empty

import numpy as np
from jupyter_core.utils import ensure_async, run_sync
from nbclient.exceptions import DeadKernelError

from course.checks.primitives import CheckFailed
from course.probe import builders, codec
from course.unfinished import message_from_lines, undefined
from grader.judge.remote import Remote, RemoteError, remote_error

MODULES = ("numpy", "math", "matplotlib", "course")  # the kernel's modules a test may name (as `np`)
STDOUT_LIMIT = 64 * 1024
REPLY_LIMIT = 16 * 1024 * 1024
GRACE = 5.0  # seconds an interrupted or finished kernel has to answer


class JudgeTimeout(Exception):
    """A call of the student's code ran past the cell's time."""


class KernelGone(Exception):
    """The kernel stopped answering the judge (its code broke the probe, or it hangs)."""


class Scope(dict):
    """A test cell's globals: its own names, then the builtins, then the student's kernel."""

    def __init__(self, judge):
        super().__init__(__builtins__=builtins, __name__="__main__")
        self.judge = judge

    def __missing__(self, name):
        if name in vars(builtins) or name.startswith("__"):
            raise KeyError(name)
        return self.judge.request("get", name=name)


def _missing_name(error):
    """The name a NameError is about; the kernel's (a RemoteError) says it in its message only."""
    found = re.fullmatch(r"name '(\w+)' is not defined", str(error))
    return getattr(error, "name", None) or (found and found.group(1))


def _sync(local, new):
    """Make `local` (a test's input) what the student's code turned its kernel copy into."""
    if isinstance(local, np.ndarray) and isinstance(new, np.ndarray):
        if local.shape == new.shape and local.flags.writeable:
            np.copyto(local, new, casting="unsafe")
    elif type(local) is np.random.Generator and type(new) is np.random.Generator:
        local.bit_generator.state = new.bit_generator.state
    elif type(local) is dict and type(new) is dict:
        for key in [k for k in local if k not in new]:
            del local[key]
        for key, value in new.items():
            if key in local and _same_kind(local[key], value):
                _sync(local[key], value)
            else:
                local[key] = value
    elif type(local) is list and type(new) is list:
        if len(local) != len(new):
            local[:] = new
        for k, value in enumerate(new[:len(local)]):
            if _same_kind(local[k], value):
                _sync(local[k], value)
            else:
                local[k] = value
    elif type(local) is tuple and type(new) is tuple and len(local) == len(new):
        for mine, theirs in zip(local, new, strict=True):
            _sync(mine, theirs)


def _same_kind(a, b):
    return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape) or (
        type(a) is type(b) and type(a) in (dict, list, tuple, np.random.Generator))


async def _awaited(function):
    return await ensure_async(function())


def _error(ename, evalue, traceback):
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": traceback}


class Judge:
    """One notebook's judge, talking to the kernel of an nbclient executor (`client.kc`, `client.km`)."""

    def __init__(self, client):
        self.client = client
        self.generation, self.proxies = 0, weakref.WeakValueDictionary()
        self.functions, self.function_numbers = {}, {}
        self.msg_id, self.seq, self.deadline, self.failure = None, 0, 0.0, None
        self.attributes, self.watched, self.kernel_watch = {}, [], []

    # The student's objects' attributes, held here as the test's own objects (`net.params[...] = ...` and
    # `P = net.params["W1"]; P[0, 0] += h` work as they would in one process): sent to the kernel when they
    # changed here, taken back from it whenever control comes back from the student's code.

    def _fingerprint(self, value):
        return codec.digest(value)

    def _held(self, remote, name, value):
        key = (remote._number, name)
        if key not in self.attributes:
            self.watched.append((weakref.ref(remote), remote._number, name))
        self.attributes[key] = [value, self._fingerprint(value)]
        return value

    def _live(self):
        """The held attributes of objects the test still holds: (remote, name) each; the rest are let go."""
        live, kept = [], []
        for ref, number, name in self.watched:
            remote = ref()
            if remote is None:
                self.attributes.pop((number, name), None)
            else:
                live.append((remote, name))
                kept.append((ref, number, name))
        self.watched = kept
        return live

    def _let_go(self, remote, name):
        self.attributes.pop((remote._number, name), None)
        self.watched = [w for w in self.watched if not (w[1] == remote._number and w[2] == name)]

    def _changes(self):
        """The held attributes changed here since they last crossed: [target, name, value] each."""
        push = []
        for remote, name in self._live():
            entry = self.attributes[(remote._number, name)]
            now = self._fingerprint(entry[0])
            if now != entry[1]:
                push.append([remote, name, entry[0]])
                entry[1] = now
        return push

    def _take_state(self, state):
        """The watched attributes the student's code changed: into the test's own objects, in place."""
        watched = self.kernel_watch
        if type(state) is not list:
            return
        for item in state:
            if type(item) is not list or len(item) != 3 or type(item[0]) is not int or not 0 <= item[0] < len(watched):
                continue
            index, present, value = item
            remote, name = watched[index]
            key = (remote._number, name)
            if key not in self.attributes:
                continue
            entry = self.attributes[key]
            if not present or isinstance(value, Remote) or callable(value):
                self._let_go(remote, name)
                continue
            if _same_kind(entry[0], value):
                _sync(entry[0], value)
            else:
                entry[0] = value
            entry[1] = self._fingerprint(entry[0])

    def restarted(self):
        """The kernel was replaced: its objects are gone."""
        self.generation += 1
        self.proxies, self.attributes, self.watched = weakref.WeakValueDictionary(), {}, []

    # What crosses the channel.

    def _handle(self, value):
        if isinstance(value, Remote):
            if value._generation != self.generation:
                raise KernelGone("an object from before the kernel was restarted")
            return {"$": "object", "id": value._number}
        if callable(value):
            number = self.function_numbers.get(id(value))
            if number is None or self.functions[number] is not value:
                number = len(self.functions) + 1
                self.functions[number], self.function_numbers[id(value)] = value, number
            return {"$": "callback", "id": number}
        raise TypeError(f"the tests cannot send a {type(value).__name__} to the kernel")

    def _resolve(self, tag, data):
        number = data.get("id")
        if tag == "object" and type(number) is int:
            proxy = self.proxies.get(number)
            if proxy is None:
                proxy = self.proxies[number] = Remote(self, number, data.get("type"), data.get("callable"),
                                                      self.generation)
            return proxy
        if tag == "callback" and number in self.functions:
            return self.functions[number]
        name = data.get("name")
        if tag == "module" and type(name) is str and name.split(".")[0] in MODULES:
            try:
                return importlib.import_module(name)
            except ImportError:
                pass
        raise codec.ProtocolError(f"an unknown {tag} {str(number or name)[:60]!r}")

    # The channel: the kernel's stdin messages, strictly in turn.

    def _wait(self, most):
        """Seconds to wait for the kernel: at most `most`, and never past the deadline."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise JudgeTimeout
        return min(most, remaining)

    async def _next_prompt(self):
        kc, km = self.client.kc, self.client.km
        while True:
            try:
                msg = await kc.stdin_channel.get_msg(timeout=self._wait(0.5))
            except Empty:
                if not await ensure_async(km.is_alive()):
                    raise DeadKernelError("the kernel died") from None
                await self._drain(kc)
                continue
            if msg["msg_type"] == "input_request" and msg["parent_header"].get("msg_id") == self.msg_id:
                return str(msg["content"].get("prompt", ""))

    async def _drain(self, kc):
        """Throw away the kernel's output meanwhile; notice the end of the probe."""
        for _ in range(1000):
            try:
                await kc.iopub_channel.get_msg(timeout=0)
            except Empty:
                break
        while True:
            try:
                msg = await kc.shell_channel.get_msg(timeout=0)
            except Empty:
                return
            if msg["parent_header"].get("msg_id") == self.msg_id:
                content = msg["content"]
                self.ended = True
                raise KernelGone(f"the probe ended: {content.get('ename', '')} {content.get('evalue', '')}".strip())

    def _receive(self):
        return codec.loads(run_sync(self._next_prompt)(), self._resolve, REPLY_LIMIT)

    def _send(self, message):
        self.client.kc.input(codec.dumps(message, self._handle))

    def _exchange(self, message):
        """Send one request; run the judge's functions the kernel calls meanwhile; the reply."""
        self._send_watching(message)
        while True:
            reply = self._receive()
            if type(reply) is not dict:
                raise codec.ProtocolError("a reply that is not a message")
            self._take_state(reply.get("state"))
            if "callback" not in reply:
                if reply.get("seq") != message.get("seq"):
                    raise codec.ProtocolError("a reply to another request")
                return reply
            self._send_watching(self._callback(reply))

    def _send_watching(self, message):
        """Send a message with the held attributes: which they are, and those changed here."""
        message["push"] = self._changes()
        self.kernel_watch = self._live()
        message["watch"] = [[remote, name] for remote, name in self.kernel_watch]
        self._send(message)

    def _callback(self, request):
        function = self.functions.get(request.get("callback"))
        args, kwargs = request.get("args", []), request.get("kwargs", {})
        if function is None or type(args) is not list or type(kwargs) is not dict:
            return {"error": "an unknown function of the tests"}
        try:
            return {"value": function(*args, **kwargs)}
        except Exception as error:  # noqa: BLE001 (the first failure inside a callback decides the test)
            self.failure = self.failure or error
            return {"error": str(error)[:500]}

    def getattr(self, remote, name):
        key = (remote._number, name)
        if key in self.attributes:
            return self.attributes[key][0]
        value = self.request("getattr", remote, name=name)
        if isinstance(value, Remote) or callable(value):
            return value
        return self._held(remote, name, value)

    def setattr(self, remote, name, value):
        self.request("setattr", remote, name=name, value=value)
        if not isinstance(value, Remote) and not callable(value):
            self._held(remote, name, value)
        elif (remote._number, name) in self.attributes:
            self._let_go(remote, name)

    def request(self, op, target=None, **fields):
        self.seq += 1
        message = {"seq": self.seq, "op": op, **fields}
        if target is not None:
            message["target"] = target
        reply = self._exchange(message)
        if "stopped" in reply:
            raise self.failure or CheckFailed(reply["stopped"])
        if "error" in reply:
            error = reply["error"] if type(reply["error"]) is dict else {}
            lines = error.get("traceback", [])
            raise remote_error(error.get("type", "Error"), str(error.get("message", ""))[:2000],
                               [str(line)[:2000] for line in lines[:40]] if type(lines) is list else [])
        if op == "call" or op == "build":
            after = reply.get("after")
            if type(after) is list and len(after) == 2:
                _sync(list(fields.get("args", [])), after[0])
                _sync(fields.get("kwargs", {}), after[1])
            printed = reply.get("stdout")
            if type(printed) is str and printed and self._captured():
                print(printed[:STDOUT_LIMIT], end="")
        return reply.get("value")

    def _captured(self):
        """Whether the test code redirected stdout to read what the student's code prints."""
        return sys.stdout is not self._cell_stdout

    def call(self, remote, args, kwargs):
        context = {"errstate": np.geterr()}
        if warnings.filters and warnings.filters[0][0] == "error":
            context["warnings"] = "error"
        return self.request("call", remote, args=list(args), kwargs=dict(kwargs), context=context)

    def build(self, cls, args, kwargs):
        return self.request("build", module=cls.__module__, name=cls.__qualname__, args=list(args),
                            kwargs=dict(kwargs))

    # A test cell.

    def run(self, source, timeout):
        """Run one test cell's code; its outputs (nbformat dicts): what it printed, and its error if it failed."""
        self.deadline, self.failure, self.ended = time.monotonic() + timeout, None, False
        self.attributes, self.watched = {}, []
        self.scope = Scope(self)  # each test cell on its own, as it reads
        nonce = secrets.token_hex(8)
        code = f"__import__('course.probe.server', fromlist=['serve']).serve({nonce!r})"
        self.msg_id = self.client.kc.execute(code, silent=True, store_history=False, allow_stdin=True)
        out, error = io.StringIO(), None
        self._cell_stdout = out
        try:
            ready = self._receive()
            if type(ready) is not dict or ready.get("ready") != nonce:
                raise KernelGone("the kernel did not start the probe")
            builders.BUILD = self.build
            with contextlib.redirect_stdout(out):
                exec(compile(source, "<test cell>", "exec"), self.scope)
            if self.failure is not None:  # a check inside one of the test's functions failed, and the
                raise self.failure        # student's code caught what stopped it
        except DeadKernelError:
            raise
        except BaseException as problem:  # noqa: BLE001 (whatever happens, the cell gets its one verdict)
            error = self._verdict(problem)
        finally:
            builders.BUILD = None
        self._finish(error is not None and error["ename"] in ("CellTimeoutError", "KernelGone"))
        outputs = []
        text = out.getvalue()
        if text:
            if len(text) > STDOUT_LIMIT:
                text = text[:STDOUT_LIMIT] + "\n[output cut]\n"
            outputs.append({"output_type": "stream", "name": "stdout", "text": text})
        if error is not None:
            outputs.append(error)
        return outputs

    def _verdict(self, problem):
        if isinstance(problem, CheckFailed) or isinstance(self.failure, CheckFailed):
            message = str(self.failure if isinstance(self.failure, CheckFailed) else problem)
            return _error("CheckFailed", message, [f"\x1b[0;31mCheck failed:\x1b[0m {message}"])
        if isinstance(problem, JudgeTimeout):
            message = "a call of your code was still running when the cell's time ran out"
            return _error("CellTimeoutError", message, [f"CellTimeoutError: {message}"])
        if isinstance(problem, KernelGone):
            message = f"the kernel stopped answering the tests ({problem})"
            return _error("KernelGone", message, [f"KernelGone: {message}"])
        if isinstance(problem, codec.ProtocolError):
            message = f"your code gave the tests something they cannot read: {problem}"
            return _error("ProtocolError", message, [f"ProtocolError: {message}"])
        if isinstance(problem, RemoteError) and problem.type_name == "NotImplementedError" and \
                (advice := message_from_lines(problem.traceback_lines)):  # an unanswered exercise: which one
            return _error("NotImplementedError", advice, [f"\x1b[0;31mNot finished:\x1b[0m {advice}"])
        if isinstance(problem, NameError) and (advice := undefined(_missing_name(problem))):  # an answer not run
            return _error("NameError", advice, [f"\x1b[0;31mNot finished:\x1b[0m {advice}"])
        if isinstance(problem, RemoteError):
            return _error(problem.type_name, str(problem), [*problem.traceback_lines] or
                          [f"{problem.type_name}: {problem}"])
        # An error of the test code itself on what the student's code returned: its message, never its source.
        name = type(problem).__name__
        return _error(name, str(problem)[:2000], [f"{name}: {str(problem)[:2000]}"])

    def _finish(self, stuck):
        """End the probe: the kernel must answer `done`, or (a call still running) be interrupted first."""
        if self.ended:
            return
        if stuck:
            run_sync(_awaited)(self.client.km.interrupt_kernel)
        self.deadline = time.monotonic() + GRACE
        try:
            while True:
                self._send({"op": "done"})
                if run_sync(self._wait_reply)():
                    return
        except (JudgeTimeout, KernelGone):
            if not stuck:
                return self._finish(True)
            raise DeadKernelError("the kernel did not come back from the tests") from None

    async def _wait_reply(self):
        """True once the probe's execute_reply arrives; False if the kernel asked for input again."""
        kc = self.client.kc
        while True:
            try:
                msg = await kc.shell_channel.get_msg(timeout=self._wait(0.2))
                if msg["parent_header"].get("msg_id") == self.msg_id:
                    return True
            except Empty:
                pass
            try:
                msg = await kc.stdin_channel.get_msg(timeout=0)
                if msg["parent_header"].get("msg_id") == self.msg_id:
                    return False
            except Empty:
                pass
