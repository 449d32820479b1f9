"""deploy/nginx.conf, run by a real nginx in front of a stand-in app: nginx's own error pages
(400, 413; 502 and the others go through the same error_page) carry the security headers and no version; the app's pages keep exactly the
app's headers (finding 6 of issue 14). Skipped where nginx is not installed (CI installs it)."""

import http.server
import shutil
import socket
import ssl
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CONFIG = Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf"
APP_CSP = "default-src 'self'; script-src 'self'"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class App(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Security-Policy", APP_CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(b"<p>app</p>")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    root = tmp_path_factory.mktemp("nginx")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=edu.example.org", "-keyout", str(root / "key.pem"),
         "-out", str(root / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    https, plain, app_port = free_port(), free_port(), free_port()
    site = (
        CONFIG.read_text()
        .replace("listen 80;", f"listen 127.0.0.1:{plain};")
        .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl;")
        .replace("/etc/letsencrypt/live/edu.example.org/fullchain.pem", str(root / "cert.pem"))
        .replace("/etc/letsencrypt/live/edu.example.org/privkey.pem", str(root / "key.pem"))
        .replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
    )
    assert site.count(f"127.0.0.1:{app_port}") == 1
    (root / "site.conf").write_text(site)
    temp = "\n".join(
        f"  {kind}_temp_path {root / kind};" for kind in ("proxy", "fastcgi", "uwsgi", "scgi")
    )
    (root / "nginx.conf").write_text(
        f"worker_processes 1; pid {root / 'nginx.pid'}; error_log {root / 'error.log'};\n"
        "daemon off; events { worker_connections 64; }\n"
        f"http {{ include /etc/nginx/mime.types; access_log off;\n"
        f"  client_body_temp_path {root / 'body'};\n{temp}\n"
        f"  include {root / 'site.conf'}; }}\n"
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", app_port), App)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    process = subprocess.Popen([NGINX, "-p", str(root), "-c", str(root / "nginx.conf")])
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", https), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield {"https": https, "plain": plain, "root": root}
    process.terminate()
    process.wait(10)
    server.shutdown()


def fetch(port, path="/ar/", *, method="GET", data=None, headers=None):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    request = urllib.request.Request(
        f"https://127.0.0.1:{port}{path}",
        data=data,
        method=method,
        headers={"Host": "edu.example.org", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, context=context, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


SECURITY_HEADERS = [
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Content-Security-Policy",
    "Permissions-Policy",
]


def test_nginx_error_pages_carry_the_headers_and_no_version(nginx):
    big = b"\x00" * (26 * 1024 * 1024)
    status, headers, body = fetch(nginx["https"], "/ar/contact/", method="POST", data=big)
    assert status == 413
    for name in SECURITY_HEADERS:
        assert headers.get(name), (status, name)
    assert headers["Server"] == "nginx" and b"nginx" not in body


def test_a_bad_request_too(nginx):
    status, headers, body = fetch(nginx["https"], headers={"Content-Length": "abc"})
    assert status == 400 and headers["X-Frame-Options"] == "DENY"
    assert headers["Server"] == "nginx" and b"nginx/" not in body
    site = nginx["root"] / "site.conf"
    assert "server_tokens off;" in site.read_text()


def test_the_apps_pages_keep_the_apps_own_headers_once(nginx):
    status, headers, body = fetch(nginx["https"])
    assert status == 200 and body == b"<p>app</p>"
    assert headers.get_all("Content-Security-Policy") == [APP_CSP]
    assert headers.get_all("X-Content-Type-Options") == ["nosniff"]
