#!/usr/bin/env python3
"""sessctl beside xmllint and xmlstarlet on synthetic servers, in one run.

Builds the 1,000- and 10,000-site trees of ../shared/bench/make_server.py (with --webconfigs),
then times the release binary and the references on the same inputs: median wall time of RUNS
runs and peak memory (from /usr/bin/time), and the growth from the small to the large tree.
xmllint and xmlstarlet are installed from Debian's packages when missing (apt-get, as root).

usage: benches/compare.py [--runs N] [--sizes 1000,10000]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
MAKE = os.path.join(REPO, "..", "shared", "bench", "make_server.py")


def ensure_tools():
    missing = [t for t in ("xmllint", "xmlstarlet") if shutil.which(t) is None]
    if missing and os.geteuid() == 0:
        pkgs = {"xmllint": "libxml2-utils", "xmlstarlet": "xmlstarlet"}
        subprocess.run(["apt-get", "install", "-y", "-qq"] + [pkgs[m] for m in missing],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return {t: shutil.which(t) is not None for t in ("xmllint", "xmlstarlet")}


def timed(cmd, runs):
    """Median wall time (perf_counter), peak RSS and median CPU time (user + system) of runs,
    from wait4's rusage of the child, which on Linux includes the children it reaped (so a
    shell pipeline counts whole). `cmd` may be a function of the run's number, for edits that
    must change something on every run."""
    walls, peaks, cpus = [], [], []
    for i in range(runs):
        argv = cmd(i) if callable(cmd) else cmd
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss)
        cpus.append(usage.ru_utime + usage.ru_stime)
    return statistics.median(walls), max(peaks) / 1024, statistics.median(cpus)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--sizes", default="1000,10000")
    a = p.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    bin_ = os.path.join(REPO, "target", "release", "sessctl")
    tools = ensure_tools()
    work = tempfile.mkdtemp()
    results = {}
    try:
        for n in [int(s) for s in a.sizes.split(",")]:
            root = os.path.join(work, f"s{n}")
            subprocess.run([sys.executable, MAKE, root, "--sites", str(n), "--webconfigs"],
                           check=True, stdout=subprocess.DEVNULL)
            ah = os.path.join(root, "Windows/System32/inetsrv/config/applicationHost.config")
            loc = f"site{n // 2:05d}.example/api"
            webconfigs = os.path.join(work, f"webconfigs{n}.txt")
            with open(webconfigs, "w") as f:
                for d, _, files in os.walk(os.path.join(root, "inetpub")):
                    for name in files:
                        if name == "web.config":
                            f.write(os.path.join(d, name) + "\n")
            copy = os.path.join(work, "copy.config")
            rows = [
                ("list PATH /config:* (whole hierarchy)",
                 [bin_, "list", "config", loc, "--root", root, "/section:sessionState", "/config:*"]),
                ("list --file applicationHost.config",
                 [bin_, "list", "config", "--file", ah, "/section:sessionState"]),
                # A new value on every run: a value already there writes nothing.
                ("set PATH /commit:apphost",
                 lambda i: [bin_, "set", "config", loc, "--root", root, "/section:sessionState",
                            f"/timeout:{100 + i}", "/commit:apphost"]),
                ("set --dry-run (diff printed)",
                 [bin_, "set", "config", loc, "--root", root, "/section:sessionState", "/timeout:46",
                  "/commit:apphost", "--dry-run"]),
                ("cp + sync of applicationHost.config (reference)",
                 ["sh", "-c", f"cp '{ah}' '{copy}' && sync '{copy}'"]),
                # What an atomic replace costs at least: the copy flushed, renamed over the
                # old one, and the rename made durable (the folder flushed), as set does.
                ("cp + sync + mv + sync of the folder (atomic replace, reference)",
                 ["sh", "-c", f"cp '{ah}' '{copy}.tmp' && sync '{copy}.tmp' && "
                              f"mv '{copy}.tmp' '{copy}' && sync '{work}'"]),
                ("lint applicationHost.config",
                 [bin_, "lint", ah]),
                ("lint the web.config files (xargs)",
                 ["sh", "-c", f"xargs '{bin_}' lint < '{webconfigs}'"]),
                ("lint --root (whole server, inheritance)",
                 [bin_, "lint", "--root", root]),
                # The walk alone (reference): what listing the sites' folders for web.config
                # files costs, before any is read; xmllint is handed that list.
                ("find -iname web.config (the walk alone, reference)",
                 ["find", os.path.join(root, "inetpub"), "-iname", "web.config"]),
            ]
            if tools["xmllint"]:
                rows += [
                    ("xmllint --noout applicationHost.config", ["xmllint", "--noout", ah]),
                    ("xmllint --noout the web.config files (xargs)",
                     ["sh", "-c", f"xargs xmllint --noout < '{webconfigs}'"]),
                ]
            if tools["xmlstarlet"]:
                xp = f"/configuration/location[@path='{loc}']/system.web/sessionState/@timeout"
                rows += [
                    ("xmlstarlet ed -L -u (same edit)",
                     lambda i: ["xmlstarlet", "ed", "-L", "-u", xp, "-v", str(200 + i), ah]),
                    ("xmlstarlet sel (same value)",
                     ["xmlstarlet", "sel", "-t", "-v", xp, ah]),
                ]
            # The new tree on disk first, so no run waits for the write-back of its making.
            subprocess.run(["sync"], check=True)
            # Round by round, every command once per round: this machine's speed drifts over
            # minutes, and a ratio of two rows timed minutes apart would carry the drift. Only
            # xmlstarlet's edit goes after all the rounds: it rewrites applicationHost.config
            # in its own way (the other rows would then read its file, not the tree's).
            samples = {label: [] for label, _ in rows}
            last = [r for r in rows if r[0].startswith("xmlstarlet ed")]
            rounds = [r for r in rows if r not in last]
            for group in (rounds, last):
                for i in range(a.runs):
                    for label, cmd in group:
                        samples[label].append(
                            timed(lambda _, c=cmd, i=i: c(i) if callable(c) else c, 1)
                        )
            for label, runs in samples.items():
                results.setdefault(label, {})[n] = (
                    statistics.median(r[0] for r in runs),
                    max(r[1] for r in runs),
                    statistics.median(r[2] for r in runs),
                )
        sizes = sorted({n for r in results.values() for n in r})
        print(f"median of {a.runs} runs; peak memory in MB")
        head = "| command | " + " | ".join(f"{n} sites" for n in sizes) + " | growth |"
        print(head)
        print("|" + "---|" * (len(sizes) + 2))
        for label, by in results.items():
            cells = [f"{by[n][0]:.3f} s ({by[n][2]:.3f} s CPU), {by[n][1]:.0f} MB" if n in by else "" for n in sizes]
            # (peak of a shell pipeline is the shell's; the tools' own is not measured there)
            growth = ""
            if len(sizes) > 1 and all(n in by for n in sizes) and by[sizes[0]][0] > 0:
                growth = f"{by[sizes[-1]][0] / by[sizes[0]][0]:.1f}x"
            print(f"| {label} | " + " | ".join(cells) + f" | {growth} |")
        # The targets of issue 18: set against reading, writing and fsyncing the file, and
        # lint --root against xmllint over the same web.config files, in wall and CPU time.
        print()
        print("| ratio | " + " | ".join(f"{n} sites (wall, CPU)" for n in sizes) + " |")
        print("|" + "---|" * (len(sizes) + 1))
        # The last pair sums xmllint over every file lint --root itself reads beside the
        # web.config files (applicationHost.config; the framework files are a few KB): the
        # same work, where the target compares against the web.config files alone.
        pairs = [
            ("set PATH /commit:apphost", ("cp + sync of applicationHost.config (reference)",)),
            ("set PATH /commit:apphost",
             ("cp + sync + mv + sync of the folder (atomic replace, reference)",)),
            ("lint --root (whole server, inheritance)",
             ("xmllint --noout the web.config files (xargs)",)),
            ("lint --root (whole server, inheritance)",
             ("xmllint --noout the web.config files (xargs)",
              "xmllint --noout applicationHost.config")),
            # Finding the files (find) and parsing them (xmllint): what lint --root does
            # before it resolves a level or runs a rule.
            ("lint --root (whole server, inheritance)",
             ("find -iname web.config (the walk alone, reference)",
              "xmllint --noout the web.config files (xargs)")),
        ]
        for ours, refs in pairs:
            if ours not in results or any(r not in results for r in refs):
                continue
            cells = []
            for n in sizes:
                o = results[ours].get(n)
                rs = [results[r].get(n) for r in refs]
                if o and all(rs):
                    wall, cpu = sum(r[0] for r in rs), sum(r[2] for r in rs)
                    cells.append(f"{o[0] / wall:.2f}x, {o[2] / cpu:.2f}x" if wall > 0 and cpu > 0 else "")
                else:
                    cells.append("")
            print(f"| {ours} / {' + '.join(refs)} | " + " | ".join(cells) + " |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
