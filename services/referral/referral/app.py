"""ASGI entry point: ``uvicorn referral.app:app``."""

from kasane.web.app import ServiceSpec, Subscription, create_app
from referral.api.partners import router as partners_router
from referral.api.referrals import router
from referral.handlers import dispatch

app = create_app(
    ServiceSpec(
        name="referral",
        title="kasane referral つなぎ",
        # 連携機関の一覧 lives with referral: partners are, first of all, where cases go.
        routers=[router, partners_router],
        # Case owners and consents come from intake; 支援会議 decisions (the other legal
        # basis of a referral) from meetings.
        subscription=Subscription.of(dispatch),
    )
)
