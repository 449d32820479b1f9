"""Services of our own that the fault tests stop and start: a redis-server on a private port
(never the shared one), moto's S3 server, a mail backend that refuses."""

import shutil
import smtplib
import socket
import subprocess
import time

import boto3
import pytest
from django.core.mail.backends.base import BaseEmailBackend

from platform_site import resilient_cache
from platform_site.resilient_cache import ResilientRedisCache
from platform_site.settings import media_storage

BUCKET = "fault-media"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A redis-server of the test's own, on a private port, stopped and started at will."""

    def __init__(self, directory):
        self.port = free_port()
        self.directory = directory
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                if self.command("PING") == "+PONG":
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self, *, keep_data: bool = False) -> None:
        """Stop it. With `keep_data` it saves first and the next start reads the copy back,
        as a Redis that was only unreachable comes back with its old keys."""
        if keep_data:
            assert self.command("SAVE") == "+OK"
        else:
            (self.directory / "dump.rdb").unlink(missing_ok=True)
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process = None

    def command(self, *words: str) -> str:
        """Send one command, return the first line of the answer."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
            payload = f"*{len(words)}\r\n" + "".join(f"${len(w)}\r\n{w}\r\n" for w in words)
            sock.sendall(payload.encode())
            return sock.recv(65536).split(b"\r\n", 1)[0].decode()


@pytest.fixture
def redis_server(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server (CI installs it)")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process:
        server.stop()


@pytest.fixture
def shared_cache(redis_server, settings, monkeypatch):
    """The site's cache on the private Redis, trying again 0.2 s after a failure."""
    monkeypatch.setattr(resilient_cache, "RETRY_AFTER", 0.2)
    ResilientRedisCache._circuits.pop(f"redis://127.0.0.1:{redis_server.port}/0", None)
    settings.CACHES = {
        "default": {
            "BACKEND": "platform_site.resilient_cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "faults",
        }
    }
    from django.core.cache import cache

    yield cache


def wait_for_retry() -> None:
    time.sleep(0.25)


class RefusingEmailBackend(BaseEmailBackend):
    """A mail server that hangs up, as smtplib reports it."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class S3Server:
    def __init__(self):
        from moto.server import ThreadedMotoServer

        self._server_class = ThreadedMotoServer
        self.port = free_port()
        self.server = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.server = self._server_class(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()

    def stop(self) -> None:
        self.server.stop()
        self.server = None


@pytest.fixture
def s3_server():
    server = S3Server()
    server.start()
    yield server
    if server.server:
        server.stop()


S3_VARIABLES = {
    "AWS_STORAGE_BUCKET_NAME": BUCKET,
    "AWS_ACCESS_KEY_ID": "faults-test",
    "AWS_SECRET_ACCESS_KEY": "faults-test-secret",
    "AWS_S3_REGION_NAME": "us-east-1",
}


@pytest.fixture
def s3_bucket(s3_server, settings, monkeypatch):
    """MEDIA_STORAGE=s3 on the moto server, with an empty bucket; yields a boto3 client."""
    for name, value in {**S3_VARIABLES, "AWS_S3_ENDPOINT_URL": s3_server.endpoint}.items():
        monkeypatch.setenv(name, value)
    storage, _origins = media_storage("s3")
    client = boto3.client(
        "s3",
        endpoint_url=s3_server.endpoint,
        aws_access_key_id="faults-test",
        aws_secret_access_key="faults-test-secret",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    yield client
    if not s3_server.server:
        s3_server.start()
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def bucket_keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))
