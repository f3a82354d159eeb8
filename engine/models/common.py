"""Types every document kind shares: the definitions of ``schemas/common.schema.json``.

Each type is an ``Annotated`` alias whose :class:`~tabard.models.base.Shared` marker
names its definition: a field of the type refers to ``common.schema.json#/$defs/<name>``,
and the generator writes the definition itself from the type and the marker.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Final, Literal

from pydantic import AfterValidator, ConfigDict, Field, StringConstraints

from tabard.models.base import Extensible, Shared

_YAML_IDENTIFIER: Final = (
    "Quote it in YAML: staff numbers are identifiers, not numbers (a leading zero must survive)."
)


def _real_day(text: str) -> str:
    """A YYYY-MM-DD string that names a real day (the schema's ``format: date``)."""
    datetime.date.fromisoformat(text)
    return text


AccountType = Annotated[
    Literal[
        "corporate", "department", "neighbourhood", "team", "individual_officer",
        "senior_officer", "campaign", "unofficial",
    ],
    Shared(
        "account_type",
        "What kind of account this is: corporate (the force's main account), department (a "
        "specialist unit: dogs, roads, air support, mounted, CID, recruitment), neighbourhood "
        "(any geographic local account; the level goes in area.level), team (a non-geographic "
        "team, e.g. rural crime), individual_officer, senior_officer (a chief officer or chief "
        "officer group), campaign (time-boxed), unofficial (run by staff without approval, "
        "including anonymous accounts).",
        ("department", "neighbourhood"),
    ),
]  # fmt: skip
ApiVersion = Annotated[
    Literal["tabard/v1"],
    Shared(
        "api_version",
        "The tabard document format version. Every tabard document starts with "
        "`apiVersion: tabard/v1`.",
        ("tabard/v1",),
    ),
]
AreaLevel = Annotated[
    Literal["district", "borough", "bcu", "npt", "ward", "lpa", "station"],
    Shared(
        "area_level",
        "The level of a geographic area: district, borough, bcu (basic command unit), npt "
        "(neighbourhood policing team), ward, lpa (local policing area) or station.",
        ("district",),
    ),
]
Date = Annotated[
    str,
    StringConstraints(
        pattern=r"^([0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"
        r"-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
    ),
    AfterValidator(_real_day),
    Shared(
        "date",
        "A calendar date written YYYY-MM-DD, from 0001-01-01 to 9999-12-31, that exists (no 30 "
        "February). Other ISO 8601 forms (20260110, 2026-W02-6) are not dates here. tabard "
        "keeps dates as strings; quoting them in YAML is allowed but not needed.",
        ("2026-01-10",),
        extra=(
            ("format", "date"),
            # schema_messages says this instead of the pattern when a date is wrong.
            ("x-expected", "a date written YYYY-MM-DD (a real day from 0001-01-01 to 9999-12-31)"),
        ),
    ),
]
Email = Annotated[
    str,
    StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
    Shared(
        "email",
        "An email address (one `@`, a dotted domain, no spaces). Whether it is a force address "
        "is for policies to judge.",
        ("example.one@gloucestershire.police.uk",),
    ),
]
ForceId = Annotated[
    Literal[
        "avon-and-somerset", "bedfordshire", "cambridgeshire", "cheshire", "city-of-london",
        "cleveland", "cumbria", "derbyshire", "devon-and-cornwall", "dorset", "durham",
        "dyfed-powys", "essex", "gloucestershire", "greater-manchester", "gwent", "hampshire",
        "hertfordshire", "humberside", "kent", "lancashire", "leicestershire", "lincolnshire",
        "merseyside", "metropolitan", "norfolk", "northamptonshire", "northumbria",
        "north-wales", "north-yorkshire", "nottinghamshire", "south-wales", "south-yorkshire",
        "staffordshire", "suffolk", "surrey", "sussex", "thames-valley", "warwickshire",
        "west-mercia", "west-midlands", "west-yorkshire", "wiltshire", "btp",
        "northern-ireland", "police-scotland", "mod-police", "civil-nuclear", "nca",
        "ct-policing", "npas",
    ],
    Shared(
        "force_id",
        "A force identifier: the data.police.uk id of one of the 43 territorial forces of "
        "England and Wales, or the id tabard uses for another UK force or national body (btp, "
        "northern-ireland, police-scotland, mod-police, civil-nuclear, nca, ct-policing, npas).",
        ("gloucestershire", "dyfed-powys", "btp"),
    ),
]  # fmt: skip
LifecycleStatus = Annotated[
    Literal[
        "proposed", "active", "dormant", "transferring", "suspended", "closing", "closed",
        "archived",
    ],
    Shared(
        "lifecycle_status",
        "Where an account is in its life: proposed, active, dormant, transferring (unofficial "
        "to official), suspended, closing, closed, archived.",
        ("active",),
    ),
]  # fmt: skip
Platform = Annotated[
    Literal[
        "x", "facebook", "instagram", "youtube", "tiktok", "linkedin", "nextdoor", "threads",
        "bluesky", "snapchat", "whatsapp_channel", "flickr", "other",
    ],
    Shared(
        "platform",
        "The social media platform: x (formerly Twitter), facebook, instagram, youtube, "
        "tiktok, linkedin, nextdoor, threads, bluesky, snapchat, whatsapp_channel, flickr, or "
        "other.",
        ("x", "facebook"),
    ),
]  # fmt: skip
RuleId = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*-[0-9]{3}$"),
    Shared(
        "rule_id",
        "A rule id: an upper-case family prefix, optional upper-case segments and a "
        "three-digit number, e.g. ACC-001, GLOS-DOG-001. TAB-nnn are the engine's own "
        "findings.",
        ("ACC-001", "GLOS-DOG-001"),
    ),
]
Severity = Annotated[
    Literal["error", "warning", "info"],
    Shared(
        "severity",
        "How serious a finding is: error, warning or info.",
        ("error", "warning"),
    ),
]
Sha256 = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9a-fA-F]{64}$"),
    Shared(
        "sha256",
        "A SHA-256 digest as 64 hexadecimal characters.",
        ("889d566a95e5f3dd29c3d27afeae1f2bce1608552fc5e4a05eaba728d3a5db8d",),
    ),
]
Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$"),
    Shared(
        "slug",
        "A lowercase identifier of letters, digits and single hyphens, e.g. an account id "
        "such as `glos-x-dogs`.",
        ("glos-x-dogs", "dpp-x-main-cy"),
    ),
]
StaffStatus = Annotated[
    Literal["current", "leaver", "absent"],
    Shared(
        "staff_status",
        "Employment status of a person named in a manifest, for leaver checks: current, "
        "leaver, or absent (long-term absence).",
        ("current",),
    ),
]
Time = Annotated[
    str,
    StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$"),
    Shared(
        "time",
        'A 24-hour clock time HH:MM. Quote it in YAML (`"08:00"`).',
        ("08:00", "17:00"),
    ),
]
Url = Annotated[
    str,
    StringConstraints(pattern=r"^https?://\S+$"),
    Shared(
        "url",
        "An absolute http(s) URL without spaces.",
        ("https://x.com/GlosPoliceDogs",),
    ),
]
Weekday = Annotated[
    Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    Shared("weekday", "A day of the week, three lowercase letters.", ("mon",)),
]

_PERSON_EXAMPLE: Final[dict[str, Any]] = {
    "collar_number": "PC 1001",
    "email": "example.one@gloucestershire.police.uk",
    "name": "PC Example One",
    "rank_or_grade": "Constable",
    "role": "Dog handler",
    "status": "current",
}


class Person(Extensible):
    """A named member of staff: who they are, how to reach them at work, and whether they
    still work for the force."""

    model_config = ConfigDict(json_schema_extra={"examples": [_PERSON_EXAMPLE]})

    collar_number: str | None = Field(
        default=None,
        description=f"Collar (shoulder) number for officers. {_YAML_IDENTIFIER}",
        examples=["PC 1001", "I 2002"],
    )
    email: Email | None = Field(
        default=None,
        description="Work email address.",
        examples=["example.one@gloucestershire.police.uk"],
    )
    name: str | None = Field(
        default=None,
        description="Full name as used at work, with rank abbreviation if customary.",
        examples=["PC Example One", "Insp Example Two"],
    )
    rank_or_grade: str | None = Field(
        default=None,
        description="Rank (officers) or grade (police staff).",
        examples=["Constable", "Inspector"],
    )
    role: str | None = Field(
        default=None, description="Job role.", examples=["Dog handler", "Dog Section inspector"]
    )
    staff_number: str | None = Field(
        default=None, description=f"HR/staff number. {_YAML_IDENTIFIER}", examples=["10001"]
    )
    status: StaffStatus | None = Field(
        default=None,
        description="Employment status: current, leaver or absent.",
        examples=["current"],
    )


#: A field holding a :class:`Person`: the schema refers to the shared definition.
PersonRef = Annotated[Person, Shared("person")]

#: Every shared type, in the order ``common.schema.json`` lists them.
SHARED_TYPES: Final[tuple[Any, ...]] = (
    AccountType, ApiVersion, AreaLevel, Date, Email, ForceId, LifecycleStatus, PersonRef,
    Platform, RuleId, Severity, Sha256, Slug, StaffStatus, Time, Url, Weekday,
)  # fmt: skip
