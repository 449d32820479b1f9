"""A newcomer's first hour: the Makefile checks Python, follows PORT, and finds Chromium."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def make(*args, cwd=ROOT):
    return subprocess.run(
        ["make", "--no-print-directory", *args], cwd=cwd, capture_output=True, text=True
    )


def test_port_also_sets_the_address_in_e_mails():
    assert "SITE_URL=http://127.0.0.1:8101 " in make("-n", "run", "PORT=8101").stdout
    given = make("-n", "run", "PORT=8101", "SITE_URL=https://edu.example.org").stdout
    assert "SITE_URL=https://edu.example.org " in given


def test_an_old_python_is_refused_with_the_way_out(tmp_path):
    shutil.copy(ROOT / "Makefile", tmp_path)
    old = tmp_path / "python3.10"
    old.write_text('#!/bin/sh\n[ "$1" = "--version" ] && echo "Python 3.10.12" && exit 0\nexit 1\n')
    old.chmod(0o755)
    result = make(".venv/bin/python", f"PYTHON={old}", cwd=tmp_path)
    assert result.returncode != 0
    assert "Python 3.11 or newer is needed" in result.stdout
    assert "Python 3.10.12" in result.stdout and "PYTHON=" in result.stdout
    assert not (tmp_path / ".venv").exists()


def test_without_chromium_and_without_root_make_test_says_the_one_command():
    script = ROOT / "scripts" / "ensure_chromium.sh"
    folder = None
    if os.geteuid() == 0:
        if not shutil.which("runuser"):
            pytest.skip("running as root without runuser: cannot try the path of a plain user")
        # A copy that the plain user can reach: the checkout may sit in a folder only root
        # may enter (mktemp -d makes such folders).
        folder = Path(tempfile.mkdtemp())
        folder.chmod(0o755)
        script = Path(shutil.copy(script, folder))
        script.chmod(0o755)
    command = [str(script), "/nonexistent/chromium"]
    if folder is not None:
        command = ["runuser", "-u", "nobody", "--", *command]
    try:
        result = subprocess.run(command, capture_output=True, text=True)
    finally:
        if folder is not None:
            shutil.rmtree(folder)
    assert result.returncode == 1
    assert "sudo apt-get install -y chromium" in result.stderr
    assert "CHROMIUM=/path/to/chromium make test" in result.stderr


def test_make_test_looks_for_chromium_before_anything_else():
    lines = make("-n", "test", "CHROMIUM=/opt/chromium/chrome").stdout.splitlines()
    assert lines[0] == 'scripts/ensure_chromium.sh "/opt/chromium/chrome"'
    assert lines[-1].startswith("CHROMIUM=/opt/chromium/chrome .venv/bin/pytest")
