"""The quick start's demo: a workspace with the sample exports, through the real command line.

    python examples/run_demo.py [WORKSPACE]     (default: demo-ws)

Creates the workspace anew (an earlier demo workspace at that place is replaced), imports
every file of ``examples/data/`` with ``strategistatus import`` and runs
``strategistatus check``. Until the demo generator of a later release exists, this is the
demo.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_examples import IMPORTS  # noqa: E402

EXE = Path(sys.executable).parent / "strategistatus"


def run(*args: str) -> None:
    print("$ strategistatus " + " ".join(args), flush=True)
    done = subprocess.run([str(EXE), *args])
    if done.returncode != 0:
        sys.exit(done.returncode)


def main() -> None:
    ws = Path(sys.argv[1] if len(sys.argv) > 1 else "demo-ws")
    if ws.exists():
        if not (ws / "strategistatus.toml").exists():
            sys.exit(f"{ws} exists and is not a strategistatus workspace; choose another folder")
        shutil.rmtree(ws)
    run("init", str(ws))
    for dataset, name in IMPORTS:
        run("import", dataset, str(HERE / "data" / name), "-w", str(ws))
    run("check", "-w", str(ws))
    print(f"\nThe demo workspace is {ws.resolve()}")


if __name__ == "__main__":
    main()
