"""Where page and document tasks run: a pool of processes here, or actors on a Ray cluster."""

from __future__ import annotations

from dataclasses import replace

from recover.read.ocr.factory import EngineSpec, threads_per_worker
from recover.workers.tasks import Workers


def make_workers(spec: EngineSpec, jobs: int | None, ray: str | None, local_ray: bool = False) -> Workers:
    """``jobs`` processes here (default: the usable cores), each with its share of the cores;
    or, with ``ray`` (a cluster address), one actor per CPU of that cluster — of a cluster
    started on this machine when ``local_ray`` (``jobs`` CPUs, default all)."""
    from recover.read.ocr.rapid import usable_cores

    if ray is None:
        from recover.workers.local import PoolWorkers

        count = jobs or usable_cores()
        return PoolWorkers(replace(spec, threads=threads_per_worker(count, usable_cores())), count)
    from recover.workers.ray_cluster import RayWorkers

    return RayWorkers(spec, None if local_ray else ray, jobs)
