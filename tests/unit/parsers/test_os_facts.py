"""df, /proc/mounts, /proc files, sysctl, THP, clock synchronisation and ss."""

from __future__ import annotations

import pytest

from kafkapilot.parsers import os_facts
from kafkapilot.parsers.errors import ParseError
from kafkapilot.parsers.os_facts import (
    DfRow,
    Limit,
    Mount,
    Socket,
    mount_for_path,
    parse_clock_sync,
    parse_df,
    parse_int,
    parse_limits,
    parse_listening_sockets,
    parse_meminfo,
    parse_mounts,
    parse_proc_status,
    parse_sysctl,
    parse_thp,
    vm_rss_bytes,
    vm_swap_bytes,
)
from tests.unit.parsers._samples import sample


def test_df_blocks() -> None:
    rows = parse_df(sample("df_PT.txt"))
    assert rows[1] == DfRow(
        filesystem="/dev/nvme1n1",
        fstype="xfs",
        total=1073217536,
        used=858574028,
        available=214643508,
        use_percent=81,
        mountpoint="/var/lib/kafka/data-1",
        unit="1024-blocks",
    )
    assert [r.mountpoint for r in rows] == ["/", "/var/lib/kafka/data-1", "/var/lib/kafka/data 2", "/dev/shm"]
    assert rows[2].use_percent == 100


def test_df_inodes() -> None:
    rows = parse_df(sample("df_PTi.txt"))
    assert {r.unit for r in rows} == {"Inodes"}
    assert rows[0].total == 2621440 and rows[0].used == 184736 and rows[0].use_percent == 8
    assert rows[2].fstype == "btrfs" and rows[2].use_percent is None


def test_df_dashes_and_header_only() -> None:
    text = "Filesystem Type Inodes IUsed IFree IUse% Mounted on\nnfs:/x nfs4 - - - - /mnt/x\n"
    assert parse_df(text)[0].total is None
    assert parse_df("Filesystem     Type 1024-blocks Used Available Capacity Mounted on\n") == ()


def test_mounts_and_mount_for_path() -> None:
    mounts = parse_mounts(sample("proc_mounts.txt"))
    assert mounts[4] == Mount(
        device="/dev/nvme1n1",
        mountpoint="/var/lib/kafka/data-1",
        fstype="xfs",
        options=("rw", "noatime", "attr2", "inode64", "logbufs=8", "logbsize=32k", "noquota"),
    )
    assert mounts[5].mountpoint == "/var/lib/kafka/data 2"
    assert mount_for_path("/var/lib/kafka/data-1/orders-0", mounts) == mounts[4]
    assert mount_for_path("/var/lib/kafka/data-1", mounts) == mounts[4]
    assert mount_for_path("/var/lib/kafka/data-10", mounts) == mounts[6]
    assert mount_for_path("/var/lib/kafka/data 2/x", mounts) == mounts[5]
    assert mount_for_path("/var/lib/kafka/../kafka/data-1/", mounts) == mounts[4]
    assert mount_for_path("/tmp/x", mounts) == mounts[2]
    assert mount_for_path("/tmp", ()) is None


def test_mount_for_path_prefers_the_newest_of_equal_mountpoints() -> None:
    older = Mount("/dev/a", "/data", "xfs", ())
    newer = Mount("/dev/b", "/data", "ext4", ())
    assert mount_for_path("/data/x", [Mount("r", "/", "ext4", ()), older, newer]) == newer


def test_limits() -> None:
    limits = parse_limits(sample("proc_limits.txt"))
    assert len(limits) == 16
    assert limits["Max open files"] == Limit(soft=100000, hard=100000, units="files")
    assert limits["Max stack size"] == Limit(soft=8388608, hard=None, units="bytes")
    assert limits["Max cpu time"] == Limit(soft=None, hard=None, units="seconds")
    assert limits["Max nice priority"] == Limit(soft=0, hard=0, units=None)
    with pytest.raises(ParseError):
        parse_limits("hello\n")


def test_proc_status() -> None:
    status = parse_proc_status(sample("proc_status.txt"))
    assert status["Name"] == "java"
    assert status["Threads"] == "187"
    assert status["Uid"] == "996\t996\t996\t996"
    assert vm_rss_bytes(status) == 6893120 * 1024
    assert vm_swap_bytes(status) == 10240 * 1024
    assert vm_rss_bytes({}) is None
    assert vm_swap_bytes({"VmSwap": "junk"}) is None


def test_meminfo() -> None:
    meminfo = parse_meminfo(sample("meminfo.txt"))
    assert meminfo["MemTotal"] == 32779936 * 1024
    assert meminfo["MemAvailable"] == 24091356 * 1024
    assert meminfo["HugePages_Total"] == 0
    assert meminfo["Hugepagesize"] == 2048 * 1024


def test_sysctl() -> None:
    values = parse_sysctl(sample("sysctl.txt"))
    assert values["vm.swappiness"] == "1"
    assert values["vm.max_map_count"] == "262144"
    assert values["net.ipv4.tcp_rmem"] == "4096 131072 6291456"
    assert values["fs.file-max"] == "9223372036854775807"
    assert "net.ipv4.tcp_bogus" not in values
    assert parse_sysctl("vm.swappiness=60\nkernel.hostname=a b\n") == {
        "vm.swappiness": "60",
        "kernel.hostname": "a b",
    }
    assert parse_sysctl("/proc/sys/vm/swappiness = 1\n") == {}


def test_thp() -> None:
    assert parse_thp(sample("thp_enabled.txt")) == "madvise"
    assert parse_thp(sample("thp_defrag.txt")) == "madvise"
    assert parse_thp("[always] madvise never\n") == "always"
    assert parse_thp("never\n") == "never"
    assert parse_thp("always madvise never\n") is None


def test_int() -> None:
    assert parse_int("16\n") == 16
    assert parse_int("  4123 ") == 4123
    assert parse_int("ls: cannot access '/proc/1/fd': Permission denied\n") is None
    assert parse_int("1\n2\n") is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("timedatectl_show.txt", True),
        ("timedatectl.txt", False),
        ("timedatectl_centos7.txt", True),
        ("chronyc_tracking.txt", True),
        ("chronyc_tracking_unsync.txt", False),
        ("ntpq_p.txt", True),
    ],
)
def test_clock_sync_samples(name: str, expected: bool) -> None:
    assert parse_clock_sync(sample(name)) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NTPSynchronized=no\n", False),
        ("     remote   refid st t when poll reach delay offset jitter\n====\n+a b 2 u 1 64 377 0 0 0\n", False),
        ("No association ID's returned\n", False),
        ("synchronised to NTP server (10.0.0.1) at stratum 3\n", True),
        ("unsynchronised\n  time server re-starting\n", False),
        ("506 Cannot talk to daemon\n", None),
    ],
)
def test_clock_sync_other_answers(text: str, expected: bool | None) -> None:
    assert parse_clock_sync(text) is expected


def test_listening_sockets() -> None:
    sockets = parse_listening_sockets(sample("ss_ltnp.txt"))
    assert sockets[0] == Socket(address="127.0.0.53", port=53, process="systemd-resolve", pid=612, interface="lo")
    assert sockets[2] == Socket(address="*", port=9092, process="java", pid=2345)
    assert sockets[3].address == "::ffff:10.0.0.11" and sockets[3].port == 9093
    assert sockets[5].address == "::" and sockets[5].process == "sshd"
    assert [s.port for s in sockets if s.process == "java"] == [9092, 9093, 9999]


def test_listening_sockets_old_ss_and_netid() -> None:
    sockets = parse_listening_sockets(sample("ss_ltn_old.txt"))
    assert sockets == (
        Socket(address="*", port=2181, process=None),
        Socket(address="::", port=9092, process="java", pid=1822),
    )
    text = "Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port\ntcp   LISTEN 0 50 *:9092 *:*\n"
    assert parse_listening_sockets(text) == (Socket(address="*", port=9092, process=None),)


def test_os_facts_reexports_everything() -> None:
    for name in os_facts.__all__:
        assert getattr(os_facts, name) is not None
