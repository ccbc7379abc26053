"""Background jobs of the software register: normalising installations in bulk."""

from __future__ import annotations

from typing import Any

from ictmerge.core.jobs import JobContext, job_handler, start_job
from ictmerge.reforms.counties import covered_ids
from ictmerge.reforms.models import Municipality

JOB_KIND = "software.normalise"


@job_handler(JOB_KIND)
def normalise_job(context: JobContext) -> dict[str, Any]:
    """Normalise the installations of a municipality or county (params: municipality id)."""
    from ictmerge.software.services import normalise_installations

    municipality = Municipality.objects.get(pk=int(context.params["municipality"]))
    result = normalise_installations(covered_ids(municipality), progress=context.progress)
    return {"municipality": municipality.code, "installations": result.installations,
            "titles": result.titles, "changed": result.changed,
            "products_created": result.products_created, "needs_review": result.needs_review}


def start_normalise(user: Any, municipality: Any) -> Any:
    """Queue the normalisation of a municipality's (or a county's) installations."""
    from django.utils.translation import gettext


    title = gettext("Normalise the installed software of %(name)s") % {"name": municipality.name}
    return start_job(JOB_KIND, title, {"municipality": municipality.pk}, user=user,
                     municipality=municipality)
