"""The static tamper scan flags what it should, and leaves honest answers alone."""
import pytest

from grader.tamper import scan_source

HONEST = [
    "import numpy as np\ndef relu(z):\n    return np.maximum(0, z)",
    "def forward(self, X):\n    out = {'x0': X}\n    for l in range(1, self.L):\n"
    "        out[f'z{l}'] = out[f'x{l-1}'] @ self.params[f'W{l}']\n    return out",
    "import math\nx = eval('1 + 1')\nvalues = [v ** 2 for v in range(3)]",
    "with open('results.txt', 'w') as f:\n    f.write('ok')",
    "%matplotlib inline\nplt.plot([1, 2])",
    "from course.checks import check_array\ncheck_array('relu(z)', relu(z), [0.0, 1.0])",
    "from course.checks.nn_class import check_relu\ncheck_relu(relu)",
    'import os\nprint(os.getcwd(), os.path.join("a", "b"))',
    "import os.path as osp\nprint(osp.exists('data.csv'))",
]

CHEATS = [
    ("import numpy as np\nnp.allclose = lambda *a, **k: True", "changes np.allclose"),
    ("import numpy\nsetattr(numpy, 'isclose', lambda *a: True)", "setattr"),
    ("import builtins\nbuiltins.isinstance = lambda *a: True", "changes builtins.isinstance"),
    ("np = None", "rebinds np"),
    ("get_ipython().input_transformers_post.append(lambda lines: ['pass'])", "input_transformers_post"),
    ("ip = get_ipython()\nip.ast_transformers.append(object())", "ast_transformers"),
    ("get_ipython().set_custom_exc((Exception,), lambda *a: None)", "set_custom_exc"),
    ("get_ipython().showtraceback = lambda *a, **k: None", "showtraceback"),
    ("import sqlite3\nsqlite3.connect('gradebook.db')", "imports sqlite3"),
    ("from ctypes import CDLL", "imports ctypes"),
    ("import subprocess as sp", "imports subprocess"),
    ("open('/etc/passwd').read()", "outside its folder"),
    ("open('../../gradebook.db', 'rb')", "outside its folder"),
    ("code = 'x' + '= 1'\nexec(code)", "runs built code with exec()"),
    ("eval(input())", "runs built code with eval()"),
    ("import os\nos._exit(0)", "os._exit"),
    ("import course.checks\ncourse.checks.check_array = lambda *a, **k: None", "changes course.checks.check_array"),
    ("import sys\nsys.modules['numpy'] = None", "sys.modules"),
    ("from course.checks.forward_pass import _relu as relu", "not a check"),
    ("import course.checks.nn_class\nrelu = course.checks.nn_class.RELU['activation']", "not a check"),
    ("from course.checks.nn_class import EXPECTED", "not a check"),
    ('__import__("sqlite3").connect("gradebook.db")', "imports sqlite3 with __import__()"),
    ('ctypes = __import__("ctypes")', "imports ctypes with __import__()"),
    ('__import__("subprocess").run(["ls"])', "imports subprocess with __import__()"),
    ('import importlib\nimportlib.import_module("socket")', "imports socket with import_module()"),
    ("import os as o\no.fork()", "calls os.fork (as o.fork)"),
    ('o = __import__("os")\no.kill(1, 9)', "calls os.kill (as o.kill)"),
    ("from os import fork as spawn\nspawn()", "takes os.fork"),
    ("import posix\nposix.fork()", "imports posix"),
    ("import multiprocessing\nmultiprocessing.Process(target=print).start()", "imports multiprocessing"),
    ("import linecache\nprint(linecache.cache)", "imports linecache"),
]


@pytest.mark.parametrize("source", HONEST)
def test_honest_code_is_not_flagged(source):
    assert scan_source(source) == []


@pytest.mark.parametrize("source,phrase", CHEATS)
def test_tampering_is_flagged(source, phrase):
    reasons = scan_source(source)
    assert any(phrase in r for r in reasons), reasons
