"""Installed titles and the licences that cover them."""

from __future__ import annotations

import datetime as dt
from functools import cache

from ictmerge.engine.demo.base import _BuilderBase
from ictmerge.engine.demo.catalogue import _RESELLERS
from ictmerge.engine.demo.records import DemoLicence, DemoProduct
from ictmerge.engine.shares import apportion
from ictmerge.engine.software.normalise import Normaliser, RawTitle, normaliser_for


@cache
def _normaliser() -> Normaliser:
    return normaliser_for()


@cache
def _register_product(title: str, publisher: str) -> DemoProduct:
    """The product a licence covers, named as the register names the installed title: a
    licence and the installations it covers meet on one product."""
    found = _normaliser().normalise(RawTitle(title, publisher))
    return DemoProduct(found.vendor, found.product, "", found.major_version, found.category.value)


class _Software(_BuilderBase):
    """Installed titles and the licences that cover them."""

    def _install(self, name: str, publisher: str, version: str, count: int) -> None:
        if count > 0:
            key = (name, publisher, version)
            self.installations[key] = self.installations.get(key, 0) + count

    def add_software(self, computers: int, server_keys: list[int], first_device: int) -> None:
        rng = self.rng
        windows = [d for d in self.devices[first_device:] if d.kind in ("desktop", "laptop")]
        os_counts: dict[str, int] = {}
        for device in windows:
            os_counts[device.os] = os_counts.get(device.os, 0) + 1
        for os, number in sorted(os_counts.items()):
            self._install(f"Microsoft {os}", "Microsoft Corporation", "", number)
        office_users = round(len(windows) * rng.uniform(0.9, 1.0))
        office = (
            ("Microsoft Office Professional Plus 2016", "Microsoft Corporation", "16.0.4266.1001"),
            ("Microsoft Office profesionālais plus 2016", "Microsoft Corporation", "16.0.4266.1001"),
            ("Microsoft Office Standard 2013", "Microsoft Corporation", "15.0.4569.1506"),
            ("Microsoft Office Professional Plus 2010", "Microsoft Corporation", "14.0.7015.1000"),
            ("Microsoft Office Home and Business 2019 - lv-lv", "Microsoft Corporation", "16.0.11929.20300"),
            ("Microsoft 365 Apps for enterprise - lv-lv", "Microsoft Corporation", "16.0.13127.20508"),
            ("LibreOffice 6.4.7.2", "The Document Foundation", "6.4.7.2"),
        )
        office_weights = [rng.uniform(0, 1) ** 2 for _ in office]
        office_counts = apportion(office_users, office_weights)
        for (name, publisher, version), number in zip(office, office_counts, strict=True):
            self._install(name, publisher, version, number)
        self._install("Security Update for Microsoft Office 2016 (KB4484103) 32-Bit Edition",
                      "Microsoft Corporation", "", round(sum(office_counts[:2]) * rng.uniform(0.6, 0.95)))
        self._install("Microsoft Visio Viewer 2016", "Microsoft Corporation", "16.0.4266.1001",
                      round(computers * rng.uniform(0.1, 0.4)))
        reader = round(computers * rng.uniform(0.8, 0.98))
        reader_lv = round(reader * rng.uniform(0, 0.5))
        self._install("Adobe Acrobat Reader DC", "Adobe Systems Incorporated", "20.012.20048",
                      reader - reader_lv)
        self._install("Adobe Acrobat Reader DC - Latviešu", "Adobe Systems Incorporated",
                      "20.012.20048", reader_lv)
        acrobat_pro = max(1, round(computers * rng.uniform(0.01, 0.06)))
        self._install("Adobe Acrobat Pro DC", "Adobe Inc.", "20.013.20064", acrobat_pro)
        self._install("Adobe Acrobat XI Pro", "Adobe Systems", "11.0.23",
                      round(acrobat_pro * rng.uniform(0, 0.6)))
        zip_count = round(computers * rng.uniform(0.3, 0.8))
        zip_old = round(zip_count * rng.uniform(0.1, 0.5))
        self._install("7-Zip 19.00 (x64)", "Igor Pavlov", "19.00", zip_count - zip_old)
        self._install("7-Zip 16.04", "Igor Pavlov", "16.04", zip_old)
        for name, version, share in (
            ("Microsoft Visual C++ 2015-2019 Redistributable (x64) - 14.28.29913", "14.28.29913", 0.8),
            ("Microsoft Visual C++ 2015-2019 Redistributable (x86) - 14.28.29913", "14.28.29913", 0.8),
            ("Microsoft Visual C++ 2010  x86 Redistributable - 10.0.40219", "10.0.40219", 0.6),
            ("Microsoft Visual C++ 2013 Redistributable (x64) - 12.0.30501", "12.0.30501", 0.4),
        ):
            self._install(name, "Microsoft Corporation", version,
                          round(computers * share * rng.uniform(0.7, 1.1)))
        self._install("Google Chrome", "Google LLC", "87.0.4280.88",
                      round(computers * rng.uniform(0.4, 0.9)))
        self._install("Mozilla Firefox (x64 lv)", "Mozilla", "84.0.1",
                      round(computers * rng.uniform(0.05, 0.3)))
        antivirus = rng.choice((("ESET Endpoint Security", "ESET, spol. s r.o.", "7.3.2041.0"),
                                ("ESET Endpoint Antivirus", "ESET, spol. s r.o.", "7.3.2036.0"),
                                ("Kaspersky Endpoint Security 11 for Windows",
                                 "AO Kaspersky Lab", "11.5.0.590")))
        self._install(*antivirus, round(computers * rng.uniform(0.85, 1.0)))
        tilde = round(computers * rng.uniform(0.1, 0.5))
        self._install(rng.choice(("Tildes Birojs 2018", "Tildes Birojs 2016", "Tildes birojs 2018 LV")),
                      "Tilde", "", tilde)
        self._install("eParakstītājs 3.0", "LVRTC", "3.0.5", round(computers * rng.uniform(0.2, 0.6)))
        accounting_users = max(2, round(computers * rng.uniform(0.02, 0.05)))
        vendor, product = self.accounting
        for spelling in (product, f"{product} klients", product.upper()):
            share = rng.uniform(0.2, 0.6)
            self._install(spelling, vendor, "", max(1, round(accounting_users * share)))
        windows_servers = [self.devices[k] for k in server_keys
                           if self.devices[k].os.startswith("Windows")]
        for device in windows_servers:
            self._install(f"Microsoft {device.os}", "Microsoft Corporation", "", 1)
        self._licences(office_counts, acrobat_pro, tilde, accounting_users, antivirus[0],
                       sum(d.cores or 0 for d in windows_servers), len(windows), os_counts)

    def _licences(self, office_counts: list[int], acrobat_pro: int, tilde: int,
                  accounting_users: int, antivirus: str, server_cores: int, windows: int,
                  os_counts: dict[str, int]) -> None:
        rng = self.rng
        reseller = self.add_contract(rng.choice(_RESELLERS), "licence",
                                     f"{self.town}: Microsoft licences (volume agreement)",
                                     rng.randint(2000, 30000)) if rng.random() < 0.6 else None

        def licence(product: DemoProduct, name: str, metric: str, needed: int,
                    expires: dt.date | None, transferable: bool, contract: int | None,
                    licence_type: str, exact: bool = False, proof_share: float = 0.85) -> None:
            if needed <= 0:
                return
            # Some municipalities bought too few, a few more than they use; an OEM licence
            # came with each computer (exact).
            quantity = needed if exact else max(1, round(needed * rng.choice((0.7, 0.85, 1.0, 1.0, 1.0, 1.1))))
            proof = (f"Rēķins Nr. {rng.randint(2012, 2020)}/{rng.randint(1, 999)}"
                     if rng.random() < proof_share else "")
            self.licences.append(DemoLicence(
                product=product, product_name=name, metric=metric, quantity=quantity,
                expires=expires, transferable=transferable, proof_reference=proof,
                contract_key=contract, licence_type=licence_type))

        # OEM Windows on the PCs bought with it: it passes with the device. Proof (the
        # computers' invoice) is kept for some purchases and lost for others. Volume licences
        # and subscriptions pass by the vendor's transfer or a re-tenanting; some Acrobat
        # subscriptions are personal and some local vendors' licences may not be assigned.
        for os, number in sorted(os_counts.items()):
            if os.startswith("Windows"):
                licence(_register_product(f"Microsoft {os}", "Microsoft Corporation"),
                        f"{os} (OEM)", "device", number, None, True, None, "oem", exact=True,
                        proof_share=0.6)
        office_2016 = office_counts[0] + office_counts[1]
        licence(_register_product("Microsoft Office Professional Plus 2016", "Microsoft Corporation"),
                "Microsoft Office Professional Plus 2016", "device", office_2016, None,
                True, reseller, "volume")
        licence(_register_product("Microsoft Office Standard 2013", "Microsoft Corporation"),
                "Microsoft Office Standard 2013", "device", office_counts[2], None,
                True, reseller, "volume")
        licence(_register_product("Microsoft Office Professional Plus 2010", "Microsoft Corporation"),
                "Microsoft Office Professional Plus 2010", "device", office_counts[3], None,
                True, None, "volume")
        licence(_register_product("Microsoft Office Home and Business 2019 - lv-lv",
                                  "Microsoft Corporation"),
                "Microsoft Office Home and Business 2019", "device", office_counts[4], None,
                True, None, "retail", proof_share=0.5)
        licence(_register_product("Microsoft 365 Apps for enterprise - lv-lv", "Microsoft Corporation"),
                "Microsoft 365 E3", "subscription", office_counts[5],
                dt.date(self.reform_date.year + rng.choice((-1, 0, 0, 1)), rng.randint(1, 12), 1),
                True, reseller, "subscription")
        licence(_register_product("Microsoft Windows Server 2016 Standard", "Microsoft Corporation"),
                "Windows Server 2016 Standard (core licence)", "core", server_cores, None,
                True, reseller, "volume")
        licence(_register_product("Adobe Acrobat Pro DC", "Adobe Inc."),
                "Adobe Acrobat Pro DC", "subscription", acrobat_pro,
                dt.date(self.reform_date.year, rng.randint(1, 12), 1), rng.random() < 0.8, None,
                "subscription")
        publisher = "ESET, spol. s r.o." if antivirus.startswith("ESET") else "AO Kaspersky Lab"
        licence(_register_product(antivirus, publisher), antivirus, "subscription",
                windows, dt.date(self.reform_date.year + rng.choice((0, 1)), rng.randint(1, 12), 1),
                True, None, "subscription")
        licence(_register_product("Tildes Birojs 2018", "Tilde"),
                "Tildes Birojs 2018", "user", tilde, None, True, None, "volume")
        acc_vendor, acc_product = self.accounting
        maintenance = self.add_contract(acc_vendor, "maintenance",
                                        f"{self.town}: {acc_product} maintenance",
                                        rng.randint(1500, 15000))
        licence(_register_product(acc_product, acc_vendor), acc_product,
                rng.choice(("site", "user")), accounting_users, None, rng.random() < 0.6,
                maintenance, "volume")
