"""Background jobs of the inventory: the demo load."""

from __future__ import annotations

from typing import Any

from ictmerge.core.jobs import JobContext, job_handler


@job_handler("demo.load")
def demo_load_job(context: JobContext) -> dict[str, Any]:
    """Generate and load the demo inventory of a reform (params: reform, seed, scale)."""
    from ictmerge.inventory.demo import load_demo

    result = load_demo(str(context.params.get("reform", "lv-2021")),
                       seed=int(context.params.get("seed", 1)),
                       scale=int(context.params.get("scale", 1)),
                       progress=context.progress)
    return {"reform": result.reform, "seed": result.seed, "scale": result.scale,
            "municipalities": result.municipalities, "counts": result.counts,
            "deleted": result.deleted, "seconds": round(result.seconds, 2)}
