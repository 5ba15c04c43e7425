"""Start 医保助手: train when the inputs changed, start the action server and the Rasa server.

    python -m bot.run train  [--config config.yml] [--name yibao]   # train only if needed
    python -m bot.run serve  [--port 5005]                          # train if needed, then run both
    python -m bot.run shell                                         # train if needed, rasa shell

The model is `models/<name>.tar.gz`; the hash of its inputs (config, domain, data, jieba
dictionary, NLU components) is kept in `var/<name>.hash` (`var/model.hash` for the default model), so an
unchanged project starts without training. The Rasa server is bot.rasa.server: Rasa's
channels plus the chat widget at http://localhost:5005/. Ctrl-C stops both servers.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
RASA = [str(VENV_BIN / "python"), "-m", "bot.rasa.cli"]    # Rasa's CLI with the overrides (bot.rasa.overrides)
MODELS = ROOT / "models"
VAR = ROOT / "var"
DEFAULT_NAME = "yibao"
ACTION_PORT = 5055
ACTION_TOKEN_ENV = "YIBAO_ACTION_TOKEN"   # Rasa → action server (bot.rasa.action_server)

# What a trained model depends on: the domain, the training data, and our NLU components' code
# and jieba dictionary (they shape the features DIET learns from). Sample files are not inputs.
# The model depends on these besides its config: the NLU components and the code they run.
HASHED = ("domain.yml", "data", "bot/nlp", "bot/rasa/components.py", "bot/rasa/faq_selector.py")
NOT_HASHED = ("data/samples",)


def action_token() -> str:
    """The token Rasa sends to the action server ($YIBAO_ACTION_TOKEN; made once per process and
    put into this process's environment when not set, so every server it starts shares it)."""
    if not os.environ.get(ACTION_TOKEN_ENV):
        os.environ[ACTION_TOKEN_ENV] = secrets.token_hex(16)
    return os.environ[ACTION_TOKEN_ENV]


def env() -> dict[str, str]:
    action_token()
    e = dict(os.environ)
    e["RASA_TELEMETRY_ENABLED"] = "false"
    e["PYTHONPATH"] = str(ROOT) + os.pathsep + e.get("PYTHONPATH", "")
    e.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # glibc gives each thread that allocates its own malloc arena (up to 8 per core); TensorFlow's
    # and Sanic's threads left the Rasa server about 60 MB larger for nothing (bench_server.py rss:
    # 1,597 → 1,535 MB after 1,000 conversations, latency unchanged). Two arenas are enough here.
    e.setdefault("MALLOC_ARENA_MAX", "2")
    return e


def inputs_hash(config: str) -> str:
    """sha256 over the training inputs: config file, domain, data/, bot/nlp (code, dictionary) and
    the NLU components."""
    h = hashlib.sha256()
    paths = [ROOT / config]
    for entry in HASHED:
        p = ROOT / entry
        paths += sorted(q for q in p.rglob("*") if q.is_file()) if p.is_dir() else [p]
    skipped = tuple(ROOT / n for n in NOT_HASHED)
    for p in paths:
        if "__pycache__" in p.parts or p.suffix == ".pyc" or any(s in p.parents for s in skipped):
            continue
        if p.is_file():
            h.update(str(p.relative_to(ROOT)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def hash_file(name: str) -> Path:
    return VAR / ("model.hash" if name == DEFAULT_NAME else f"{name}.hash")


def model_path(name: str) -> Path:
    return MODELS / f"{name}.tar.gz"


def model_is_current(config: str, name: str) -> bool:
    hf = hash_file(name)
    return (model_path(name).is_file() and hf.is_file()
            and hf.read_text().strip() == inputs_hash(config))


def ensure_model(config: str = "config.yml", name: str = DEFAULT_NAME) -> Path:
    """Train `models/<name>.tar.gz` unless the cached hash says it is current."""
    if model_is_current(config, name):
        print(f"模型已是最新:{model_path(name).relative_to(ROOT)}", flush=True)
        return model_path(name)
    VAR.mkdir(exist_ok=True)
    MODELS.mkdir(exist_ok=True)
    digest = inputs_hash(config)
    print(f"训练数据或配置有变化,开始训练({config})……", flush=True)
    started = time.monotonic()
    subprocess.run([*RASA, "train", "--config", config, "--domain", "domain.yml", "--data", "data",
                    "--out", str(MODELS), "--fixed-model-name", name],
                   cwd=ROOT, env=env(), check=True)
    hash_file(name).write_text(digest + "\n")
    print(f"训练完成,用时 {time.monotonic() - started:.0f} 秒。", flush=True)
    return model_path(name)


def _output(quiet: bool, log: Path | None) -> Any:
    """Where a server's stdout and stderr go: `log` (appended), nowhere (quiet) or inherited."""
    if log is not None:
        return open(log, "ab")
    return subprocess.DEVNULL if quiet else None


def free_port() -> int:
    """A TCP port free on loopback right now (for a server started next)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_action_server(port: int = ACTION_PORT, quiet: bool = False,
                        extra_env: dict[str, str] | None = None,
                        log: Path | None = None) -> subprocess.Popen:
    """The action server (bot.rasa.action_server: rasa_sdk with a token) bound to loopback
    (SANIC_HOST, which extra_env cannot override); returns once /health answers. `log`: a file
    for its stdout and stderr."""
    out = _output(quiet, log)
    try:
        proc = subprocess.Popen([str(VENV_BIN / "python"), "-m", "bot.rasa.action_server",
                                 "--port", str(port)],
                                cwd=ROOT, env={**env(), **(extra_env or {}), "SANIC_HOST": "127.0.0.1"},
                                stdout=out, stderr=subprocess.STDOUT if log else out,
                                start_new_session=True)
    finally:
        if log is not None:
            out.close()
    wait_http(f"http://127.0.0.1:{port}/health", proc, 120)
    return proc


def start_rasa_server(model: Path, port: int = 5005, host: str = "0.0.0.0",
                      endpoints: str | Path = "endpoints.yml",
                      credentials: str | Path = "credentials.yml", quiet: bool = False,
                      extra_env: dict[str, str] | None = None,
                      timeout: float = 600, log: Path | None = None) -> subprocess.Popen:
    """bot.rasa.server (Rasa's channels + the widget at `/`); returns once `/` answers,
    which is after the model has loaded. `log`: a file for its stdout and stderr."""
    out = _output(quiet, log)
    try:
        proc = subprocess.Popen([str(VENV_BIN / "python"), "-m", "bot.rasa.server",
                                 "--model", str(model), "--endpoints", str(endpoints),
                                 "--credentials", str(credentials), "--host", host, "--port", str(port)],
                                cwd=ROOT, env={**env(), **(extra_env or {})},
                                stdout=out, stderr=subprocess.STDOUT if log else out,
                                start_new_session=True)
    finally:
        if log is not None:
            out.close()
    try:
        wait_http(f"http://127.0.0.1:{port}/", proc, timeout)
    except BaseException:
        stop(proc)
        raise
    return proc


def wait_http(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"进程已退出(代码 {proc.returncode}):{' '.join(map(str, proc.args))}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:
            time.sleep(0.5)
    raise TimeoutError(f"{url} 在 {timeout:.0f} 秒内没有响应")


def stop(proc: subprocess.Popen | None) -> None:
    """Stop a server started here (its own process group), politely then firmly."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def serve(port: int, config: str, name: str) -> int:
    model = ensure_model(config, name)
    VAR.mkdir(exist_ok=True)
    actions = server = None
    try:
        print("启动动作服务器 http://127.0.0.1:5055 ……", flush=True)
        actions = start_action_server(ACTION_PORT)
        server = start_rasa_server(model, port)
        rest = (f"REST 接口(对接系统用):http://localhost:{port}/webhooks/rest/webhook\n"
                f'例:curl -s localhost:{port}/webhooks/rest/webhook -H "Authorization: Bearer $YIBAO_REST_TOKEN" '
                f'-d \'{{"sender":"me","message":"新疆断保两年,现在交多久能报销"}}\'\n'
                if os.environ.get("YIBAO_REST_TOKEN") else
                "REST 接口未开启(设置环境变量 YIBAO_REST_TOKEN 即开启,请求需带 Authorization: Bearer 令牌)。\n")
        print(f"\n医保助手已启动:在浏览器中打开 http://localhost:{port}/\n{rest}按 Ctrl-C 停止。", flush=True)
        while server.poll() is None and actions.poll() is None:
            time.sleep(1)
        return 1
    except KeyboardInterrupt:
        print("\n正在停止……", flush=True)
        return 0
    finally:
        stop(server)
        stop(actions)
        print("已停止。", flush=True)


def shell(config: str, name: str) -> int:
    model = ensure_model(config, name)
    actions = start_action_server(ACTION_PORT, quiet=True)
    try:
        return subprocess.call([*RASA, "shell", "--model", str(model), "--endpoints", "endpoints.yml"],
                               cwd=ROOT, env=env())
    except KeyboardInterrupt:
        return 0
    finally:
        stop(actions)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bot.run", description="训练并启动医保助手")
    ap.add_argument("command", choices=("train", "serve", "shell"))
    ap.add_argument("--config", default="config.yml")
    ap.add_argument("--name", default=DEFAULT_NAME)
    ap.add_argument("--port", type=int, default=5005)
    args = ap.parse_args(argv)
    os.chdir(ROOT)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    if args.command == "train":
        ensure_model(args.config, args.name)
        return 0
    if args.command == "serve":
        return serve(args.port, args.config, args.name)
    return shell(args.config, args.name)


if __name__ == "__main__":
    sys.exit(main())
