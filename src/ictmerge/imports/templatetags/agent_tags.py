"""The agent's last report of a device, for its page."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def sighting_of(device: Any) -> dict[str, Any] | None:
    """{last_seen, agent, agent_version, stale} of the device's last agent report, or None."""
    from ictmerge.imports.agents import stale_before
    from ictmerge.imports.models import DeviceSighting

    sighting = DeviceSighting.objects.filter(device_id=device.pk).first()
    if sighting is None:
        return None
    return {"last_seen": sighting.last_seen, "agent": sighting.agent,
            "agent_version": sighting.agent_version,
            "stale": sighting.last_seen < stale_before()}
