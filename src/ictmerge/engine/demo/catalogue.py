"""Names, models and products the demo picks from (Latvian municipal ICT, around 2020)."""

from __future__ import annotations

_SITE_NAMES = ("Administrācijas ēka", "Pagasta pārvalde", "Vidusskola", "Pamatskola",
               "Pirmsskolas izglītības iestāde", "Bibliotēka", "Sociālais dienests",
               "Kultūras nams", "Būvvalde", "Komunālā saimniecība", "Mūzikas skola",
               "Sporta centrs")
_STREETS = ("Rīgas iela", "Brīvības iela", "Skolas iela", "Pils iela", "Dzirnavu iela",
            "Parka iela", "Raiņa iela", "Lāčplēša iela", "Daugavas iela", "Stacijas iela")
# (manufacturer, model, serial prefix, cost EUR, first year, last year)
_PC_MODELS = (
    ("HP", "ProDesk 400 G4", "CZC", 620, 2016, 2020), ("HP", "EliteDesk 800 G1", "CZC", 750, 2013, 2016),
    ("Dell", "OptiPlex 3050", "DL", 600, 2016, 2019), ("Dell", "OptiPlex 7010", "DL", 700, 2012, 2015),
    ("Lenovo", "ThinkCentre M720s", "MJ", 640, 2018, 2020), ("Fujitsu", "Esprimo P556", "YM", 580, 2015, 2018),
    ("RDE", "RDE Office PC", "RDE", 520, 2011, 2020),
)
_LAPTOP_MODELS = (
    ("HP", "ProBook 450 G5", "5CD", 780, 2017, 2020), ("Dell", "Latitude 5490", "DL", 900, 2017, 2020),
    ("Lenovo", "ThinkPad T470", "PF", 950, 2016, 2019), ("Lenovo", "IdeaPad 330", "PF", 520, 2018, 2020),
)
_THIN_MODELS = (("HP", "t520 Thin Client", "CZC", 300, 2015, 2020),
                ("IGEL", "UD3", "IG", 330, 2016, 2020))
_SERVER_MODELS = (
    ("HPE", "ProLiant DL380 Gen10", "CZJ", 7200, 2018, 2020, 24, 192),
    ("HPE", "ProLiant DL360 Gen9", "CZJ", 5200, 2015, 2018, 16, 128),
    ("HP", "ProLiant ML350 G6", "CZJ", 3800, 2009, 2012, 8, 32),
    ("Dell", "PowerEdge R740", "DLS", 7800, 2018, 2020, 28, 256),
    ("Dell", "PowerEdge T430", "DLS", 3400, 2015, 2018, 12, 64),
    ("Dell", "PowerEdge R720", "DLS", 5000, 2012, 2015, 16, 96),
    ("Fujitsu", "PRIMERGY RX2540 M4", "YLS", 6600, 2017, 2020, 20, 192),
    ("Lenovo", "ThinkSystem SR650", "J30", 6900, 2018, 2020, 24, 256),
)
_SERVER_OS = ("VMware ESXi 6.7", "VMware ESXi 6.5", "Microsoft Hyper-V Server 2016",
              "Windows Server 2016 Standard", "Windows Server 2012 R2 Standard",
              "Windows Server 2008 R2 Standard", "Ubuntu 18.04 LTS", "Proxmox VE 6")
_HYPERVISORS = ("VMware ESXi 6.7", "VMware ESXi 6.5", "Microsoft Hyper-V Server 2016",
                "Proxmox VE 6")
_NETWORK = (("Cisco", "Catalyst 2960-X"), ("HPE", "Aruba 2530"), ("MikroTik", "CCR1036"),
            ("Fortinet", "FortiGate 60E"), ("Ubiquiti", "UniFi AP AC Pro"))
_PRINTERS = (("HP", "LaserJet Pro M404"), ("Kyocera", "ECOSYS M2540dn"),
             ("Canon", "i-SENSYS MF443dw"), ("Ricoh", "MP 2014AD"))
# Workload templates: name, function it serves, cores, RAM GB, storage GB, availability.
_WORKLOADS = (
    ("dc01", None, 2, 4, 80, "high"), ("dc02", None, 2, 4, 80, "high"),
    ("fs01", "documents", 2, 8, 1500, "medium"), ("sql01", "finance", 4, 16, 400, "high"),
    ("gramatvediba", "finance", 4, 8, 200, "high"), ("lietvediba", "documents", 2, 8, 300, "medium"),
    ("nin", "property_tax", 2, 8, 150, "medium"), ("soc", "social_assistance", 2, 8, 150, "medium"),
    ("mail", "email_office", 4, 16, 800, "high"), ("web", "eservices_web", 2, 4, 100, "medium"),
    ("backup", "backup", 2, 8, 4000, "medium"), ("av", "endpoint_security", 2, 4, 100, "low"),
    ("print", None, 1, 4, 60, "low"), ("rdp", None, 8, 32, 300, "medium"),
    ("personals", "hr_payroll", 2, 8, 150, "high"), ("komunalie", "utilities_billing", 2, 8, 150, "medium"),
    ("gis", "gis_planning", 4, 16, 600, "low"), ("monitoring", None, 1, 2, 60, "low"),
)
# Software per function: (vendor, product); the national system is used where it is mandatory.
_PRODUCTS_BY_FUNCTION: dict[str, tuple[tuple[str, str], ...]] = {
    "finance": (("Visma Enterprise", "Horizon"), ("Visvaris", "Visvaris"),
                ("ZZ Dats", "ZZ Dats Budžets un grāmatvedība"), ("Namejs", "Namejs")),
    "budget": (("Visma Enterprise", "Horizon budžets"), ("Microsoft", "Excel"),
               ("Visvaris", "Visvaris budžets")),
    "hr_payroll": (("ZZ Dats", "Kadri"), ("Visma Enterprise", "Horizon algas"),
                   ("Visvaris", "Visvaris algas")),
    "documents": (("ZZ Dats", "Lietvaris"), ("DocLogix", "DocLogix"), ("Namejs", "Namejs DVS"),
                  ("Microsoft", "SharePoint")),
    "property_tax": (("ZZ Dats", "NINO"), ("Visma Enterprise", "Horizon NĪN")),
    "social_assistance": (("ZZ Dats", "SOPA"), ("Visma Enterprise", "Horizon sociālais")),
    "education": (("VIIS", "VIIS"),),
    "preschool_queue": (("ZZ Dats", "PII rinda"), ("Microsoft", "Excel"),
                        ("Municipal web developer", "Rindu e-pakalpojums")),
    "utilities_billing": (("ZZ Dats", "Klients"), ("Visma Enterprise", "Horizon norēķini"),
                          ("Tildes Birojs", "Aplikums")),
    "property_management": (("Visma Enterprise", "Horizon pamatlīdzekļi"),
                            ("Microsoft", "Excel"), ("ZZ Dats", "NĪVS")),
    "gis_planning": (("Topo GIS", "Topo GIS"), ("Esri", "ArcGIS Desktop")),
    "construction": (("BIS", "BIS"),),
    "eservices_web": (("WordPress", "WordPress"), ("Joomla", "Joomla"), ("Drupal", "Drupal"),
                      ("Municipal web developer", "Custom CMS")),
    "email_office": (("Microsoft", "Exchange Server 2016"), ("Microsoft", "Exchange Server 2010"),
                     ("Microsoft", "Microsoft 365"), ("Google", "Google Workspace"),
                     ("Zimbra", "Zimbra Collaboration")),
    "backup": (("Veeam", "Veeam Backup & Replication"), ("Acronis", "Acronis Backup"),
               ("Microsoft", "Windows Server Backup")),
    "endpoint_security": (("ESET", "ESET Endpoint Security"), ("Kaspersky", "Kaspersky Endpoint Security"),
                          ("Microsoft", "Windows Defender")),
    "council_meetings": (("ZZ Dats", "Lietvaris sēdes"), ("DocLogix", "DocLogix sēdes"),
                         ("Municipal web developer", "e-Dome")),
}
_CORE_FUNCTIONS = frozenset({"finance", "hr_payroll", "documents", "property_tax",
                             "social_assistance", "email_office", "eservices_web", "backup",
                             "endpoint_security", "education", "civil_registry",
                             "residents_declarations", "construction"})
_SECURITY_CLASSES = ("1. klase", "2. klase", "3. klase")
_CONNECTIVITY = ("Sakaru tīkli SIA (demo)", "Optiskie tīkli SIA (demo)", "Mobilie sakari AS (demo)")
_OUTSOURCERS = ("Novadu IT SIA (demo)", "Datu serviss SIA (demo)", "Kurzemes datori SIA (demo)",
                "Latgales IT centrs SIA (demo)", "Vidzemes datu centrs SIA (demo)")
_HOSTERS = ("Baltijas datu centrs SIA (demo)", "Datu centrs Rīga SIA (demo)")
_RESELLERS = ("Licenču serviss SIA (demo)", "Programmatūras nams SIA (demo)")
