"""The training benchmark runs without torch and says that it skipped the comparison."""
import subprocess
import sys

from conftest import REPO


def test_training_bench_times_the_course_network_and_skips_torch_cleanly():
    proc = subprocess.run([sys.executable, str(REPO / "bench" / "training.py"), "--epochs", "2"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "ms" in out and "course" in out.lower(), out
    try:
        import torch  # noqa: F401
    except ImportError:
        assert "torch not installed: skipping the PyTorch comparison" in out, out
    else:
        assert "ratio" in out.lower(), out
