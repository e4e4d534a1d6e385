"""Where the lab keeps its state (removed by `down`) and its cache (kept)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Final

__all__ = ["LAB_DIR", "CACHE_DIR", "STATE_FILE", "INVENTORY_FILE", "SSH_CONFIG", "KNOWN_HOSTS",
           "CLIENT_KEY", "LOG_DIR", "HOSTS_DIR", "host_dir", "host_root", "control_socket"]

LAB_DIR: Final = Path(os.environ.get("KAFKAPILOT_LAB_DIR", "/var/tmp/kafkapilot-lab"))
CACHE_DIR: Final = Path(os.environ.get("KAFKAPILOT_LAB_CACHE", str(Path.home() / ".cache" / "kafkapilot-lab")))

STATE_FILE: Final = LAB_DIR / "state.json"
INVENTORY_FILE: Final = LAB_DIR / "inventory" / "hosts.yml"
SSH_CONFIG: Final = LAB_DIR / "ssh" / "ssh_config"
KNOWN_HOSTS: Final = LAB_DIR / "ssh" / "known_hosts"
CLIENT_KEY: Final = LAB_DIR / "keys" / "id_ed25519"
LOG_DIR: Final = LAB_DIR / "logs"
HOSTS_DIR: Final = LAB_DIR / "hosts"


def host_dir(name: str) -> Path:
    return HOSTS_DIR / name


def host_root(name: str) -> Path:
    """The directory whose subtrees are bind-mounted over /etc/kafka, /home ... inside the host."""
    return HOSTS_DIR / name / "root"


def control_socket(name: str) -> Path:
    return HOSTS_DIR / name / "control.sock"
