"""Sandbox uids: fresh for every submission, outside every range a system service uses, never taken twice."""
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from grader.sandbox import uids


def test_the_range_avoids_system_login_dynamic_and_container_users():
    first, last = uids.FIRST, uids.FIRST + uids.COUNT - 1
    for low, high in [(0, 60513), (61184, 65519), (65534, 65535), (524288, 1879048191), (0x7FFE0000, 2 ** 32 - 1)]:
        assert last < low or first > high, (low, high)


def test_uids_are_never_handed_out_twice(tmp_path):
    def take(_):
        with uids.Uid(tmp_path) as uid:
            return uid
    taken = list(ThreadPoolExecutor(8).map(take, range(200)))
    assert len(set(taken)) == 200
    assert sorted(int(p.name) for p in tmp_path.iterdir()) == sorted(taken), "each one stays spent"


def test_a_uid_someone_runs_as_is_skipped(tmp_path, monkeypatch):
    busy = uids.FIRST + 7
    draws = iter([7, 7, 8])
    monkeypatch.setattr(uids.secrets, "randbelow", lambda n: next(draws))
    monkeypatch.setattr(uids, "running_as", lambda uid: [1] if uid == busy else [])
    with uids.Uid(tmp_path / "a") as uid:
        assert uid == uids.FIRST + 8


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run as another uid")
def test_processes_left_under_a_uid_are_killed_when_it_is_given_back(tmp_path):
    import subprocess
    import time
    with uids.Uid(tmp_path) as uid:
        proc = subprocess.Popen(["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "sleep", "300"])
        deadline = time.monotonic() + 10
        while not uids.running_as(uid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert uids.running_as(uid)
    assert proc.wait(timeout=10) == -9 and uids.running_as(uid) == []
