"""The demo loader: exact published totals, determinism, replacement and history."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import models, transaction
from django.db.models import Count, Q, Sum

from ictmerge.core.choices import ChangeAction
from ictmerge.core.history import history_for
from ictmerge.engine import demo as engine
from ictmerge.inventory import choices
from ictmerge.inventory.demo import DEMO_MODELS, load_demo
from ictmerge.inventory.models import (
    Device,
    IctFinance,
    InformationSystem,
    Installation,
    Licence,
    ServerRoom,
    Workload,
)

SHARE = Decimal("0.0075")


@pytest.fixture(scope="module")
def latvia(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    """The Latvian reform with the seed-1 demo, loaded once and rolled back after the module."""
    from ictmerge.reforms.services import load_bundled

    with django_db_blocker.unblock(), transaction.atomic():
        reform = load_bundled("lv-2021")
        result = load_demo("lv-2021", seed=1)
        yield reform, result
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_it_reproduces_the_published_totals_exactly(latvia: Any) -> None:
    """GIVEN lv-2021 WHEN the demo loads at scale 1 THEN the audit's figures come out exactly."""
    reform, _ = latvia
    formers = {"municipality__reform": reform}
    assert Device.objects.filter(kind__in=choices.DeviceKind.COMPUTER_KINDS,
                                 **formers).count() == 68448
    assert Device.objects.filter(kind=choices.DeviceKind.SERVER, is_virtual=False,
                                 **formers).count() == 630
    assert ServerRoom.objects.filter(**formers).count() == 164
    finance = IctFinance.objects.filter(**formers)
    assert finance.filter(surveyed=True).values("municipality").distinct().count() == 117
    reporting = finance.filter(ict_spend_eur__isnull=False)
    assert reporting.count() == 115
    assert reporting.aggregate(total=Sum("ict_spend_eur"))["total"] == Decimal(16_200_000)
    at_or_below = sum(1 for f in reporting
                      if (spend := f.ict_spend_eur) is not None
                      and (total := f.total_expenditure_eur) is not None and spend <= total * SHARE)
    assert at_or_below > 115 / 2


@pytest.mark.django_db
def test_it_leaves_out_the_unsurveyed_and_marks_the_non_reporting(latvia: Any) -> None:
    """Rīga and Jūrmala have no survey rows; Vaiņode and Pāvilosta were surveyed without spend."""
    reform, _ = latvia
    names = set(IctFinance.objects.filter(municipality__reform=reform)
                .values_list("municipality__name", flat=True))
    assert not names & {"Rīga", "Jūrmala"}
    silent = IctFinance.objects.filter(municipality__reform=reform, ict_spend_eur__isnull=True)
    assert {f.municipality.name for f in silent} == {"Vaiņodes novads", "Pāvilostas novads"}
    assert all(f.surveyed for f in silent)


@pytest.mark.django_db
def test_it_spreads_by_size_with_the_messy_details(latvia: Any) -> None:
    """Cities have several rooms and dozens of servers; systems vary within a county."""
    reform, _ = latvia
    servers = dict(Device.objects.filter(municipality__reform=reform, kind="server")
                   .values_list("municipality__name").annotate(n=Count("id")))
    assert servers["Daugavpils"] >= 15
    assert min(servers.values()) >= 1
    assert ServerRoom.objects.filter(municipality__name="Daugavpils").count() >= 2
    assert Workload.objects.filter(municipality__reform=reform).count() > 630
    assert Licence.objects.filter(transferable=False, municipality__reform=reform).exists()
    governance = set(IctFinance.objects.values_list("governance_model", flat=True))
    assert {"centralised", "decentralised"} <= governance
    # Several finance products among the predecessors of one new municipality.
    vendors = (InformationSystem.objects.filter(function__code="finance",
                                                municipality__successors__new__name="Dienvidkurzemes novads")
               .values("product").distinct().count())
    assert vendors >= 2
    # The same function gets different security classes from different predecessors.
    classes = (InformationSystem.objects.filter(function__code="finance")
               .exclude(security_class="").values("security_class").distinct().count())
    assert classes >= 2


@pytest.mark.django_db
def test_it_records_the_history_of_bulk_loaded_records(latvia: Any) -> None:
    """GIVEN a bulk-loaded device THEN its history holds one creation with its values."""
    device = Device.objects.filter(is_demo=True).order_by("pk").first()
    assert device is not None
    history = list(history_for(device))
    assert [h.action for h in history] == [ChangeAction.CREATE]
    assert history[0].after["serial"] == device.serial
    assert history[0].municipality_id == device.municipality_id
    assert "generated" in device.notes.lower()


@pytest.mark.django_db
def test_it_labels_coordinates_as_generated_and_keeps_them_in_latvia(latvia: Any) -> None:
    """Every room has coordinates inside Latvia's extent, and says they are generated."""
    for room in ServerRoom.objects.all():
        assert room.latitude is not None and room.longitude is not None
        assert Decimal("55.6") < room.latitude < Decimal("58.1")
        assert Decimal("20.9") < room.longitude < Decimal("28.3")
        assert "coordinates are generated" in room.notes.lower()


def _digest(reform: Any) -> str:
    """A digest of every demo row's values (database ids of related rows left out; the
    software product an installation or licence points at, which the load's normalisation
    sets, by its natural key)."""
    digest = hashlib.sha256()
    for model in DEMO_MODELS:
        names = [f.attname for f in model._meta.concrete_fields
                 if not f.primary_key and not (isinstance(f, models.ForeignKey)
                                               and f.name != "municipality")]
        if any(f.name == "product" and isinstance(f, models.ForeignKey)
               for f in model._meta.concrete_fields):
            names += ["product__vendor", "product__name", "product__edition",
                      "product__major_version"]
        queryset = model.objects.filter(municipality__reform=reform)  # type: ignore[attr-defined]
        for row in queryset.order_by(*names[:4], "pk").values_list(*names):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _per_municipality(reform: Any) -> dict[str, tuple[int, int]]:
    rows = (Device.objects.filter(municipality__reform=reform).values("municipality__code")
            .annotate(computers=Count("id", filter=Q(kind__in=choices.DeviceKind.COMPUTER_KINDS)),
                      servers=Count("id", filter=Q(kind="server"))))
    return {r["municipality__code"]: (r["computers"], r["servers"]) for r in rows}


@pytest.mark.django_db
def test_it_gives_identical_data_for_the_same_seed(world: Any) -> None:
    """GIVEN two loads with the same seed THEN the rows are identical (and replaced, not added),
    the installed titles normalised to the same products."""
    load_demo(world.reform.code, seed=7)
    first = _digest(world.reform)
    assert not Installation.objects.filter(product__isnull=True).exists()
    result = load_demo(world.reform.code, seed=7)
    assert result.deleted > 0
    assert _digest(world.reform) == first


@pytest.mark.django_db
def test_it_generates_a_licence_mix_with_and_without_proofs(world: Any) -> None:
    """GIVEN the demo WHEN its licences are read THEN OEM Windows covers the PCs that run
    Windows, Office is under volume licences, some licences are subscriptions, and some have
    a proof while others have none."""
    load_demo(world.reform.code, seed=7)
    licences = Licence.objects.filter(municipality__reform=world.reform)
    oem = licences.filter(licence_type="oem")
    devices = Device.objects.filter(municipality__reform=world.reform)
    windows_pcs = devices.filter(kind__in=("desktop", "laptop"), os__startswith="Windows").count()
    pcs = devices.filter(kind__in=choices.DeviceKind.COMPUTER_KINDS).count()
    assert oem.aggregate(n=Sum("quantity"))["n"] == windows_pcs > pcs // 2
    assert all(name.startswith("Windows") for name in oem.values_list("product_name", flat=True))
    assert licences.filter(licence_type="volume", product_name__contains="Office").exists()
    assert licences.filter(licence_type="subscription").exists()
    assert licences.exclude(proof_reference="").exists() and licences.filter(proof_reference="").exists()


@pytest.mark.django_db
def test_it_changes_the_spread_not_the_totals_for_another_seed(world: Any) -> None:
    """GIVEN another seed THEN per-municipality values differ and the totals stay."""
    load_demo(world.reform.code, seed=1)
    one = _per_municipality(world.reform)
    spend_one = IctFinance.objects.aggregate(s=Sum("ict_spend_eur"))["s"]
    load_demo(world.reform.code, seed=2)
    two = _per_municipality(world.reform)
    assert one != two
    assert sum(c for c, _ in one.values()) == sum(c for c, _ in two.values())
    assert sum(s for _, s in one.values()) == sum(s for _, s in two.values())
    assert IctFinance.objects.aggregate(s=Sum("ict_spend_eur"))["s"] == spend_one


@pytest.mark.django_db
def test_it_keeps_real_records_when_replacing_demo_data(world: Any) -> None:
    """A record entered by a user survives a demo reload."""
    real = Device.objects.create(municipality=world.former_a, kind="desktop", name="real-pc")
    load_demo(world.reform.code, seed=1)
    load_demo(world.reform.code, seed=1)
    assert Device.objects.filter(pk=real.pk).exists()


@pytest.mark.django_db
def test_it_multiplies_contents_with_scale(world: Any) -> None:
    """--scale 2 doubles every municipality's computers and servers."""
    load_demo(world.reform.code, seed=1)
    one = _per_municipality(world.reform)
    load_demo(world.reform.code, seed=1, scale=2)
    two = _per_municipality(world.reform)
    assert two == {code: (2 * c, 2 * s) for code, (c, s) in one.items()}


def test_it_uses_the_inventorys_choice_values() -> None:
    """The engine spells kinds and levels as the inventory's choices do."""
    assert set(engine.COMPUTER_KINDS) == set(choices.DeviceKind.COMPUTER_KINDS)
    assert set(engine.LEVELS) == set(choices.Level.values)
    assert set(engine.GOVERNANCE_MODELS) == set(choices.GovernanceModel.values)


@pytest.mark.django_db
def test_it_loads_the_demo_as_a_background_job(world: Any) -> None:
    """The job kind demo.load does the same work and reports its counts."""
    from ictmerge.core.choices import JobStatus
    from ictmerge.core.jobs import run_job, start_job

    job = start_job("demo.load", "Demo", params={"reform": world.reform.code, "seed": 3})
    job = run_job(job.pk)
    assert job.status == JobStatus.SUCCEEDED, job.error
    # Only this reform's devices: the module may hold the Latvian demo at the same time.
    assert job.result["counts"]["device"] == Device.objects.filter(
        is_demo=True, municipality__reform=world.reform).count()


@pytest.mark.django_db
def test_it_writes_the_same_rows_whatever_the_chunk_size(world: Any, monkeypatch: Any) -> None:
    """GIVEN the demo loaded in one chunk WHEN loaded again a municipality at a time (bounded
    memory at any reform size) THEN the rows are identical, each with one creation in its
    history."""
    from ictmerge.core.models import ChangeRecord
    from ictmerge.inventory import demo

    monkeypatch.setattr(demo, "CHUNK_DEVICES", 10**9)
    load_demo(world.reform.code, seed=7)
    whole = _digest(world.reform)
    monkeypatch.setattr(demo, "CHUNK_DEVICES", 1)
    result = load_demo(world.reform.code, seed=7)
    assert _digest(world.reform) == whole
    devices = list(Device.objects.filter(is_demo=True, municipality__reform=world.reform)
                   .values_list("pk", flat=True))
    assert result.counts["device"] == len(devices) > 0
    created = ChangeRecord.objects.filter(content_type__model="device", object_id__in=devices,
                                          action=ChangeAction.CREATE)
    assert created.count() == len(devices)
