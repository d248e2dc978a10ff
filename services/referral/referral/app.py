"""ASGI entry point: ``uvicorn referral.app:app``."""

from kasane.web.app import ServiceSpec, Subscription, create_app
from referral.api.referrals import router
from referral.handlers import dispatch

app = create_app(
    ServiceSpec(
        name="referral",
        title="kasane referral つなぎ",
        routers=[router],
        # Case owners and consents come from intake; 支援会議 decisions (the other legal
        # basis of a referral) from meetings.
        subscription=Subscription.of(dispatch),
    )
)
