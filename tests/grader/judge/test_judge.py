"""The judge runs test code here and the student's code in a real kernel: what each side sees and decides."""
from dataclasses import dataclass

import pytest
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from grader.judge.judge import Judge


@dataclass
class Executor:
    km: AsyncKernelManager
    kc: object


@pytest.fixture(scope="module")
def kernel():
    km = AsyncKernelManager(kernel_name="python3")
    run_sync(km.start_kernel)()
    kc = km.client()
    kc.start_channels()
    run_sync(kc.wait_for_ready)(timeout=60)
    yield Executor(km, kc)
    kc.stop_channels()
    run_sync(km.shutdown_kernel)(now=True)


def run_in_kernel(executor, code):
    msg_id = executor.kc.execute(code, store_history=True)
    while True:
        reply = run_sync(executor.kc.get_shell_msg)(timeout=30)
        if reply["parent_header"].get("msg_id") == msg_id:
            assert reply["content"]["status"] == "ok", reply["content"]
            return


def evaluate(executor, expression):
    msg_id = executor.kc.execute("", user_expressions={"r": expression})
    while True:
        reply = run_sync(executor.kc.get_shell_msg)(timeout=30)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"]["user_expressions"]["r"]["data"]["text/plain"]


def verdict(outputs):
    errors = [o for o in outputs if o["output_type"] == "error"]
    return (errors[0]["ename"], errors[0]["evalue"]) if errors else "passed"


def printed(outputs):
    return "".join(o.get("text", "") for o in outputs if o["output_type"] == "stream")


def test_the_kernel_never_holds_the_tests_code_or_expected_values(kernel):
    run_in_kernel(kernel, "def double(x):\n    return 2 * x")
    judge = Judge(kernel)
    test = ("from course.checks import check_equal\n"
            "SECRET = 'expected-value-4711'\n"
            "check_equal('double(2)', double(2), 4)\nprint('double: correct')")
    assert verdict(outputs := judge.run(test, 30)) == "passed" and printed(outputs) == "double: correct\n"
    seen = evaluate(kernel, "repr(In) + repr(Out) + repr(globals()) + repr(__import__('linecache').cache)")
    assert "4711" not in seen and "check_equal" not in seen


def test_a_wrong_value_fails_whatever_the_kernel_did_to_the_checks(kernel):
    run_in_kernel(kernel, "import course.checks as cc, course.checks.primitives as cp\n"
                          "cc.check_equal = cp.check_equal = lambda *a, **k: None\n"
                          "def double(x):\n    return 3 * x")
    outputs = Judge(kernel).run("from course.checks import check_equal\ncheck_equal('double(2)', double(2), 4)", 30)
    assert verdict(outputs) == ("CheckFailed", "double(2) should be 4, but it is 6.")


def test_inputs_changed_in_place_are_seen_by_the_test(kernel):
    run_in_kernel(kernel, "def clip(z):\n    z[z < 0] = 0\n    return z")
    test = ("import numpy as np\nfrom course.checks import check_array\n"
            "z = np.array([-1.0, 2.0])\nclip(z)\ncheck_array('z after clip(z)', z, [-1.0, 2.0])")
    assert verdict(Judge(kernel).run(test, 30))[0] == "CheckFailed"


def test_attributes_and_callbacks_behave_as_in_one_process(kernel):
    run_in_kernel(kernel, "class Net:\n"
                          "    def forward(self, x):\n"
                          "        return self.act(x @ self.params['W'])\n"
                          "    def step(self):\n"
                          "        self.params['W'] -= 1.0")
    test = ("import numpy as np\nfrom course.checks import check_array\n"
            "net = Net.__new__(Net)\n"
            "net.params = {'W': np.ones((2, 1))}\n"
            "net.act = lambda z: 10 * z\n"
            "check_array('forward', net.forward(np.ones((1, 2))), [[20.0]])\n"
            "W = net.params['W']\nW[0, 0] = 3.0\n"  # changed here, the kernel must see it
            "check_array('forward after a change here', net.forward(np.ones((1, 2))), [[40.0]])\n"
            "net.step()\n"  # changed there, in place: the test's own array follows
            "check_array('W after step', W, [[2.0], [0.0]])")
    assert verdict(Judge(kernel).run(test, 30)) == "passed"


def test_the_students_error_keeps_its_type_and_its_own_traceback(kernel):
    run_in_kernel(kernel, "def broken(x):\n    raise ValueError('shapes do not match')")
    test = ("try:\n    broken(1)\nexcept ValueError:\n    print('caught as a ValueError')\n"
            "HIDDEN_LINE = 1\nbroken(2)")
    outputs = Judge(kernel).run(test, 30)
    error = outputs[-1]
    assert printed(outputs) == "caught as a ValueError\n"
    assert (error["ename"], error["evalue"]) == ("ValueError", "shapes do not match")
    assert "broken" in "".join(error["traceback"]) and "HIDDEN_LINE" not in "".join(error["traceback"])


def test_a_runaway_call_times_out_and_the_kernel_answers_the_next_cell(kernel):
    run_in_kernel(kernel, "def spin():\n    while True:\n        pass\ndef one():\n    return 1")
    judge = Judge(kernel)
    assert verdict(judge.run("spin()", 2))[0] == "CellTimeoutError"
    assert verdict(judge.run("from course.checks import check_equal\ncheck_equal('one()', one(), 1)", 30)) == "passed"


def test_warnings_the_test_turns_into_errors_are_errors_in_the_students_code(kernel):
    run_in_kernel(kernel, "import numpy as np\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))")
    test = ("import numpy as np\nfrom course.checks import check_quiet\n"
            "check_quiet('sigmoid warned', lambda: sigmoid(np.array([-1000.0])))")
    assert verdict(Judge(kernel).run(test, 30))[0] == "CheckFailed"


def test_a_kernel_that_answers_out_of_turn_fails_only_that_cell(kernel):
    run_in_kernel(kernel, "import course.probe.server as s\n_real = s._perform\n"
                          "s._perform = lambda request: {**_real(request), 'seq': -1}\n"
                          "def one():\n    return 1")
    judge = Judge(kernel)
    assert verdict(judge.run("one()", 30))[0] == "ProtocolError"
    run_in_kernel(kernel, "s._perform = _real")
    assert verdict(judge.run("from course.checks import check_equal\ncheck_equal('one()', one(), 1)", 30)) == "passed"


def test_a_failed_check_inside_a_callback_fails_the_cell_even_if_the_students_code_swallows_it(kernel):
    run_in_kernel(kernel, "def careless(f):\n    try:\n        return f(1)\n"
                          "    except BaseException:\n        return 0")
    test = ("from course.checks import CheckFailed\n"
            "def probe(x):\n    raise CheckFailed('called with the wrong x')\n"
            "careless(probe)")
    assert verdict(Judge(kernel).run(test, 30)) == ("CheckFailed", "called with the wrong x")


def test_an_unanswered_exercise_is_named_in_the_feedback(kernel):
    run_in_kernel(kernel, "class NN:\n    def train(self, X, Y, n_iter):\n        raise NotImplementedError()")
    outputs = Judge(kernel).run("NN().train(1, 2, 3)", 30)
    ename, evalue = verdict(outputs)
    assert ename == "NotImplementedError" and evalue.startswith("`train` is not written yet: finish Exercise 7")
    assert outputs[-1]["traceback"] == [f"\x1b[0;31mNot finished:\x1b[0m {evalue}"]


def test_a_notimplementederror_of_the_students_own_helper_keeps_its_traceback(kernel):
    run_in_kernel(kernel, "def helper(x):\n    raise NotImplementedError('later')")
    outputs = Judge(kernel).run("helper(1)", 30)
    assert verdict(outputs) == ("NotImplementedError", "later") and "helper" in "".join(outputs[-1]["traceback"])


def test_a_name_an_exercise_defines_but_the_kernel_lacks_is_named_in_the_feedback(kernel):
    outputs = Judge(kernel).run("print(X3.shape)", 30)
    assert verdict(outputs) == ("NameError", "`X3` is not defined yet: finish Exercise 3 and run its cell, "
                                             "then run this one again.")
    assert verdict(Judge(kernel).run("print(not_an_exercise)", 30))[0] == "NameError"
