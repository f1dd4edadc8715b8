"""What the end-to-end test runs and talks to: private redis-server processes, `clinic-bot
serve` processes (each with its own copy of flows/ and locales/), PostgreSQL through psql, and
the fake Bot API. Everything started here is stopped by Harness.cleanup(), also on failure.
"""
import itertools
import json
import os
import pathlib
import random
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from locales import Texts

ROOT = pathlib.Path(__file__).resolve().parents[2]
TOKEN = "123456:TEST-token"


class ScenarioFailure(AssertionError):
    """A scenario's expectation that did not hold: the reason is the message."""


def check(condition, reason):
    if not condition:
        raise ScenarioFailure(reason)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_program(name, *candidates):
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which(name)
    if found:
        return found
    for pattern in (f"/usr/lib/postgresql/*/bin/{name}",):
        matches = sorted(pathlib.Path("/").glob(pattern.lstrip("/")), reverse=True)
        if matches:
            return str(matches[0])
    raise RuntimeError(f"{name} not found")


def tail(path, lines=40):
    try:
        text = pathlib.Path(path).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def _stop_process(process, timeout=10.0):
    """SIGCONT (in case it was paused), SIGTERM, then SIGKILL after `timeout`."""
    if process is None or process.poll() is not None:
        return process.returncode if process else None
    for sig in (signal.SIGCONT, signal.SIGTERM):
        try:
            process.send_signal(sig)
        except ProcessLookupError:
            return process.poll()
    try:
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait(5)


@dataclass
class Response:
    status: "int | None"          # None: no HTTP answer (connection refused, timeout)
    headers: dict = field(default_factory=dict)   # lower-case names
    body: bytes = b""
    elapsed: float = 0.0
    error: str = ""

    @property
    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def __str__(self):
        if self.status is None:
            return f"no answer ({self.error}) after {self.elapsed:.1f}s"
        return f"{self.status} {self.body[:200].decode('utf-8', 'replace')!r} after {self.elapsed:.1f}s"


def http(method, url, body=None, headers=None, timeout=30.0):
    started = time.monotonic()
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return Response(answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read(),
                            time.monotonic() - started)
    except urllib.error.HTTPError as error:
        return Response(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read(),
                        time.monotonic() - started)
    except (urllib.error.URLError, OSError) as error:
        return Response(None, elapsed=time.monotonic() - started, error=str(getattr(error, "reason", error)))


class Redis:
    """A private redis-server on 127.0.0.1 that keeps nothing on disk (sessions die with it)."""

    def __init__(self, harness, name):
        self.h, self.name = harness, name
        self.port = free_port()
        self.admin_port = free_port()
        self.dir = harness.tmp / name
        self.dir.mkdir(parents=True, exist_ok=True)
        self.log = self.dir / "redis.log"
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        """Starts (or restarts, on the same port) and waits until it answers PING."""
        self.process = subprocess.Popen(
            [self.h.redis_server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.dir)],
            stdout=open(self.log, "ab"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not self.ping():
            check(self.process.poll() is None, f"redis-server {self.name} exited: {tail(self.log, 10)}")
            check(time.monotonic() < deadline, f"redis-server {self.name} does not answer PING")
            time.sleep(0.05)
        return self

    def ping(self, timeout=0.5):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def command(self, *args):
        """One command through redis-cli, e.g. command("DBSIZE") → "3"."""
        done = subprocess.run([self.h.redis_cli, "-p", str(self.port), *map(str, args)],
                              capture_output=True, text=True, timeout=10)
        return done.stdout.strip()

    def pause(self):
        """SIGSTOP: Redis stops answering but keeps its data."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def stop(self):
        """A real stop: with --save "" everything in it is gone."""
        _stop_process(self.process)


class Server:
    """One `clinic-bot serve` process with its own copies of flows/ and locales/."""

    def __init__(self, harness, name, *, redis, webhook=True, env=None):
        self.h, self.name, self.redis, self.webhook = harness, name, redis, webhook
        self.port = free_port()
        self.admin_port = free_port()
        self.dir = harness.tmp / name
        self.flows = self.dir / "flows"
        self.locales = self.dir / "locales"
        self.dir.mkdir(parents=True, exist_ok=True)
        if not self.flows.exists():
            shutil.copytree(ROOT / "flows", self.flows)
            shutil.copytree(ROOT / "locales", self.locales)
        self.stdout, self.stderr = self.dir / "stdout.log", self.dir / "stderr.log"
        self.webhook_secret = "wh-" + secrets.token_urlsafe(32).replace("-", "_")
        self.webhook_url = f"https://e2e.invalid/{name}/api/bot/webhook"
        self.api_secret = secrets.token_urlsafe(32)
        self.env = {
            "TELEGRAM_BOT_TOKEN": harness.token,
            "TELEGRAM_API_URL": harness.fake.url,
            "USE_WEBHOOK": "true" if webhook else "false",
            "TELEGRAM_WEBHOOK_URL": self.webhook_url,
            "TELEGRAM_WEBHOOK_SECRET": self.webhook_secret,
            "TELEGRAM_BOT_API_SECRET": self.api_secret,
            "DATABASE_URL": harness.database_url,
            "PII_ENCRYPTION_KEY": harness.pii_key,
            "REDIS_URL": redis.url if redis else None,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "ADMIN_PORT": str(self.admin_port),
            "FLOWS_DIR": str(self.flows),
            "LOCALES_DIR": str(self.locales),
            "TELEGRAM_CHAT_SEND_RATE": "50",
            "FLOWS_RELOAD_SECONDS": "0.5",
        }
        self.env.update(env or {})
        self.process = None
        self.started_at_seq = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def fast(self):
        """Whether the per-chat send rate was raised (the fake then does not check it)."""
        rate = self.env.get("TELEGRAM_CHAT_SEND_RATE")
        return rate is not None and float(rate) > 1

    def start(self, timeout=60.0):
        env = dict(os.environ)
        for key, value in self.env.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        self.started_at_seq = self.h.fake.mark()
        self.process = subprocess.Popen([self.h.bin, "serve"], env=env, cwd=self.dir, stdin=subprocess.DEVNULL,
                                        stdout=open(self.stdout, "ab"), stderr=open(self.stderr, "ab"))
        deadline = time.monotonic() + timeout
        while True:
            check(self.process.poll() is None,
                  f"{self.name}: clinic-bot serve exited with {self.process.returncode} at start")
            if self.get("/healthz", timeout=2).status == 200:
                return self
            check(time.monotonic() < deadline, f"{self.name}: GET /healthz is not 200 after {timeout:.0f}s")
            time.sleep(0.1)

    def stop(self):
        return _stop_process(self.process)

    @property
    def running(self):
        return self.process is not None and self.process.poll() is None

    def get(self, path, timeout=10.0, headers=None):
        """/readyz and /metrics are on the admin port (loopback); everything else on the main one."""
        base = f"http://127.0.0.1:{self.admin_port}" if path in ("/readyz", "/metrics") else self.url
        return http("GET", base + path, headers=headers, timeout=timeout)

    def post_update(self, update, secret="default", timeout=30.0):
        """POSTs an update to the webhook; secret None: no header; "default": the right one."""
        headers = {"Content-Type": "application/json"}
        if secret == "default":
            secret = self.webhook_secret
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        body = json.dumps(update, ensure_ascii=False).encode("utf-8")
        return http("POST", self.url + "/api/bot/webhook", body, headers, timeout)

    def log_text(self):
        return "\n".join(p.read_text(encoding="utf-8", errors="replace")
                         for p in (self.stdout, self.stderr) if p.exists())

    def log_mark(self):
        """Where the logs end now: log_since(mark) gives what was written after."""
        return tuple(p.stat().st_size if p.exists() else 0 for p in (self.stdout, self.stderr))

    def log_since(self, mark):
        parts = []
        for path, offset in zip((self.stdout, self.stderr), mark):
            if path.exists():
                with open(path, "rb") as f:
                    f.seek(offset)
                    parts.append(f.read().decode("utf-8", "replace"))
        return "\n".join(parts)

    def log_tail(self, lines=40):
        parts = []
        for label, path in (("stderr", self.stderr), ("stdout", self.stdout)):
            text = tail(path, lines)
            if text:
                parts.append(f"--- {self.name} {label} (last {lines} lines) ---\n{text}")
        return "\n".join(parts) or f"--- {self.name}: no log output ---"


class Harness:
    """Shared by all scenarios: the fake Bot API, ids, the database, the processes to stop."""

    def __init__(self, bin_path, fake, tmp, database_url, pii_key, token=TOKEN, seed=None):
        self.bin = str(pathlib.Path(bin_path).resolve())
        self.fake, self.tmp = fake, pathlib.Path(tmp)
        self.database_url, self.pii_key, self.token = database_url, pii_key, token
        self.rng = random.Random(seed)
        self.texts = Texts(ROOT / "locales")
        self.redis_server = find_program("redis-server", "/usr/bin/redis-server")
        self.redis_cli = find_program("redis-cli", "/usr/bin/redis-cli")
        self.psql = find_program("psql", "/usr/lib/postgresql/15/bin/psql")
        # Telegram ids above 2^32, as real ones are now; random so that a database kept from
        # an earlier run holds no patient for them.
        self._user_ids = itertools.count(6_000_000_000 + self.rng.randrange(10**8) * 1000)
        self._update_ids = itertools.count(10**8 + self.rng.randrange(10**8))
        self._lock = threading.Lock()
        self.servers, self.redises = [], []
        self.scenario_servers, self.scenario_people, self.notes = [], [], []

    # ---- ids -----------------------------------------------------------------------------

    def new_user_id(self):
        with self._lock:
            return next(self._user_ids)

    def next_update_id(self):
        with self._lock:
            return next(self._update_ids)

    def new_callback_id(self):
        return str(self.rng.randrange(10**18, 10**19))

    # ---- processes -----------------------------------------------------------------------

    def start_redis(self, name="redis"):
        redis = Redis(self, f"{name}-{len(self.redises)}")
        self.redises.append(redis)
        return redis.start()

    def start_server(self, name, *, redis, webhook=True, env=None):
        server = Server(self, f"{name}-{len(self.servers)}", redis=redis, webhook=webhook, env=env)
        self.servers.append(server)
        self.scenario_servers.append(server)
        return server.start()

    def new_person(self, server, first_name="Тест", language_code="ru", polling=False):
        from person import Person  # here to keep the modules' import order simple
        person = Person(self, server, self.new_user_id(), first_name, language_code, polling=polling)
        if server is None or server.fast:
            self.fake.set_chat_rate(person.chat_id, None)
        self.scenario_people.append(person)
        return person

    def begin_scenario(self):
        self.scenario_servers, self.scenario_people, self.notes = [], [], []

    def end_scenario(self):
        """Stops the scenario's servers and every Redis (each scenario starts its own)."""
        for server in self.scenario_servers:
            server.stop()
        for redis in self.redises:
            redis.stop()

    def note(self, line):
        """A detail worth printing under the scenario's result."""
        self.notes.append(line)

    def cleanup(self):
        for server in self.servers:
            server.stop()
        for redis in self.redises:
            redis.stop()

    # ---- the database and the binary -----------------------------------------------------

    def sql(self, query):
        done = subprocess.run([self.psql, "-X", "-At", "-v", "ON_ERROR_STOP=1", self.database_url, "-c", query],
                              capture_output=True, text=True, timeout=60)
        check(done.returncode == 0, f"psql failed: {done.stderr.strip()[:300]} (query: {query[:120]})")
        return done.stdout.strip()

    def run_bin(self, *args, env=None, timeout=120):
        full_env = dict(os.environ, DATABASE_URL=self.database_url, PII_ENCRYPTION_KEY=self.pii_key, **(env or {}))
        return subprocess.run([self.bin, *args], capture_output=True, text=True, env=full_env, timeout=timeout)

    def validate(self, flows_dir, locales_dir):
        """`clinic-bot validate` on a folder: (exit code, output)."""
        done = self.run_bin("validate", str(flows_dir), "--locales", str(locales_dir))
        return done.returncode, (done.stdout + done.stderr).strip()


def post_concurrently(jobs):
    """jobs: [(server, update, delay_seconds)] → their Responses, in the same order. Each POST
    starts `delay` seconds after the start, without waiting for the earlier ones to answer."""
    results = [None] * len(jobs)
    started = time.monotonic()

    def post(index, server, update, delay):
        time.sleep(max(0.0, started + delay - time.monotonic()))
        results[index] = server.post_update(update)

    threads = [threading.Thread(target=post, args=(i, *job), daemon=True) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results
