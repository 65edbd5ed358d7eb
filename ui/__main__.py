"""`python -m ui` — start the explorer on http://127.0.0.1:8501 (headless: open it in a browser).

Extra arguments go to `streamlit run` (e.g. `python -m ui --server.port 8600`).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "ui" / "app.py"
DEFAULTS = ["--server.address", "127.0.0.1", "--server.port", "8501", "--server.headless", "true",
            "--browser.gatherUsageStats", "false"]


def command(extra: list[str]) -> list[str]:
    """The streamlit command line; later options win, so `extra` can override the defaults."""
    return [sys.executable, "-m", "streamlit", "run", str(APP), *DEFAULTS, *extra]


def main(argv: list[str] | None = None) -> None:
    env = dict(os.environ)
    # The pages import `ui`, `cypher`, `graph`, `loader`: the project root must be importable.
    env["PYTHONPATH"] = os.pathsep.join(p for p in [str(ROOT), env.get("PYTHONPATH", "")] if p)
    # From the project root, so ./data and .streamlit/config.toml are the project's own.
    os.chdir(ROOT)
    # Become the server (no child process): a signal to this process stops Streamlit itself.
    args = command(sys.argv[1:] if argv is None else argv)
    os.execve(args[0], args, env)


if __name__ == "__main__":
    main()
