"""Shared reference data: agencies, issue codes, code lists, 校区, 担当圏域.

See docs/architecture/programs-and-services.md and domain-rules.md.

The data lives in JSON files inside this package (shipped in the wheel), or in the version the
city imported (``kasane reference import``, ``$KASANE_REFERENCE_DIR``); each module loads its
file once per process, validates it, and caches it. See README.md.
"""

from kasane.reference._resources import (
    REFERENCE_DIR_ENV,
    SCHOOL_DISTRICTS_FILE_ENV,
    ReferenceVersionError,
    clear_caches,
    reference_version,
)
from kasane.reference._resources import preload as preload_reference
from kasane.reference.age_bands import age_band_of
from kasane.reference.agencies import (
    Agency,
    ServiceName,
    all_agencies,
    consultation_agencies,
    default_meeting_participants,
    get_agency,
    is_known_agency,
    operators_of,
)
from kasane.reference.centre_areas import CentreAreaTable, centre_areas, centre_for_area
from kasane.reference.codes import EnumName
from kasane.reference.domains import SINGLE_DOMAINS, Domain
from kasane.reference.enumerations import (
    codes,
    enumeration_label,
    enumeration_names,
    is_valid,
    label_of,
    labels,
)
from kasane.reference.errors import UnknownReferenceCodeError
from kasane.reference.issue_codes import (
    IssueCode,
    domains_of,
    get_issue_code,
    is_complex,
    is_valid_issue_code,
    issue_code_labels,
    issue_codes,
)
from kasane.reference.school_districts import (
    DailyLifeArea,
    SchoolDistrict,
    SchoolDistrictTable,
    active_school_districts,
    get_school_district,
    is_valid_school_district,
    load_school_districts,
    parse_school_districts,
    school_districts,
)

__all__ = [
    "REFERENCE_DIR_ENV",
    "SCHOOL_DISTRICTS_FILE_ENV",
    "SINGLE_DOMAINS",
    "Agency",
    "CentreAreaTable",
    "DailyLifeArea",
    "Domain",
    "EnumName",
    "IssueCode",
    "ReferenceVersionError",
    "SchoolDistrict",
    "SchoolDistrictTable",
    "ServiceName",
    "UnknownReferenceCodeError",
    "active_school_districts",
    "age_band_of",
    "all_agencies",
    "centre_areas",
    "centre_for_area",
    "clear_caches",
    "codes",
    "consultation_agencies",
    "default_meeting_participants",
    "domains_of",
    "enumeration_label",
    "enumeration_names",
    "get_agency",
    "get_issue_code",
    "get_school_district",
    "is_complex",
    "is_known_agency",
    "is_valid",
    "is_valid_issue_code",
    "is_valid_school_district",
    "issue_code_labels",
    "issue_codes",
    "label_of",
    "labels",
    "load_school_districts",
    "operators_of",
    "parse_school_districts",
    "preload_reference",
    "reference_version",
    "school_districts",
]
