"""The optional appendix appendix/pytorch.ipynb: committed clean, and runs top to bottom with or without PyTorch.

Without PyTorch the notebook must print one message naming the CPU-build install
command and skip every later cell quietly. That path is tested with PyTorch hidden
from the kernel (a `torch` package on PYTHONPATH that raises ImportError), so it is
tested even where torch is installed.

With PyTorch the notebook compares the course's gradients with autograd. That test
runs when torch is importable in the Python running pytest, or when
APPENDIX_TORCH_PYTHON names another Python that has torch, ipykernel and the
course's runtime packages (for example a separate venv with requirements.txt and
requirements-extra.txt); otherwise it is skipped.
"""
import importlib.util
import json
import os
import re
import subprocess
import sys

import nbformat
import pytest
from nbclient import NotebookClient

from grader.kernels import use_ipc
from tests.support.environment import REPO

NOTEBOOK = REPO / "appendix" / "pytorch.ipynb"
INSTALL = "pip install torch --index-url https://download.pytorch.org/whl/cpu"
SKIPPED = "(skipped: PyTorch is not installed)"
GRADIENT = re.compile(r"^(d[Wb]\d+) +shape .*relative error (\S+)$", re.M)


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def printed(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def execute(kernel_name, env):
    """The appendix executed in a fresh kernel, run from its own folder, with `env` added to the environment."""
    nb = nbformat.read(str(NOTEBOOK), as_version=4)
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("NBGRADER_EXECUTION", raising=False)
        for name, value in env.items():
            mp.setenv(name, value)
        NotebookClient(nb, timeout=120, kernel_name=kernel_name, allow_errors=True, config=use_ipc(),
                       resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    return nb


def assert_ran_cleanly(nb):
    cells = code_cells(nb)
    assert all(c.execution_count is not None for c in cells), "a code cell was not executed"
    errors = [(c.id, o.ename, o.evalue) for c in cells for o in c.outputs if o.output_type == "error"]
    assert not errors, f"cells raised: {errors}"
    noise = [(c.id, o.text[:300]) for c in cells for o in c.outputs
             if o.output_type == "stream" and o.name == "stderr"]
    assert not noise, f"cells wrote to stderr: {noise}"


def pythonpath(*folders):
    return os.pathsep.join([*map(str, folders), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)


@pytest.fixture(scope="module")
def without_torch(tmp_path_factory):
    """The appendix run by the kernel of the Python running the tests, with PyTorch hidden from it."""
    hide = tmp_path_factory.mktemp("no-torch")
    (hide / "torch").mkdir()
    (hide / "torch" / "__init__.py").write_text('raise ImportError("PyTorch hidden by tests/test_appendix.py")\n')
    return execute("python3", {"PYTHONPATH": pythonpath(hide, REPO)})


def test_committed_without_outputs():
    nb = nbformat.read(str(NOTEBOOK), as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    dirty = [c.id for c in code_cells(nb) if c.outputs or c.execution_count is not None]
    assert not dirty, f"cells committed with outputs or execution counts: {dirty}"
    graded = [c.id for c in nb.cells if "nbgrader" in c.metadata]
    assert not graded and "nbgrader" not in nb.metadata, f"the appendix is not an nbgrader assignment: {graded}"
    assert nb.cells[0].cell_type == "markdown"
    assert nb.cells[0].source.startswith("# Appendix · The same network in PyTorch")
    first = code_cells(nb)[0].source
    assert "from course.notebook import setup" in first and "setup()" in first
    assert nb.cells[-1].cell_type == "markdown" and nb.cells[-1].source.startswith("## Summary")


def test_requirements_extra_installs_the_cpu_build_the_notebook_names():
    lines = [line.strip() for line in (REPO / "requirements-extra.txt").read_text().splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    assert "--index-url https://download.pytorch.org/whl/cpu" in lines
    assert [line for line in lines if not line.startswith("--")] == ["torch==2.13.0"]
    assert INSTALL.split("--index-url ")[1] in lines[0], "the notebook and requirements-extra.txt name one index"


def test_runs_without_torch_and_says_what_to_install(without_torch):
    assert_ran_cleanly(without_torch)
    first, *later = code_cells(without_torch)
    message = printed(first)
    assert "PyTorch is not installed" in message and INSTALL in message, message
    everything = "".join(printed(c) for c in code_cells(without_torch))
    assert everything.count("PyTorch is not installed, so") == 1, "the install message is printed once"
    for cell in later:
        if "if torch is None" in cell.source:
            assert printed(cell) == SKIPPED + "\n", f"{cell.id} printed {printed(cell)!r}"
        else:
            assert printed(cell) == "", f"{cell.id} does not need torch yet printed {printed(cell)!r}"
    assert sum("if torch is None" in c.source for c in later) >= 4
    images = [o for c in later for o in c.outputs if "image/png" in o.get("data", {})]
    assert not images, "without PyTorch there is nothing to plot"


def torch_kernel(tmp_path):
    """The name of a kernel whose Python imports torch, after making its kernelspec if needed; None if there is none."""
    if importlib.util.find_spec("torch") is not None:
        return "python3"
    python = os.environ.get("APPENDIX_TORCH_PYTHON")
    if not python:
        return None
    check = subprocess.run([python, "-c", "import torch, ipykernel; from course.notebook import setup; setup()"],
                           capture_output=True, text=True, env={**os.environ, "PYTHONPATH": pythonpath(REPO)})
    if check.returncode != 0:
        pytest.fail(f"APPENDIX_TORCH_PYTHON={python} cannot run the appendix's first cell:\n{check.stderr[-2000:]}")
    spec = tmp_path / "kernels" / "appendix-torch"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "appendix with torch", "language": "python"}))
    return "appendix-torch"


def test_with_torch_gradients_and_training_agree(tmp_path):
    kernel = torch_kernel(tmp_path)
    if kernel is None:
        pytest.skip(f"PyTorch is not importable in {sys.executable}; install requirements-extra.txt, or set "
                    "APPENDIX_TORCH_PYTHON to a Python that has torch, ipykernel and the course's runtime packages")
    nb = execute(kernel, {"PYTHONPATH": pythonpath(REPO), "JUPYTER_PATH": str(tmp_path)})
    assert_ran_cleanly(nb)
    text = "".join(printed(c) for c in code_cells(nb))
    assert "PyTorch is not installed" not in text and SKIPPED not in text
    assert "output for x = (6.1, 8.7): course 0.0017178, PyTorch 0.0017178" in text

    gradients = {name: float(error) for name, error in GRADIENT.findall(text)}
    assert sorted(gradients) == ["dW1", "dW2", "dW3", "db1", "db2", "db3"], text
    assert max(gradients.values()) < 1e-9, f"course and autograd gradients differ: {gradients}"

    loss_gap = float(re.search(r"largest difference between the two loss curves: (\S+)", text).group(1))
    weight_gap = float(re.search(r"largest difference between the final weights and biases: (\S+)", text).group(1))
    assert loss_gap < 1e-9 and weight_gap < 1e-9, (loss_gap, weight_gap)
    images = [o for c in code_cells(nb) for o in c.outputs if "image/png" in o.get("data", {})]
    assert len(images) == 1, "the training cell draws the two loss curves"

    rows = re.findall(r"^ *(\[[\d, ]+\]) +([\d.]+) ms +([\d.]+) ms +([\d.]+)$", text, re.M)
    assert [r[0] for r in rows] == ["[10, 16, 8, 1]", "[10, 64, 64, 1]", "[10, 256, 256, 1]"], text
    for _, course, torch_ms, ratio in rows:
        assert float(ratio) == pytest.approx(float(course) / float(torch_ms), rel=0.05, abs=0.01)
