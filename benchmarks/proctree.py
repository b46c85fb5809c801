"""Memory of a whole process tree (a build and its PDF workers), sampled from /proc every ~50 ms.

`ru_maxrss` of a waited-for child misses the PDF workers (children of the forkserver, never waited
for by the caller), and they are where the memory goes. This samples the main process and every
descendant: RSS (what each process holds, shared pages counted in each) and PSS (shared pages split
between the processes sharing them, so the tree's sum is what the tree really costs). Linux only.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass, field

PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")
MIB = 1024 * 1024


@dataclass
class TreeMemory:
    """Peaks over the samples, in MiB."""

    tree_rss: float = 0.0  # the largest sum of RSS over the tree at one moment
    tree_pss: float = 0.0  # the same, PSS
    main_rss: float = 0.0  # the process started
    worker_rss: float = 0.0  # the largest single descendant (a PDF worker, the forkserver, the site engine)
    processes: int = 0  # the most processes alive at one moment
    samples: int = 0
    cpu_ticks: dict[int, int] = field(default_factory=dict, repr=False)  # pid -> user+system, last sampled

    @property
    def cpu_seconds(self) -> float:
        """CPU time of the tree (up to each process's last sample): unlike wall-clock time, it hardly
        depends on what else the machine runs."""
        return sum(self.cpu_ticks.values()) / TICKS


def descendants(root: int) -> list[int]:
    """`root` and every process below it, from each process's parent in /proc/<pid>/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                # the command name, in parentheses, may hold spaces: the fields after its ')' are fixed
                parent = int(stat.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # ended while being read
        children.setdefault(parent, []).append(int(entry))
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        queue.extend(children.get(pid, []))
    return found


def cpu_ticks(pid: int) -> int | None:
    """User and system time so far, in clock ticks."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of proc(5)
    except (OSError, IndexError, ValueError):
        return None


def rss_and_pss(pid: int) -> tuple[int, int] | None:
    """(RSS, PSS) in bytes, or None for a process that has ended."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            rss = int(statm.read().split()[1]) * PAGE
        pss = rss
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    pss = int(line.split()[1]) * 1024
                    break
        return rss, pss
    except (OSError, IndexError, ValueError):
        return None


def sample(root: int, memory: TreeMemory) -> None:
    rss_sum = pss_sum = 0
    alive = 0
    for pid in descendants(root):
        figures = rss_and_pss(pid)
        if figures is None:
            continue
        alive += 1
        rss, pss = figures
        rss_sum, pss_sum = rss_sum + rss, pss_sum + pss
        memory.cpu_ticks[pid] = cpu_ticks(pid) or memory.cpu_ticks.get(pid, 0)
        if pid == root:
            memory.main_rss = max(memory.main_rss, rss / MIB)
        else:
            memory.worker_rss = max(memory.worker_rss, rss / MIB)
    memory.tree_rss = max(memory.tree_rss, rss_sum / MIB)
    memory.tree_pss = max(memory.tree_pss, pss_sum / MIB)
    memory.processes = max(memory.processes, alive)
    memory.samples += 1


def run_sampled(command: list[str], interval: float = 0.05, **popen: object) -> tuple[float, TreeMemory]:
    """Run `command` to the end (an error if it fails); its wall-clock seconds and its tree's memory peaks."""
    memory = TreeMemory()
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)  # type: ignore[call-overload]
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            sample(process.pid, memory)
            done.wait(interval)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    watcher.join()
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command, stdout, stderr)
    return seconds, memory
