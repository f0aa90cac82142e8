"""The accounts domain's events (password reset, email verification), in the catalogue here
because accounts sits below notifications and may not import it.

Each carries a secret token, so it is mailed to the payload's address only, in the
payload's `language`: no inbox item (that would keep the token), no webhook; once the mail is
handed to the mail server, the outbox keeps no copy of the token (`secret_mail`).
"""

from __future__ import annotations

from cbec_alliance.notifications.catalogue import EventSpec, PayloadDoc, nobody, register
from cbec_alliance.notifications.models import OutboxEvent

ACCOUNT_PAYLOAD: PayloadDoc = {
    "user_id": ("integer", "the account"),
    "email": ("string", "its address, the one mailed"),
    "name": ("string", "its holder's name"),
    "language": ("string", "the language of the mail (`zh` or `en`)"),
    "expires_at": ("string", "when the mailed token expires (ISO 8601, UTC)"),
}


def the_address(event: OutboxEvent) -> list[str]:
    """The payload's address (the account's own)."""
    email = event.payload.get("email")
    return [email] if email else []


register(
    EventSpec(
        type="account.password_reset",
        description="Someone asked to reset the password of an account",
        recipients=nobody,
        external_emails=the_address,
        title={"zh": "重置您的 CBEC 联盟密码", "en": "Reset your CBEC Alliance password"},
        body={
            "zh": "{name}，您好：有人请求重置此邮箱账户的密码。如果是您本人，请在 "
            "{expires_at} 前提交 POST /api/v1/auth/password-reset/confirm，"
            "token 为 {token}，并附上新密码。如果不是您本人，请忽略本邮件，密码不会改变。",
            "en": "Hello {name}, someone asked to reset the password of the account with this "
            "email address. If it was you, before {expires_at} send "
            "POST /api/v1/auth/password-reset/confirm with token {token} and your new "
            "password. If it was not you, ignore this email: your password stays as it is.",
        },
        payload=ACCOUNT_PAYLOAD,
        org_kinds=(),
        urgent=True,
        secret_mail=True,
    )
)
register(
    EventSpec(
        type="account.verify_email",
        description="An account's email address is to be verified",
        recipients=nobody,
        external_emails=the_address,
        title={"zh": "请验证您的邮箱地址", "en": "Verify your email address"},
        body={
            "zh": "{name}，您好：请在 {expires_at} 前提交 POST /api/v1/auth/verify-email，"
            "token 为 {token}，以验证此邮箱地址；验证后即可加入机构。",
            "en": "Hello {name}, to verify this email address send "
            "POST /api/v1/auth/verify-email with token {token} before {expires_at}; "
            "once it is verified you can join organizations.",
        },
        payload=ACCOUNT_PAYLOAD,
        org_kinds=(),
        urgent=True,
        secret_mail=True,
    )
)
