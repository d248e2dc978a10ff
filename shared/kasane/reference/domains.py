"""The five domains (分野) that agencies and issue codes belong to.

The four single domains follow the seed's existing 相談支援 windows (高齢・障害・子ども・生活困窮);
``cross_domain`` (分野横断) is for what no single window owns. Labels live in
``enumerations.json`` under ``domains``.
"""

from __future__ import annotations

from typing import Literal

Domain = Literal["elderly", "disability", "child", "poverty", "cross_domain"]

SINGLE_DOMAINS: tuple[Domain, ...] = ("elderly", "disability", "child", "poverty")
