"""The roster's event: the invitation that sets a new account's first password."""

from __future__ import annotations

from cbec_alliance.notifications.catalogue import (
    ORGANIZATION_PAYLOAD,
    EventSpec,
    invited_user,
    register,
)

register(
    EventSpec(
        type="invitation.roster",
        description="A university imported a student: set a password to use the account",
        recipients=invited_user,
        default_channels=("email",),
        title={
            "zh": "「{organization_name}」为您开通了账号",
            "en": "{organization_name_en} opened an account for you",
        },
        body={
            "zh": "「{organization_name}」已将您以学生身份加入平台。设置密码即可登录："
            "POST /api/v1/invitations/{token}/password（{expires_at} 前有效）",
            "en": "{organization_name_en} added you to the platform as a student. Set a "
            "password to log in: POST /api/v1/invitations/{token}/password "
            "(valid until {expires_at})",
        },
        payload={
            "invitation_id": ("integer", "the invitation"),
            **ORGANIZATION_PAYLOAD,
            "role": ("string", "`student`"),
            "email": ("string", "the invited address"),
            "expires_at": ("string", "when the invitation expires (ISO 8601, UTC)"),
        },
        # For the student only: a university's webhook would get one call per student.
        org_kinds=(),
    )
)
