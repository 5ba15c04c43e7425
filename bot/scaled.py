"""Several Rasa servers sharing a Redis lock store and a PostgreSQL tracker store.

    python -m bot.scaled serve [--servers 2] [--port 5005]     # make run-scaled

Rasa scales out by itself when every server uses the same lock store and tracker store
(deploy/endpoints.scaled.yml); this module only starts the processes. With YIBAO_PG_HOST and
YIBAO_REDIS_HOST set it uses those services (credentials from the environment only); otherwise it
starts Debian's `postgres` and `redis-server` on loopback with their data under var/scaled/
(a generated password kept in var/scaled/secrets.env, mode 0600). With YIBAO_ACTION_URL set it
uses that action server instead of starting one per Rasa server; every action server writes
hand-offs and audit rows to the shared PostgreSQL (bot.assistant_rows). Ctrl-C stops everything.
"""
from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2

from bot.run import (ACTION_PORT, ROOT, VAR, VENV_BIN, ensure_model, env, free_port,
                     start_action_server, stop, wait_http)

ENDPOINTS = ROOT / "deploy" / "endpoints.scaled.yml"
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
PG_USER = "yibao"
PG_DB = "yibao"


class ScaledError(RuntimeError):
    """Something the scaled set-up needs is missing or did not start (message in Chinese)."""


@dataclass(frozen=True)
class Backing:
    """Where the shared stores are: exported to every Rasa server as YIBAO_* variables."""
    pg_host: str
    pg_port: int
    pg_user: str
    pg_password: str
    pg_db: str
    redis_host: str
    redis_port: int
    redis_password: str

    @classmethod
    def from_env(cls, environ: dict[str, str]) -> "Backing | None":
        if not (environ.get("YIBAO_PG_HOST") and environ.get("YIBAO_REDIS_HOST")):
            return None
        return cls(pg_host=environ["YIBAO_PG_HOST"], pg_port=int(environ.get("YIBAO_PG_PORT", 5432)),
                   pg_user=environ.get("YIBAO_PG_USER", PG_USER),
                   pg_password=environ.get("YIBAO_PG_PASSWORD", ""),
                   pg_db=environ.get("YIBAO_PG_DB", PG_DB),
                   redis_host=environ["YIBAO_REDIS_HOST"],
                   redis_port=int(environ.get("YIBAO_REDIS_PORT", 6379)),
                   redis_password=environ.get("YIBAO_REDIS_PASSWORD", ""))

    def env(self, action_url: str) -> dict[str, str]:
        return {"YIBAO_PG_HOST": self.pg_host, "YIBAO_PG_PORT": str(self.pg_port),
                "YIBAO_PG_USER": self.pg_user, "YIBAO_PG_PASSWORD": self.pg_password,
                "YIBAO_PG_DB": self.pg_db, "YIBAO_REDIS_HOST": self.redis_host,
                "YIBAO_REDIS_PORT": str(self.redis_port),
                "YIBAO_REDIS_PASSWORD": self.redis_password, "YIBAO_ACTION_URL": action_url}

    def pg_connect(self):
        return psycopg2.connect(host=self.pg_host, port=self.pg_port, user=self.pg_user,
                                password=self.pg_password, dbname=self.pg_db, connect_timeout=5)


def _pg_bin(name: str) -> str:
    found = sorted(Path("/").glob(PG_BIN_GLOB.lstrip("/")))
    if not found or not (found[-1] / name).exists():
        raise ScaledError("找不到 PostgreSQL(Debian 软件包 postgresql)。请先运行 make run-scaled,"
                          "它会用 apt 安装。")
    return str(found[-1] / name)


def _as_postgres(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run it as the `postgres` system user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--"] + cmd
    return cmd


def _own_for_postgres(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")


def _wait_port(port: int, proc: subprocess.Popen, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ScaledError(f"{what} 启动失败(退出代码 {proc.returncode})")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise ScaledError(f"{what} 在 {timeout:.0f} 秒内没有在端口 {port} 上响应")


def start_local_postgres(data: Path, port: int, password: str) -> subprocess.Popen:
    """A PostgreSQL cluster in `data` (created on first use), listening on 127.0.0.1 only."""
    data.parent.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:          # the postgres user must be able to reach its data directory
        data.parent.chmod(data.parent.stat().st_mode | 0o011)
    if not (data / "PG_VERSION").exists():
        data.mkdir(mode=0o700, exist_ok=True)
        _own_for_postgres(data)
        pwfile = data.parent / f".pw-{secrets.token_hex(4)}"
        pwfile.write_text(password + "\n")
        pwfile.chmod(0o600)
        _own_for_postgres(pwfile)
        try:
            subprocess.run(_as_postgres([_pg_bin("initdb"), "-D", str(data), "-U", PG_USER,
                                         f"--pwfile={pwfile}", "--auth=scram-sha-256",
                                         "-E", "UTF8", "--locale=C.UTF-8"]),
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        except subprocess.CalledProcessError as exc:
            raise ScaledError(f"PostgreSQL 初始化失败:{exc.stderr.decode(errors='replace')[-500:]}") from None
        finally:
            pwfile.unlink(missing_ok=True)
    proc = subprocess.Popen(
        _as_postgres([_pg_bin("postgres"), "-D", str(data), "-p", str(port),
                      "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={data}",
                      "-c", "max_connections=200", "-c", "fsync=on"]),
        stdout=subprocess.DEVNULL, stderr=open(data.parent / "postgres.log", "ab"),
        start_new_session=True)
    _wait_port(port, proc, "PostgreSQL")
    return proc


def start_local_redis(directory: Path, port: int, password: str) -> subprocess.Popen:
    """redis-server on 127.0.0.1 with a password, no persistence (locks are short-lived)."""
    if shutil.which("redis-server") is None:
        raise ScaledError("找不到 redis-server(Debian 软件包 redis-server)。请先运行 make run-scaled,"
                          "它会用 apt 安装。")
    directory.mkdir(parents=True, exist_ok=True)
    conf = directory / "redis.conf"
    conf.write_text(f"port {port}\nbind 127.0.0.1\nprotected-mode yes\nrequirepass {password}\n"
                    f'save ""\nappendonly no\ndir {directory}\n')
    conf.chmod(0o600)
    proc = subprocess.Popen(["redis-server", str(conf)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    _wait_port(port, proc, "Redis")
    return proc


def ensure_database(backing: Backing) -> None:
    """Create the tracker database before the servers start (two servers racing to create it fail)."""
    conn = psycopg2.connect(host=backing.pg_host, port=backing.pg_port, user=backing.pg_user,
                            password=backing.pg_password, dbname="postgres", connect_timeout=5)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (backing.pg_db,))
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{backing.pg_db}"')
    conn.close()


def local_password(directory: Path) -> str:
    """The generated password of the local services, kept in secrets.env (0600)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "secrets.env"
    if path.exists():
        return path.read_text().split("=", 1)[1].strip()
    password = secrets.token_urlsafe(18)
    path.write_text(f"YIBAO_LOCAL_PASSWORD={password}\n")
    path.chmod(0o600)
    return password


@dataclass
class Cluster:
    """Shared stores + `servers` Rasa servers, each with its own action server (unless
    `action_url` names one for all); a context manager. Hand-offs and audit rows of every action
    server go to the shared PostgreSQL (bot.assistant_rows)."""
    model: Path
    servers: int = 2
    base_port: int | None = None           # None: free ports
    data_dir: Path = VAR / "scaled"
    backing: Backing | None = None         # None: start local PostgreSQL and Redis
    action_port: int | None = None         # the first action server's port (the next ones follow)
    action_url: str | None = None          # None: start one action server per Rasa server here
    credentials: Path = ROOT / "credentials.yml"
    host: str = "127.0.0.1"                # the Rasa servers' interface (0.0.0.0 behind a balancer)
    quiet: bool = True
    # the REST API's bearer token: $YIBAO_REST_TOKEN, else one made for this cluster
    rest_token: str = field(default_factory=lambda: os.environ.get("YIBAO_REST_TOKEN") or secrets.token_hex(16))
    rasa: dict[int, subprocess.Popen] = field(default_factory=dict)
    action_urls: list[str] = field(default_factory=list)
    _stack: ExitStack = field(default_factory=ExitStack)

    def __enter__(self) -> "Cluster":
        try:
            self._start()
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    def _keep(self, proc: subprocess.Popen) -> subprocess.Popen:
        self._stack.callback(stop, proc)
        return proc

    def _start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.backing is None:
            password = local_password(self.data_dir)
            pg_port, redis_port = free_port(), free_port()
            self._keep(start_local_postgres(self.data_dir / "pg", pg_port, password))
            self._keep(start_local_redis(self.data_dir / "redis", redis_port, password))
            self.backing = Backing("127.0.0.1", pg_port, PG_USER, password, PG_DB,
                                   "127.0.0.1", redis_port, password)
        ensure_database(self.backing)
        ports = ([self.base_port + i for i in range(self.servers)] if self.base_port
                 else [free_port() for _ in range(self.servers)])
        if self.action_url is not None:
            self.action_urls = [self.action_url] * self.servers
        else:
            for i in range(self.servers):
                port = self.action_port + i if self.action_port else free_port()
                self._keep(start_action_server(port, quiet=self.quiet,
                                               extra_env=self.backing.env("")))
                self.action_urls.append(f"http://127.0.0.1:{port}/webhook")
        for p, action_url in zip(ports, self.action_urls):
            self.rasa[p] = self._keep(self.start_server(p, action_url))
        for p, proc in self.rasa.items():
            wait_http(f"http://127.0.0.1:{p}/", proc, 600)

    def start_server(self, port: int, action_url: str) -> subprocess.Popen:
        out = subprocess.DEVNULL if self.quiet else None
        log = open(self.data_dir / f"rasa-{port}.log", "wb")
        self._stack.callback(log.close)
        return subprocess.Popen(
            [str(VENV_BIN / "python"), "-m", "bot.rasa.server", "--model", str(self.model),
             "--endpoints", str(ENDPOINTS), "--credentials", str(self.credentials),
             "--host", self.host, "--port", str(port)],
            cwd=ROOT, env={**env(), **self.backing.env(action_url), "YIBAO_REST_TOKEN": self.rest_token},
            stdout=out, stderr=log if self.quiet else None, start_new_session=True)

    def kill(self, port: int) -> None:
        """Kill one Rasa server abruptly (SIGKILL), as a crash would."""
        os.killpg(self.rasa[port].pid, signal.SIGKILL)
        self.rasa[port].wait()

    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{p}" for p in self.rasa]

    def log(self, port: int) -> str:
        path = self.data_dir / f"rasa-{port}.log"
        return path.read_text(errors="replace") if path.exists() else ""


def serve(servers: int, port: int, config: str, name: str, host: str = "127.0.0.1") -> int:
    model = ensure_model(config, name)
    backing = Backing.from_env(dict(os.environ))
    print("使用外部 PostgreSQL 和 Redis" if backing else
          f"在本机启动 PostgreSQL 和 Redis(数据在 {VAR / 'scaled'})", flush=True)
    try:
        with Cluster(model=model, servers=servers, base_port=port, backing=backing,
                     action_port=ACTION_PORT, action_url=os.environ.get("YIBAO_ACTION_URL"),
                     host=host, quiet=False) as cluster:
            print("\n医保助手(多服务器)已启动:\n" + "\n".join(
                f"  {u}/webhooks/rest/webhook" for u in cluster.urls()) +
                "\n同一会话可以发到任何一台服务器。REST 接口需要请求头 Authorization: Bearer <令牌>"
                + ("(令牌见环境变量 YIBAO_REST_TOKEN)" if os.environ.get("YIBAO_REST_TOKEN")
                   else f"(本次生成的令牌:{cluster.rest_token})") + "。按 Ctrl-C 停止。", flush=True)
            while all(p.poll() is None for p in cluster.rasa.values()):
                time.sleep(1)
            return 1
    except KeyboardInterrupt:
        print("\n已停止。", flush=True)
        return 0
    except ScaledError as exc:
        print(f"错误:{exc}", file=sys.stderr)
        return 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bot.scaled", description="多台 Rasa 服务器共享状态运行")
    ap.add_argument("command", choices=("serve",))
    ap.add_argument("--servers", type=int, default=2)
    ap.add_argument("--port", type=int, default=5005, help="第一台服务器的端口,其余依次加一")
    ap.add_argument("--config", default="config.yml")
    ap.add_argument("--name", default="yibao")
    ap.add_argument("--host", default="127.0.0.1", help="服务器监听的地址(负载均衡在别的机器上时用 0.0.0.0)")
    args = ap.parse_args(argv)
    os.chdir(ROOT)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    return serve(args.servers, args.port, args.config, args.name, args.host)


if __name__ == "__main__":
    sys.exit(main())
