"""Derived node facts about the filesystems of the data and metadata dirs (docs/facts.md)."""

from __future__ import annotations

import posixpath
from typing import TypeVar

from kafkapilot.facts.model import DfRow, KafkaNode, LogDirFilesystem, LogDirMount, MetadataDir, Mount

__all__ = ["data_dirs"]

Row = TypeVar("Row", DfRow, Mount)


def _holder(path: str, rows: list[Row]) -> Row | None:
    """The row whose mount point is the longest prefix of path."""
    target = posixpath.normpath("/" + path.lstrip("/"))
    best: Row | None = None
    best_length = -1
    for row in rows:
        point = posixpath.normpath(row.mountpoint or "/")
        inside = point in ("/", target) or target.startswith(point + "/")
        if inside and len(point) >= best_length:
            best, best_length = row, len(point)
    return best


def _df_entry(path: str, role: str, row: DfRow | None, app_row: DfRow | None) -> LogDirFilesystem:
    if row is None:
        return LogDirFilesystem(dir=path, role=role, found=False)
    return LogDirFilesystem(
        dir=path, role=role, found=True, filesystem=row.filesystem, fstype=row.fstype, total=row.total,
        used=row.used, available=row.available, use_percent=row.use_percent, mountpoint=row.mountpoint,
        root=row.mountpoint == "/", with_application_logs=app_row is not None and row.mountpoint == app_row.mountpoint,
    )


def _mount_entry(path: str, role: str, row: Mount | None, app_row: Mount | None) -> LogDirMount:
    if row is None:
        return LogDirMount(dir=path, role=role, found=False)
    return LogDirMount(
        dir=path, role=role, found=True, device=row.device, mountpoint=row.mountpoint, fstype=row.fstype,
        options=list(row.options), root=row.mountpoint == "/",
        with_application_logs=app_row is not None and row.mountpoint == app_row.mountpoint,
    )


def data_dirs(node: KafkaNode) -> None:
    """node.log_dir_df, log_dir_df_inodes, log_dir_mounts and metadata_dir_df."""
    dirs = [(d, "data") for d in node.log_dirs or []]
    if node.metadata_log_dir:
        dirs.append((node.metadata_log_dir, "metadata"))
    host = node.os
    app_logs = node.jvm.system_properties.get("kafka.logs.dir") if node.jvm else None
    for fact, host_fact in (("log_dir_df", "df"), ("log_dir_df_inodes", "df_inodes"), ("log_dir_mounts", "mounts")):
        rows = getattr(host, host_fact)
        if node.log_dirs is None:
            setattr(node, fact, None)
            node.unavailable[fact] = node.unavailable.get("config") or "unknown: config is not in the snapshot"
            continue
        if rows is None:
            setattr(node, fact, None)
            node.unavailable[fact] = host.unavailable.get(host_fact) or f"unknown: {host_fact} is not in the snapshot"
            continue
        app_row = _holder(app_logs, rows) if app_logs else None
        if fact == "log_dir_mounts":
            node.log_dir_mounts = [_mount_entry(path, role, _holder(path, rows), app_row) for path, role in dirs]
        else:
            setattr(node, fact, [_df_entry(path, role, _holder(path, rows), app_row) for path, role in dirs])
    node.metadata_dir_df = _metadata_dir_df(node)


def _metadata_dir_df(node: KafkaNode) -> MetadataDir | None:
    """The log_dir_df entry of the dir holding the KRaft metadata log (metadata.log.dir, else the
    first log dir), with `in_data_dir` (metadata.log.dir unset) and `shares_data_filesystem`."""
    entries = node.log_dir_df
    if not entries:
        node.unavailable["metadata_dir_df"] = node.unavailable.get("log_dir_df") or (
            "unknown: log_dir_df is not in the snapshot"
        )
        return None
    data = [e for e in entries if e.role == "data"]
    meta = next((e for e in entries if e.role == "metadata"), None)
    if meta is None:
        return MetadataDir(**entries[0].as_dict(), in_data_dir=True, shares_data_filesystem=True)
    shared = meta.found and any(d.found and d.mountpoint == meta.mountpoint for d in data)
    return MetadataDir(**meta.as_dict(), in_data_dir=False, shares_data_filesystem=shared)
