"""Test hosts in Linux network namespaces: one LAN (a bridge) in 198.18.0.0/24, the
benchmarking range, with each host on a veth pair. Needs root and iproute2; callers skip
with the reason `unavailable()` gives otherwise.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field


def _ip(*args: str, netns: str | None = None) -> None:
    cmd = ["ip", *args] if netns is None else ["ip", "-n", netns, *args]
    subprocess.run(cmd, check=True, capture_output=True, timeout=20)


def unavailable() -> str | None:
    """Why namespaces cannot be made here, or None when they can."""
    if shutil.which("ip") is None:
        return "iproute2 (`ip`) is not installed"
    if os.geteuid() != 0:
        return "network namespaces need root"
    probe = f"fk-probe-{uuid.uuid4().hex[:6]}"
    try:
        _ip("netns", "add", probe)
    except (subprocess.CalledProcessError, OSError) as exc:
        return f"cannot create a network namespace: {exc}"
    _ip("netns", "del", probe)
    return None


@dataclass
class Host:
    name: str  # the namespace
    address: str
    link: str  # its veth end on the bridge side, in the root namespace

    def cmd(self, argv: Sequence[str]) -> list[str]:
        return ["ip", "netns", "exec", self.name, *argv]


@dataclass
class Lan:
    """A bridge in its own namespace and hosts joined to it."""

    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:6])
    hosts: list[Host] = field(default_factory=list)

    @property
    def bridge_ns(self) -> str:
        return f"fk-lan-{self.tag}"

    def __enter__(self) -> Lan:
        _ip("netns", "add", self.bridge_ns)
        _ip("link", "add", "br0", "type", "bridge", "mcast_snooping", "0", netns=self.bridge_ns)
        _ip("link", "set", "br0", "up", netns=self.bridge_ns)
        return self

    def add_host(self) -> Host:
        index = len(self.hosts) + 1
        name = f"fk-h{index}-{self.tag}"
        outer = f"fkv{index}{self.tag}"[:15]
        _ip("netns", "add", name)
        _ip("link", "add", outer, "type", "veth", "peer", "name", "eth0", "netns", name)
        # The bridge side lives in the LAN namespace; taking it down cuts the host off.
        _ip("link", "set", outer, "netns", self.bridge_ns)
        _ip("link", "set", outer, "master", "br0", netns=self.bridge_ns)
        _ip("link", "set", outer, "up", netns=self.bridge_ns)
        address = f"198.18.0.{index}"
        _ip("addr", "add", f"{address}/24", "dev", "eth0", netns=name)
        _ip("link", "set", "eth0", "up", netns=name)
        _ip("link", "set", "lo", "up", netns=name)
        _ip("route", "add", "224.0.0.0/4", "dev", "eth0", netns=name)
        host = Host(name, address, outer)
        self.hosts.append(host)
        return host

    def set_link(self, host: Host, up: bool) -> None:
        _ip("link", "set", host.link, "up" if up else "down", netns=self.bridge_ns)

    def __exit__(self, *exc: object) -> None:
        for host in self.hosts:
            pids = subprocess.run(["ip", "netns", "pids", host.name], capture_output=True,
                                  text=True, check=False).stdout.split()
            for pid in pids:
                subprocess.run(["kill", "-9", pid], check=False)
            subprocess.run(["ip", "netns", "del", host.name], check=False, capture_output=True)
        subprocess.run(["ip", "netns", "del", self.bridge_ns], check=False, capture_output=True)


@contextmanager
def offline_host() -> Iterator[Host]:
    """A namespace with no network at all (only `lo`, down, no address): a laptop with its
    Wi-Fi off and no cable."""
    name = f"fk-off-{uuid.uuid4().hex[:6]}"
    _ip("netns", "add", name)
    try:
        yield Host(name, "", "")
    finally:
        subprocess.run(["ip", "netns", "del", name], check=False, capture_output=True)
