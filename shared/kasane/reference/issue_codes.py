"""Issue codes (課題) and the 複合的な課題 rule (docs/architecture/domain-rules.md, seed 第1).

Each code has one ``domain`` for counting and display, and ``implied_domains`` for the
complexity rule only. The rule is data-driven: a case is 複合的な課題 when the union of its
codes' ``implied_domains`` has two or more members.

Choices, kept in ``issue_codes.json`` with a note per code:

* 分野横断 (``cross_domain``) counts as a domain of its own, as domain-rules.md (docs/architecture)
  lists five domains. So a single-domain issue plus one no single window owns (e.g. elderly_care +
  hikikomori) is complex, while two cross-domain issues alone (hikikomori + isolation)
  are not.
* ``8050`` (elderly + poverty), ``double_care`` (elderly + child) and ``young_carer``
  (child + the cared-for family member: elderly or disability) describe households with
  needs in two domains by definition, so each is complex on its own.
* ``other`` implies no domain: its content is unknown, so it never makes a case complex.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, model_validator

from kasane.reference._resources import read_packaged_json
from kasane.reference.domains import Domain
from kasane.reference.errors import UnknownReferenceCodeError

# Below this many domains a case stays with one window; at it, it is 複合的な課題.
_COMPLEX_FROM = 2


class IssueCode(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    label_ja: str
    domain: Domain
    implied_domains: tuple[Domain, ...]
    note: str | None = None


class IssueCodeTable(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    note: str
    issue_codes: tuple[IssueCode, ...]

    @model_validator(mode="after")
    def _codes_unique(self) -> IssueCodeTable:
        codes = [c.code for c in self.issue_codes]
        if len(codes) != len(set(codes)):
            raise ValueError("issue codes must be unique")
        return self


@lru_cache(maxsize=1)
def _table() -> IssueCodeTable:
    return IssueCodeTable.model_validate(read_packaged_json("issue_codes.json"))


@lru_cache(maxsize=1)
def _by_code() -> dict[str, IssueCode]:
    return {c.code: c for c in _table().issue_codes}


def issue_codes() -> tuple[IssueCode, ...]:
    return _table().issue_codes


def get_issue_code(code: str) -> IssueCode:
    try:
        return _by_code()[code]
    except KeyError:
        raise UnknownReferenceCodeError(f"unknown issue code {code!r}") from None


def is_valid_issue_code(code: str) -> bool:
    return code in _by_code()


def issue_code_labels() -> dict[str, str]:
    return {c.code: c.label_ja for c in _table().issue_codes}


def domains_of(codes: Iterable[str]) -> frozenset[Domain]:
    """Union of the implied domains; unknown codes raise instead of being skipped."""
    if isinstance(codes, str):
        # A bare "8050" would otherwise be read as the codes "8", "0", "5", "0".
        raise TypeError("codes must be a collection of issue codes, not a single string")
    return frozenset(d for code in codes for d in get_issue_code(code).implied_domains)


def is_complex(codes: Iterable[str]) -> bool:
    """複合的な課題: the codes together span two or more domains."""
    return len(domains_of(codes)) >= _COMPLEX_FROM
