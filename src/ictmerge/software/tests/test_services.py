"""The software services: normalising installations, the review queue, rules, position, contracts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ictmerge.core.choices import ChangeAction
from ictmerge.core.history import history_for
from ictmerge.inventory.models import Installation, SoftwareProduct
from ictmerge.reforms.counties import covered_ids
from ictmerge.reforms.models import Municipality
from ictmerge.software import services
from ictmerge.software.choices import ContractAction, RuleMatch
from ictmerge.software.models import TitleRule
from ictmerge.software.tests.conftest import Register

pytestmark = pytest.mark.django_db


def _products(municipality: Municipality) -> dict[str, str]:
    return {i.raw_name: str(i.product) for i in Installation.objects.filter(
        municipality=municipality).select_related("product")}


def test_it_points_each_installation_at_its_product_and_reuses_known_products(register: Register) -> None:
    """GIVEN raw titles WHEN normalised THEN localised Office titles share the stored Office 2016
    product, Visio Viewer and 7-Zip get products of their own, and the history has before/after."""
    world = register.world
    result = services.normalise_installations(covered_ids(world.north))
    assert result.installations == 6 and result.changed == 6
    a = _products(world.former_a)
    assert a["Microsoft Office Professional Plus 2016"] == str(register.office)
    assert a["Microsoft Office profesionālais plus 2016"] == str(register.office)
    b = _products(world.former_b)
    assert b["Microsoft Visio Viewer 2016"] == "Microsoft Visio Viewer 2016"
    assert SoftwareProduct.objects.get(name="Visio Viewer").category == "free"
    assert _products(world.former_c) == {"Grāmatvedis Pro klients": "None"}  # not in the county
    change = history_for(Installation.objects.get(raw_name="7-Zip 19.00 (x64)")).first()
    assert change.action == ChangeAction.UPDATE
    assert change.before["product_id"] is None and change.after["product_id"] is not None
    assert history_for(SoftwareProduct.objects.get(name="7-Zip")).first().action == ChangeAction.CREATE


def test_a_second_run_changes_nothing(register: Register) -> None:
    ids = covered_ids(register.world.north)
    services.normalise_installations(ids)
    products = SoftwareProduct.objects.count()
    again = services.normalise_installations(ids)
    assert (again.changed, again.products_created) == (0, 0)
    assert SoftwareProduct.objects.count() == products


def test_the_review_queue_lists_unknown_titles_within_the_scope(register: Register) -> None:
    world = register.world
    north = services.review_queue(set(covered_ids(world.north)))
    assert [(i.name, i.installs, i.municipalities) for i in north] == [("Grāmatvedis Pro klients", 3, 1)]
    everywhere = services.review_queue(None)
    assert everywhere[0].installs == 5 and everywhere[0].municipalities == 2
    assert services.review_queue({world.former_b.pk}) == []


def test_a_mapping_becomes_a_rule_applied_where_the_steward_may_write(register: Register) -> None:
    """GIVEN an unknown title in A and C WHEN A's steward maps it THEN a rule owned by A exists,
    A's installations point at the product at once, and A's queue no longer lists the title;
    C's installations keep their product, even at C's next normalisation (the rule holds in A)."""
    world = register.world
    SoftwareProduct.objects.create(vendor="Birojs", name="Grāmatvedis Pro")
    result = services.map_title(world.users["steward"], "Grāmatvedis Pro klients", "Birojs SIA",
                                "Birojs", "Grāmatvedis Pro", "licensable")
    assert result.rule.municipality == world.former_a
    assert result.applied.changed == 1 and result.municipalities == 1
    assert _products(world.former_a)["Grāmatvedis Pro klients"] == "Birojs Grāmatvedis Pro"
    assert _products(world.former_c) == {"Grāmatvedis Pro klients": "None"}
    assert services.review_queue({world.former_a.pk}) == []
    assert [i.name for i in services.review_queue(None)] == ["Grāmatvedis Pro klients"]
    assert history_for(result.rule).first().user_name == "steward"
    services.normalise_installations([world.former_c.pk])
    assert _products(world.former_c)["Grāmatvedis Pro klients"] != "Birojs Grāmatvedis Pro"


def test_a_bad_mapping_names_the_field_and_changes_nothing(register: Register) -> None:
    world = register.world
    with pytest.raises(ValidationError) as error:
        services.map_title(world.users["steward"], "Grāmatvedis (", "Birojs SIA", "Birojs", "",
                           "licensable", match=RuleMatch.REGEX,
                           municipality=world.former_a)
    assert set(error.value.message_dict) == {"pattern", "product"}
    assert not TitleRule.objects.exists()
    with pytest.raises(services.SoftwareError):  # C is not the steward's
        services.map_title(world.users["steward"], "Grāmatvedis Pro klients", "Birojs SIA", "B", "P",
                           "licensable", municipality=world.former_c)
    with pytest.raises(services.SoftwareError):  # viewers write nothing
        services.map_title(world.users["viewer"], "Grāmatvedis Pro klients", "Birojs SIA", "B", "P",
                           "licensable")
    assert not TitleRule.objects.exists()


def test_the_position_counts_every_predecessor_and_what_cannot_pass_on(register: Register) -> None:
    """GIVEN 10 Office installs in A, 6 transferable and 2 non-transferable licences in A and B
    WHEN the position of N is taken on the reform date THEN 2 short, 2 not transferable, and 4
    short if those are lost; Acrobat: 2 installs, 5 valid seats (3 expired) → 3 surplus, 5 expiring."""
    world = register.world
    services.normalise_installations(covered_ids(world.north))
    report = services.licence_position(world.north, months=12)
    by_product = {p.product: p for p in report.products}
    office = by_product["Office Professional Plus"]
    assert (office.installs, office.needed, office.entitled, office.shortfall) == (10, 10, 8, 2)
    assert (office.not_transferable, office.shortfall_if_untransferable_lost) == (2, 4)
    assert office.missing_proof == 2 and office.licence_records == 2
    assert office.cost is not None and office.cost.item == "licence.office_suite"
    assert office.cost.quantity == 2 and office.cost.low <= office.cost.expected <= office.cost.high
    acrobat = by_product["Acrobat Pro"]
    assert (acrobat.metric, acrobat.needed, acrobat.entitled) == ("subscription", 2, 5)
    assert (acrobat.shortfall, acrobat.surplus, acrobat.expiring, acrobat.expired) == (0, 3, 5, 3)
    assert "Visio Viewer" not in by_product and "7-Zip" not in by_product  # free programs
    assert [m.code for m in report.predecessors] == ["A", "B"]
    # The unknown accounting program counts as licensable until a steward says otherwise.
    assert by_product["Grāmatvedis Pro klients"].shortfall == 3
    assert report.totals["shortfall"] == 5 and report.totals["products_short"] == 2


def test_expiring_follows_the_date_and_horizon(register: Register) -> None:
    world = register.world
    services.normalise_installations(covered_ids(world.north))
    later = services.licence_position(world.north, as_of=dt.date(2021, 7, 1), months=3)
    acrobat = next(p for p in later.products if p.product == "Acrobat Pro")
    assert acrobat.expiring == 0
    after = services.licence_position(world.north, as_of=dt.date(2022, 1, 1))
    acrobat = next(p for p in after.products if p.product == "Acrobat Pro")
    assert (acrobat.entitled, acrobat.shortfall) == (0, 2)


def test_the_contracts_to_act_on_before_the_reform(register: Register) -> None:
    """Ending before the reform, notice due before it, not assignable; not the fine one, not one
    that ended years ago, not another county's."""
    world = register.world
    items = services.contracts_to_act_on(world.north)
    reasons = {i.contract.title: i.reasons for i in items}
    assert reasons == {
        "ends_before": (ContractAction.ENDS_BEFORE_REFORM,),
        "notice_due": (ContractAction.NOTICE_BEFORE_REFORM,),
        "not_assignable": (ContractAction.NOT_ASSIGNABLE,),
    }
    decide = {i.contract.title: i.decide_by for i in items}
    reform = world.reform.effective_date
    assert decide["notice_due"] == reform + dt.timedelta(days=60) - dt.timedelta(days=90)
    assert decide["not_assignable"] == reform
    assert [i.decide_by for i in items] == sorted(i.decide_by for i in items)
    assert [i.contract.title for i in services.contracts_to_act_on(world.south)] == ["other_county"]
