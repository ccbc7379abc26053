"""Information systems per business function, with their security class."""

from __future__ import annotations

from ictmerge.engine.demo.base import _BuilderBase
from ictmerge.engine.demo.catalogue import (
    _CORE_FUNCTIONS,
    _PRODUCTS_BY_FUNCTION,
    _SECURITY_CLASSES,
)
from ictmerge.engine.demo.draws import _pick
from ictmerge.engine.demo.records import LEVELS, DemoSystem


class _Systems(_BuilderBase):
    """Information systems per business function, with their security class."""

    def add_systems(self, copy: int) -> dict[str, int]:
        rng = self.rng
        size = self.m.population
        by_function: dict[str, int] = {}
        for function in self.spec.functions:
            if function.code not in _CORE_FUNCTIONS and rng.random() > min(0.9, 0.45 + size / 40000):
                continue
            if function.national_system:
                vendor, product, hosting = "State", function.national_system, "state"
            else:
                options = _PRODUCTS_BY_FUNCTION.get(function.code, (("Microsoft", "Excel"),))
                vendor, product = (self.accounting if function.code == "finance"
                                   else rng.choice(options))
                hosting = _pick(rng, ("on_premises", "vendor_hosted", "cloud"), (0.55, 0.3, 0.15))
                if product in ("Microsoft 365", "Google Workspace"):
                    hosting = "cloud"
            levels = [self._assessed(level) for level in function.default_cia]
            key = len(self.systems)
            self.systems.append(DemoSystem(
                key=key, name=f"{product}" + (f" ({copy + 1})" if copy else ""),
                function_code=function.code, vendor=vendor, product=product, hosting=hosting,
                users=max(1, round(rng.uniform(0.002, 0.02) * size)),
                records=round(size * rng.uniform(0.5, 20)),
                integrations="\n".join(function.national_registers),
                annual_cost_eur=0 if hosting == "state" else round(rng.uniform(300, 3000)
                                                                  * (1 + size / 15000)),
                lifecycle=_pick(rng, ("current", "ageing", "end_of_life"), (0.5, 0.35, 0.15)),
                confidentiality=levels[0], integrity=levels[1], availability=levels[2],
                security_class=self._security_class(levels)))
            if hosting == "on_premises":
                by_function[function.code] = key
        return by_function

    def _assessed(self, default: str) -> str:
        """A requirement as the predecessor assessed it: often the default, often not."""
        roll = self.rng.random()
        if roll < 0.1:
            return ""  # never assessed
        if roll < 0.6:
            return default
        index = LEVELS.index(default) + self.rng.choice((-1, 1))
        return LEVELS[min(max(index, 0), len(LEVELS) - 1)]

    def _security_class(self, levels: list[str]) -> str:
        """The class as the predecessor assigned it: not always what its requirements imply."""
        roll = self.rng.random()
        if roll < 0.2:
            return ""
        if roll < 0.5:
            return self.rng.choice(_SECURITY_CLASSES)
        highest = max((LEVELS.index(level) for level in levels if level), default=0)
        return _SECURITY_CLASSES[len(_SECURITY_CLASSES) - 1 - highest]
