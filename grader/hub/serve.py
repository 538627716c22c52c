"""Run JupyterHub until told to stop, then make sure that every process it started has stopped too.

This process becomes a child subreaper (Linux's PR_SET_CHILD_SUBREAPER): whatever the hub starts, and whatever
those start (the proxy, each user's server, kernels, terminals, a daemon a student leaves behind), is re-parented
to it when its own parent ends, never to init. On Ctrl-C, SIGTERM or SIGHUP it asks the hub to stop (the hub
stops the users' servers and its proxy), waits, and then ends every descendant still running, by its pid:
SIGTERM, then SIGKILL. Its own pid is in <root>/state/course-hub.pid.
"""
import ctypes
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import psutil

PR_SET_CHILD_SUBREAPER = 36
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
KEPT = ("LANG", "LC_ALL", "TZ")
LAST_LINE = "Stop it with Ctrl-C"


def become_subreaper():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


def free_ports(count):
    """`count` different ports free on loopback now (held together while they are chosen)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def port_is_free(ip, port):
    with socket.socket() as s:
        try:
            s.bind((ip, port))
        except OSError:
            return False
    return True


def running(pid_file):
    """The pid in `pid_file` if that process is alive, else None."""
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE else None


def environment(settings):
    """The hub's environment, built afresh: the hub's venv first on PATH, nothing of root's own Python."""
    env = {name: os.environ[name] for name in KEPT if name in os.environ}
    env.update({"PATH": f"{settings.venv / 'bin'}:{SYSTEM_PATH}", "HOME": "/root", "SHELL": "/bin/bash",
                "COURSE_HUB_SETTINGS": str(settings.settings_file),
                "CONFIGPROXY_AUTH_TOKEN": secrets.token_hex(32)})
    env.setdefault("LANG", "C.UTF-8")
    return env


def answers(url):
    try:
        with urllib.request.urlopen(f"{url}/hub/api", timeout=3) as response:
            return response.status == 200
    except OSError:
        return False


def stop_descendants(grace=10.0, say=print):
    """End every process below this one, by pid (SIGTERM, then SIGKILL); the pids that had to be ended."""
    left = psutil.Process().children(recursive=True)
    pids = [p.pid for p in left]
    for process in left:
        try:
            process.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(left, timeout=grace)
    for process in alive:
        try:
            process.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=5)
    reap()
    if pids:
        say(f"stopped {len(pids)} process(es) the hub left running: {' '.join(map(str, pids))}")
    return pids


def reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def serve(settings, banner, stream=sys.stdout):
    """Start the hub, print `banner` once it answers, and run until it ends or is told to stop."""
    become_subreaper()
    settings.pid_file.write_text(f"{os.getpid()}\n")
    command = [str(settings.venv / "bin" / "jupyterhub"), "-f", str(settings.hub_config)]
    hub = subprocess.Popen(command, cwd=settings.state, env=environment(settings), start_new_session=True)
    state = {"stopping": False, "code": None}

    def stop(signum, _frame):
        if not state["stopping"]:
            state["stopping"] = True
            print(f"\nstopping the hub ({signal.Signals(signum).name})", file=stream, flush=True)
        if state["code"] is None:
            try:
                os.kill(hub.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)

    def announce():
        while state["code"] is None and not state["stopping"]:
            if answers(settings.url):
                print(banner, file=stream, flush=True)
                return
            time.sleep(0.5)

    threading.Thread(target=announce, daemon=True).start()
    try:
        while state["code"] is None:  # reap every child that ends, the hub's own exit among them
            try:
                pid, status = os.waitpid(-1, 0)
            except ChildProcessError:
                break
            if pid == hub.pid:
                state["code"] = os.waitstatus_to_exitcode(status)
        stop_descendants(say=lambda line: print(line, file=stream, flush=True))
    finally:
        settings.pid_file.unlink(missing_ok=True)
    code = state["code"] or 0
    if state["stopping"]:
        print("the hub has stopped, and every process it started", file=stream, flush=True)
        return 0
    return code
