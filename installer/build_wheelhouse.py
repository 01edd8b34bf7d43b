"""Build the offline installer: a folder of wheels for finals-kiosk and every dependency, for
each target platform and Python version, with install scripts beside them.

    python installer/build_wheelhouse.py                     # every target (make wheelhouse)
    python installer/build_wheelhouse.py --target linux-x86_64 --python 3.11 --out DIR

Targets: Windows x64, macOS arm64 and x86_64, Linux x86_64 (manylinux), each for CPython
3.11, 3.12 and 3.13. For each, `pip download --only-binary=:all: --platform ...
--python-version ... --implementation cp` fetches the kiosk's dependencies (the test extras
are not included). pip evaluates environment markers for the machine it runs on, not for the
target (so `colorama; platform_system == "Windows"`, which click needs on Windows, would be
missed from Linux), so the builder then walks the dependency tree itself from the wheels'
metadata with the target's markers and tags, downloads whatever is missing, and reports
anything it cannot find as a gap. Exit 0 when every target is complete, 1 when any has a gap
(the wheelhouse is still written, with `GAPS.txt`), 2 when pip or the registry fails.

Needs the network (the package registry) and `packaging` (in the project's .venv: pytest
depends on it).
"""

from __future__ import annotations

import argparse
import base64
import email.parser
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from packaging import tags as ptags
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version

REPO = Path(__file__).resolve().parent.parent
INSTALLER = Path(__file__).resolve().parent
PYTHONS = ("3.11", "3.12", "3.13")
MACOS_VERSION = (11, 0)
"""Oldest macOS the wheels must run on (Big Sur: the first with Apple silicon)."""
LINUX_GLIBC = 28
"""Newest glibc a manylinux wheel may need (2.28: RHEL 8, Debian 10, Ubuntu 18.10 on)."""


@dataclass(frozen=True)
class Target:
    """A platform: pip's platform tags (most specific first) and its environment markers."""

    name: str
    label: str
    platforms: tuple[str, ...]
    markers: dict[str, str] = field(hash=False)


def _manylinux(arch: str) -> tuple[str, ...]:
    modern = [f"manylinux_2_{minor}_{arch}" for minor in range(LINUX_GLIBC, 4, -1)]
    return (*modern, f"manylinux2014_{arch}", f"manylinux2010_{arch}", f"manylinux1_{arch}")


TARGETS: dict[str, Target] = {t.name: t for t in (
    Target("windows-x64", "Windows x64", ("win_amd64",),
           {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt",
            "platform_machine": "AMD64"}),
    Target("macos-arm64", "macOS arm64", tuple(ptags.mac_platforms(MACOS_VERSION, "arm64")),
           {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix",
            "platform_machine": "arm64"}),
    Target("macos-x86_64", "macOS x86_64",
           tuple(ptags.mac_platforms(MACOS_VERSION, "x86_64")),
           {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix",
            "platform_machine": "x86_64"}),
    Target("linux-x86_64", "Linux x86_64 (manylinux)", _manylinux("x86_64"),
           {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix",
            "platform_machine": "x86_64"}),
)}


PURE_FALLBACKS: dict[str, dict[str, str]] = {
    # zeroconf >= 0.148 ships compiled wheels only, and none for macOS x86_64; its code runs
    # without the Cython extensions (slower mDNS, same behaviour) when built with SKIP_CYTHON.
    "zeroconf": {"SKIP_CYTHON": "1"},
}
"""Packages that may be built from source as pure Python for a target without a wheel: the
environment their build needs for that. The wheel is checked to hold no compiled file and
tagged py3-none-any, so pip still prefers a compiled wheel wherever there is one."""


class BuildError(Exception):
    """pip or the registry failed in a way that is not a missing wheel."""


@dataclass(frozen=True)
class Wheel:
    path: Path
    name: str
    version: Version
    tags: frozenset[ptags.Tag]

    @property
    def compiled(self) -> bool:
        return any(t.platform != "any" for t in self.tags)

    def requires(self) -> list[Requirement]:
        with zipfile.ZipFile(self.path) as archive:
            meta = next(n for n in archive.namelist()
                        if n.endswith(".dist-info/METADATA") and n.count("/") == 1)
            message = email.parser.BytesParser().parsebytes(archive.read(meta))
        return [Requirement(r) for r in message.get_all("Requires-Dist") or []]


def wheels_in(folder: Path) -> list[Wheel]:
    found = []
    for path in sorted(folder.glob("*.whl")):
        name, version, _build, wheel_tags = parse_wheel_filename(path.name)
        found.append(Wheel(path, canonicalize_name(name), version, frozenset(wheel_tags)))
    return found


def supported_tags(target: Target, python: str) -> set[ptags.Tag]:
    major, minor = (int(p) for p in python.split("."))
    abi = f"cp{major}{minor}"
    return set(ptags.cpython_tags((major, minor), [abi, "abi3", "none"], target.platforms)) | \
        set(ptags.compatible_tags((major, minor), abi, target.platforms))


def environment(target: Target, python: str) -> dict[str, str]:
    return {**target.markers, "python_version": python, "python_full_version": f"{python}.0",
            "implementation_name": "cpython", "platform_python_implementation": "CPython",
            "implementation_version": f"{python}.0", "platform_release": "",
            "platform_version": "", "extra": ""}


@dataclass
class Closure:
    """The wheels a target installs, and the requirements nothing in the folder satisfies."""

    chosen: dict[str, Wheel] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def closure(root: Wheel, folder: Path, target: Target, python: str) -> Closure:
    """Walk the dependency tree from `root` as pip on the target would (markers and tags of
    the target), choosing the newest matching wheel in `folder` for each requirement."""
    supported = supported_tags(target, python)
    env = environment(target, python)
    available: dict[str, list[Wheel]] = {}
    for wheel in wheels_in(folder):
        if wheel.tags & supported:
            available.setdefault(wheel.name, []).append(wheel)
    result = Closure({root.name: root})
    queue: list[tuple[Wheel, frozenset[str]]] = [(root, frozenset())]
    seen: set[tuple[str, frozenset[str]]] = set()
    while queue:
        wheel, extras = queue.pop()
        if (wheel.name, extras) in seen:
            continue
        seen.add((wheel.name, extras))
        for req in wheel.requires():
            wanted = [""] + sorted(extras)
            if req.marker is not None and not any(
                    req.marker.evaluate({**env, "extra": e}) for e in wanted):
                continue
            name = canonicalize_name(req.name)
            matching = [w for w in available.get(name, [])
                        if req.specifier.contains(w.version, prereleases=True)]
            if not matching:
                result.missing.append(str(Requirement(f"{req.name}{req.specifier}")))
                continue
            best = result.chosen.get(name) or max(matching, key=lambda w: w.version)
            result.chosen[name] = best
            queue.append((best, frozenset(req.extras)))
    result.missing = sorted(set(result.missing))
    return result


# --- pip ----------------------------------------------------------------------------------------

_NOT_FOUND = re.compile(r"(?:Could not find a version that satisfies the requirement|"
                        r"No matching distribution found for) ([^\s(]+)")


def pip(*args: str, quiet: bool = True) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pip", *args, "--disable-pip-version-check"]
    if quiet:
        command.append("--quiet")
    return subprocess.run(command, capture_output=True, text=True, check=False)


def _name(requirement: str) -> str:
    try:
        return canonicalize_name(Requirement(requirement).name)
    except InvalidRequirement:
        return canonicalize_name(requirement)


def download(requirements: Sequence[str], folder: Path, target: Target, python: str
             ) -> list[str]:
    """`pip download` for the target into `folder`; the requirements it found no wheel for.
    When several are asked for and one fails, each is tried alone, so one gap does not hide
    the wheels the others need."""
    platform_args = [arg for p in target.platforms for arg in ("--platform", p)]
    done = pip("download", *requirements, "--dest", str(folder), "--find-links", str(folder),
               "--only-binary=:all:", "--python-version", python, "--implementation", "cp",
               *platform_args)
    if done.returncode == 0:
        return []
    missing = _NOT_FOUND.findall(done.stderr)
    if missing and len(requirements) > 1:
        return sorted({gap for one in requirements
                       for gap in download([one], folder, target, python)})
    if missing:
        return sorted(set(missing))
    raise BuildError(f"pip download failed for {target.label}, Python {python}:\n"
                     f"{done.stderr.strip()}")


_BINARY = (".so", ".pyd", ".dylib", ".dll")


def build_pure_wheel(requirement: str, folder: Path) -> Path | None:
    """Build `requirement` from its source distribution as a pure-Python wheel into `folder`
    (see `PURE_FALLBACKS`); None when that is not possible."""
    name = canonicalize_name(Requirement(requirement).name)
    if name not in PURE_FALLBACKS:
        return None
    with tempfile.TemporaryDirectory(prefix="kiosk-pure-") as scratch:
        env = {**os.environ, **PURE_FALLBACKS[name]}
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-binary", name,
                   "--no-cache-dir", "--disable-pip-version-check", "--quiet",
                   "--wheel-dir", scratch, requirement]
        done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
        built = sorted(Path(scratch).glob("*.whl"))
        if done.returncode != 0 or len(built) != 1:
            return None
        return retag_pure(built[0], folder)


def retag_pure(wheel: Path, folder: Path) -> Path | None:
    """Copy a wheel that holds only Python code into `folder` as `py3-none-any`; None if it
    holds a compiled file."""
    name, version, build_tag, _tags = parse_wheel_filename(wheel.name)
    with zipfile.ZipFile(wheel) as source:
        names = source.namelist()
        if any(n.endswith(_BINARY) for n in names):
            return None
        files = {n: source.read(n) for n in names}
    dist_info = next(n.split("/", 1)[0] for n in names if n.endswith(".dist-info/WHEEL"))
    meta = files[f"{dist_info}/WHEEL"].decode("utf-8").splitlines()
    meta = [line for line in meta if not line.startswith(("Tag:", "Root-Is-Purelib:"))]
    meta += ["Root-Is-Purelib: true", "Tag: py3-none-any"]
    files[f"{dist_info}/WHEEL"] = ("\n".join(meta) + "\n").encode("utf-8")
    record = f"{dist_info}/RECORD"
    lines = []
    for entry, data in files.items():
        if entry == record:
            continue
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
        lines.append(f"{entry},sha256={digest.decode('ascii')},{len(data)}")
    files[record] = ("\n".join([*lines, f"{record},,"]) + "\n").encode("utf-8")
    build = f"-{build_tag[0]}{build_tag[1]}" if build_tag else ""
    target = folder / f"{name.replace('-', '_')}-{version}{build}-py3-none-any.whl"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for entry, data in files.items():
            out.writestr(zipfile.ZipInfo(entry, date_time=(2016, 1, 1, 0, 0, 0)), data,
                         zipfile.ZIP_DEFLATED)
    return target


def build_project_wheel(folder: Path) -> Wheel:
    """Build finals-kiosk's wheel from a copy of the source (the work tree stays clean)."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["packages"]["find"]["include"]
    tops = sorted({p.rstrip("*").rstrip(".") for p in patterns})
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache")
    with tempfile.TemporaryDirectory(prefix="kiosk-wheel-") as scratch:
        source = Path(scratch) / "src"
        source.mkdir()
        for name in ("pyproject.toml", "README.md", "LICENSE", "MANIFEST.in"):
            if (REPO / name).exists():
                shutil.copy2(REPO / name, source / name)
        for top in tops:
            if (REPO / top).is_dir():
                shutil.copytree(REPO / top, source / top, ignore=ignore)
        done = pip("wheel", "--no-deps", "--wheel-dir", str(folder), str(source))
        if done.returncode != 0:
            raise BuildError(f"building the finals-kiosk wheel failed:\n{done.stderr.strip()}")
    version = str(config["project"]["version"])
    [wheel] = [w for w in wheels_in(folder)
               if w.name == canonicalize_name(config["project"]["name"])
               and w.version == Version(version)]
    return wheel


# --- the build ----------------------------------------------------------------------------------


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)


def build(out: Path, targets: Iterable[Target], pythons: Iterable[str],
          log: bool = True) -> Report:
    """Fill `out` with the wheels every (target, python) needs, the install scripts, a
    README, SHA256SUMS and, when something is missing, GAPS.txt."""
    out.mkdir(parents=True, exist_ok=True)
    report = Report()

    def say(text: str) -> None:
        report.lines.append(text)
        if log:
            print(text, flush=True)

    root = build_project_wheel(out)
    say(f"built {root.path.name}")
    for target in targets:
        for python in pythons:
            unfound = download([str(root.path)], out, target, python)
            result = closure(root, out, target, python)
            tried: set[str] = set()
            while result.missing and not set(result.missing) <= tried:
                fresh = [r for r in result.missing if r not in tried]
                tried |= set(fresh)
                unfound += download(fresh, out, target, python)
                for requirement in closure(root, out, target, python).missing:
                    pure = build_pure_wheel(requirement, out)
                    if pure is not None:
                        say(f"  built {pure.name} from source (pure Python) for "
                            f"{target.label}")
                        unfound = [u for u in unfound if _name(u) != _name(requirement)]
                result = closure(root, out, target, python)
            gaps = sorted(set(result.missing) | set(unfound))
            compiled = sorted(f"{w.name} {w.version} ({w.path.name.rsplit('-', 1)[-1][:-4]})"
                              for w in result.chosen.values() if w.compiled)
            status = "complete" if not gaps else f"GAPS: {', '.join(gaps)}"
            say(f"{target.label}, CPython {python}: {len(result.chosen)} wheels, {status}")
            say("  compiled: " + ("; ".join(compiled) or "none"))
            report.gaps += [f"{target.label}, CPython {python}: {gap}" for gap in gaps]
    for script in ("install.sh", "install.bat", "README.md"):
        shutil.copy2(INSTALLER / script, out / script)
    (out / "install.sh").chmod(0o755)
    sums = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}"
            for p in sorted(out.iterdir()) if p.is_file() and p.name != "SHA256SUMS"]
    (out / "SHA256SUMS").write_text("\n".join(sums) + "\n", encoding="utf-8")
    gaps_file = out / "GAPS.txt"
    if report.gaps:
        gaps_file.write_text("\n".join(report.gaps) + "\n", encoding="utf-8")
    elif gaps_file.exists():
        gaps_file.unlink()
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "wheelhouse",
                        help="folder to fill (default: wheelhouse/)")
    parser.add_argument("--target", action="append", choices=sorted(TARGETS),
                        help="only this platform (repeatable; default: all)")
    parser.add_argument("--python", action="append", choices=PYTHONS,
                        help="only this Python version (repeatable; default: all)")
    args = parser.parse_args(argv)
    targets = [TARGETS[t] for t in args.target] if args.target else list(TARGETS.values())
    try:
        report = build(args.out, targets, args.python or PYTHONS)
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if report.gaps:
        print(f"{len(report.gaps)} gap(s), listed in {args.out / 'GAPS.txt'}", file=sys.stderr)
        return 1
    print(f"wheelhouse complete: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
