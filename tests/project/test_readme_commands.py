"""Every command the README shows runs as written, in the order shown.

The commands are read from the README's ``sh`` blocks, not copied here, so a
command that changes there is the command tested. ``make run`` itself runs (it
writes the development ``.env``, migrates, loads the reference data and serves on
its default HOST and PORT); the ``manage.py`` commands then run in a sandbox
checkout (symlinks to this one, so the files they read and write, ``events.csv``,
``november.csv``, stay in a temporary folder) with **no** ``DJANGO_DEBUG`` in their
environment, as a user's shell would have; the ``curl`` examples run against that
server. ``createsuperuser`` is answered on a pseudo-terminal, as a person would.

Left out, each for its reason (:data:`NOT_RUN`): ``make test`` (this is it),
``import_reference_data --from /path/to/shared`` (a placeholder path; it rewrites
``data/``) and ``make fixtures`` (it rewrites ``fixtures/``; its own test checks it).
"""

import os
import pty
import re
import select
import shlex
import shutil
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from tests import ROOT, TEST_DATA

README = ROOT / "README.md"
HOST, PORT = "127.0.0.1", 8000
NOT_RUN = {
    "make test": "this suite is make test",
    "import_reference_data --from /path/to/shared": "a placeholder; rewrites data/",
    "make fixtures": "rewrites fixtures/; tests/ingest checks its output",
}
LINKED = [".venv", "manage.py", "config", "incidents", "data", "fixtures", "locale"]
LINKED += ["templates", "static"]
PASSWORD = "correct-horse-battery-staple-42"  # noqa: S105 - a throwaway user


def _complete(command: str) -> bool:
    """Whether ``command`` is whole: no open quote, no trailing backslash."""
    if command.endswith("\\"):
        return False
    try:
        shlex.split(command, comments=True)
    except ValueError:  # "No closing quotation": the quote goes on next line
        return False
    return True


def readme_commands() -> list[str]:
    """The README's shell commands in order, as a shell reads them: lines joined
    while a quote is open or a backslash continues them; comments dropped."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", README.read_text(), re.S):
        pending = ""
        for line in block.splitlines():
            pending = f"{pending}\n{line}" if pending else line
            if not _complete(pending):
                continue
            command = re.sub(r"\s+#[^'\"]*$", "", pending).strip()
            pending = ""
            if command and not command.startswith("#"):
                commands.append(command)
        assert not pending, f"unfinished command in the README: {pending}"
    return commands


def _skipped(command: str) -> bool:
    return any(fragment in command for fragment in NOT_RUN)


def test_the_readme_shows_the_commands_this_test_runs():
    commands = readme_commands()
    assert commands[0] == "make run"
    assert ".venv/bin/python manage.py createsuperuser" in commands
    assert sum(c.startswith("curl") for c in commands) >= 5
    assert [c for c in commands if _skipped(c)] == [
        c for c in commands if any(f in c for f in NOT_RUN)
    ]


def _port_free() -> bool:
    with socket.socket() as probe:
        return probe.connect_ex((HOST, PORT)) != 0


@pytest.fixture
def sandbox(tmp_path):
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    for name in LINKED:
        (checkout / name).symlink_to(ROOT / name)
    shutil.copy(TEST_DATA / "acled" / "syria-iraq-2023.csv", checkout / "events.csv")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "BASEWATCH_", "DATABASE_URL"))
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/readme.sqlite3"
    return checkout, env


def _answer_on_a_terminal(command: str, cwd, env, dialogue) -> str:
    """Run ``command`` on a pseudo-terminal and answer its prompts as a person
    would: each ``(prompt, reply)`` of ``dialogue`` is typed once ``prompt`` has
    been printed (typing ahead would be lost: getpass flushes pending input)."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(  # noqa: S602 - the README's command
        command,
        shell=True,
        cwd=cwd,
        env=env,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        start_new_session=True,  # no controlling terminal: getpass reads stdin
    )
    os.close(terminal)
    output = ""
    waiting = list(dialogue)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 1)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the command closed the terminal: it is done
                break
            if not chunk:
                break
            output += chunk.decode(errors="replace")
            while waiting and waiting[0][0] in output:
                prompt, reply = waiting.pop(0)
                output = output.replace(prompt, f"{prompt}<answered>", 1)
                os.write(controller, reply.encode() + b"\n")
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        os.close(controller)
    assert process.returncode == 0, output
    assert not waiting, (waiting, output)
    return output


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_every_readme_command_runs_as_written(sandbox, tmp_path):
    checkout, env = sandbox
    assert _port_free(), f"{HOST}:{PORT} is taken; make run needs it"
    commands = readme_commands()
    server = subprocess.Popen(  # noqa: S603 - make run, as the README says
        [*shlex.split(commands[0]), f"ENV_FILE={tmp_path}/.env"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                with urllib.request.urlopen(f"http://{HOST}:{PORT}/", timeout=5):  # noqa: S310
                    break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "make run did not serve in 240 s"
                time.sleep(1)
        assert (tmp_path / ".env").read_text().strip().endswith("DJANGO_DEBUG=1")
        # The sandbox reads the .env make run wrote, and nothing else sets DEBUG.
        env = {**env, "BASEWATCH_ENV_FILE": str(tmp_path / ".env")}
        assert "DJANGO_DEBUG" not in env

        for command in commands[1:]:
            if _skipped(command):
                continue
            if command.endswith("createsuperuser"):
                dialogue = [
                    ("Username", "admin"),
                    ("Email address:", "admin@example.org"),
                    ("Password:", PASSWORD),
                    ("Password (again):", PASSWORD),
                ]
                printed = _answer_on_a_terminal(command, checkout, env, dialogue)
                assert "Superuser created successfully" in printed, printed
                token = subprocess.run(  # noqa: S603 - the README's token command
                    [".venv/bin/python", "manage.py", "drf_create_token", "admin"],
                    cwd=checkout,
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout.split()[2]
                env["TOKEN"] = token
                continue
            done = subprocess.run(  # noqa: S602 - the README's command
                command,
                shell=True,
                cwd=checkout,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert done.returncode == 0, (command, done.stdout, done.stderr)
            assert "Refusing to start" not in done.stderr, command
            if command.startswith("curl"):
                assert done.stdout.strip(), command
                assert "Server Error" not in done.stdout, command
                if "-X POST" in command:  # the editor's write made a draft
                    assert '"status":"draft"' in done.stdout, done.stdout
        assert (checkout / "november.csv").stat().st_size > 0
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
