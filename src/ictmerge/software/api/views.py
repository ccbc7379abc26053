"""Software register endpoints of the REST API (the same services as the pages and the CLI)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ictmerge.core import scoping
from ictmerge.core.payloads import Detail, JobLink, ListFieldErrors
from ictmerge.engine.software import RawTitle
from ictmerge.inventory.choices import ProductCategory
from ictmerge.reforms.counties import CountyAPIView, covered_ids, municipality_for
from ictmerge.reforms.models import Municipality
from ictmerge.software import portfolio, proofs, services
from ictmerge.software.engine_json import normalised_json
from ictmerge.software.jobs import start_normalise
from ictmerge.software.payloads import (
    ContractsToAct,
    LicencePosition,
    NormalisedTitles,
    PortfolioPayload,
    ReviewQueue,
    TitleMapped,
    TitlesMapped,
)


class PositionQuery(serializers.Serializer[Any]):
    """Parameters of the licence position."""

    as_of = serializers.DateField(required=False, help_text="Default: the reform date.")
    months = serializers.IntegerField(required=False, min_value=0, max_value=120, default=12)


class PositionView(CountyAPIView):
    """The licence position of a municipality (a new one counts all its predecessors)."""

    accepts_former = True

    @extend_schema(parameters=[PositionQuery], responses={200: LicencePosition})
    def get(self, request: Request, pk: int) -> Response:
        municipality = self.municipality
        query = PositionQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        report = services.licence_position(municipality, as_of=query.validated_data.get("as_of"),
                                           months=query.validated_data["months"])
        return Response(services.position_json(report))


class ContractsView(CountyAPIView):
    """Every contract of the municipality's county to act on before the reform date."""

    accepts_former = True

    @extend_schema(responses={200: ContractsToAct})
    def get(self, request: Request, pk: int) -> Response:
        municipality = self.municipality
        return Response(services.contracts_json(municipality,
                                                services.contracts_to_act_on(municipality)))


class PortfolioView(CountyAPIView):
    """The software register per predecessor and merged, and the products to keep per function."""

    accepts_former = True

    @extend_schema(responses={200: PortfolioPayload})
    def get(self, request: Request, pk: int) -> Response:
        municipality = self.municipality
        return Response(portfolio.portfolio_json(portfolio.portfolio(municipality)))


class ProofView(APIView):
    """A licence's proof document (the file itself); 404 outside the caller's scope."""

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request: Request, pk: int) -> Any:
        return proofs.proof_response(request.user, pk)


class MapTitleInput(serializers.Serializer[Any]):
    """A steward's mapping of one title."""

    name = serializers.CharField(max_length=300)
    publisher = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    vendor = serializers.CharField(max_length=200)
    product = serializers.CharField(max_length=200)
    major_version = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    category = serializers.ChoiceField(choices=ProductCategory.choices)
    any_publisher = serializers.BooleanField(required=False, default=False)
    municipality = serializers.IntegerField(required=False, help_text="Owner of the rule (id), "
                                            "where it holds; default: your own municipality, else "
                                            "where the title is most installed in your scope.")
    shared = serializers.BooleanField(required=False, default=False, help_text="The rule holds "
                                      "in every municipality (administrators only).")


class ReviewQueueView(APIView):
    """Unknown and low-confidence titles (GET); map one to a product, creating a title rule (POST)."""

    @extend_schema(parameters=[OpenApiParameter("municipality", int, description="Municipality "
                                                "or county id (default: all in scope)")],
                   responses={200: ReviewQueue})
    def get(self, request: Request) -> Response:
        value = request.query_params.get("municipality")
        if value:
            try:
                ids: set[int] | None = set(covered_ids(municipality_for(request.user, int(value))))
            except ValueError as error:
                raise Http404 from error
        else:
            ids = scoping.visible_ids(request.user)
        queue = services.review_queue(ids)
        answer: ReviewQueue = {"count": len(queue), "titles": [
            {"name": i.name, "publisher": i.publisher, "version": i.version,
             "installs": i.installs, "rows": i.rows, "municipalities": i.municipalities,
             "suggestion": normalised_json(i.suggestion)} for i in queue]}
        return Response(answer)

    @extend_schema(request=MapTitleInput,
                   # Why it was refused, or the fields' errors (field name → messages).
                   responses={201: TitleMapped, 400: Detail | dict[str, list[str]]})
    def post(self, request: Request) -> Response:
        data = MapTitleInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        owner = None
        if "municipality" in values:
            owner = Municipality.objects.filter(pk=values["municipality"]).first()
            if owner is None or not services.may_view(request.user, owner):
                return Response({"municipality": ["No such municipality."]}, status=400)
        try:
            result = services.map_title(request.user, values["name"], values["publisher"],
                                        values["vendor"], values["product"], values["category"],
                                        values["major_version"], municipality=owner,
                                        any_publisher=values["any_publisher"],
                                        shared=values["shared"])
        except ValidationError as error:
            return Response(error.message_dict, status=400)
        except services.SoftwareError as error:
            return Response({"detail": str(error)}, status=400)
        mapped: TitleMapped = {"rule": result.rule.pk,
                               "municipality": result.rule.municipality.code,
                               "installations_changed": result.applied.changed,
                               "municipalities": result.municipalities}
        return Response(mapped, status=201)


class ReviewTitleInput(serializers.Serializer[Any]):
    """A title of the review queue, as reported."""

    name = serializers.CharField(max_length=300)
    publisher = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class MapTitlesInput(serializers.Serializer[Any]):
    """The selected titles of the review queue and the one product they all are."""

    titles = serializers.ListField(child=ReviewTitleInput(), allow_empty=False, max_length=500)
    vendor = serializers.CharField(max_length=200)
    product = serializers.CharField(max_length=200)
    major_version = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    category = serializers.ChoiceField(choices=ProductCategory.choices)
    any_publisher = serializers.BooleanField(required=False, default=False)
    municipality = serializers.IntegerField(required=False, help_text="Owner of the rules (id); "
                                            "default as for one title.")


class MapSelectedView(APIView):
    """Map the selected titles of the review queue to one product at once, a title rule each;
    all or nothing (the first refusal changes nothing)."""

    @extend_schema(request=MapTitlesInput,
                   # Why it was refused, or the fields' errors (field name → messages).
                   responses={201: TitlesMapped, 400: Detail | ListFieldErrors})
    def post(self, request: Request) -> Response:
        data = MapTitlesInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        owner = None
        if "municipality" in values:
            owner = Municipality.objects.filter(pk=values["municipality"]).first()
            if owner is None or not services.may_view(request.user, owner):
                return Response({"municipality": ["No such municipality."]}, status=400)
        try:
            results = services.map_titles(
                request.user, [(t["name"], t["publisher"]) for t in values["titles"]],
                values["vendor"], values["product"], values["category"], values["major_version"],
                municipality=owner, any_publisher=values["any_publisher"])
        except ValidationError as error:
            return Response(error.message_dict, status=400)
        except services.SoftwareError as error:
            return Response({"detail": str(error)}, status=400)
        mapped: list[TitleMapped] = [
            {"rule": r.rule.pk, "municipality": r.rule.municipality.code,
             "installations_changed": r.applied.changed, "municipalities": r.municipalities}
            for r in results]
        return Response(TitlesMapped(count=len(mapped), mapped=mapped), status=201)


class NormaliseInput(serializers.Serializer[Any]):
    """Which municipality (or county) to normalise."""

    municipality = serializers.IntegerField()


class NormaliseView(APIView):
    """Queue the normalisation of a municipality's or a county's installations (a job)."""

    @extend_schema(request=NormaliseInput, responses={202: JobLink, 403: Detail})
    def post(self, request: Request) -> Response:
        data = NormaliseInput(data=request.data)
        data.is_valid(raise_exception=True)
        municipality = municipality_for(request.user, data.validated_data["municipality"])
        if not services.may_normalise(request.user, municipality):
            return Response({"detail": "You may not change every municipality of this county."},
                            status=status.HTTP_403_FORBIDDEN)
        job = start_normalise(request.user, municipality)
        started: JobLink = {"job": job.pk, "url": reverse("job_detail", args=[job.pk])}
        return Response(started, status=status.HTTP_202_ACCEPTED)


class TitleInput(serializers.Serializer[Any]):
    """One raw title."""

    name = serializers.CharField(max_length=1000)
    publisher = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    version = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class TitlesInput(serializers.Serializer[Any]):
    """Raw titles to normalise (at most 10,000)."""

    titles = TitleInput(many=True)

    def validate_titles(self, value: list[Any]) -> list[Any]:
        if len(value) > 10_000:
            raise serializers.ValidationError("At most 10,000 titles per request.")
        return value


class NormaliseTitlesView(APIView):
    """Normalise raw titles without storing anything (the `software normalize` contract)."""

    @extend_schema(request=TitlesInput, responses={200: NormalisedTitles})
    def post(self, request: Request) -> Response:
        data = TitlesInput(data=request.data)
        data.is_valid(raise_exception=True)
        visible = scoping.visible_ids(request.user)
        normaliser = services.current_normaliser(visible if visible else None)
        # The titles of one request are one listing, as a file is for `software normalize`.
        results = normaliser.normalise_listing(
            [RawTitle(t["name"], t["publisher"], t["version"]) for t in data.validated_data["titles"]])
        answer: NormalisedTitles = {"results": [normalised_json(r) for r in results]}
        return Response(answer)
