"""create user devices

Revision ID: 6b8d0f2a4c5e
Revises: 4d6f8a0b2c3e
Create Date: 2024-02-27 10:12:55.871230

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = "6b8d0f2a4c5e"
down_revision: Union[str, Sequence[str], None] = "4d6f8a0b2c3e"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


device_platform = sa.Enum("ios", "android", "web", name="device_platform")


def upgrade() -> None:
    op.create_table(
        "user_devices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("platform", device_platform, nullable=False),
        sa.Column("push_token", sa.String(length=255), nullable=False),
        sa.Column("last_ip", postgresql.INET(), nullable=True),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("push_token", name="uq_user_devices_push_token"),
    )


def downgrade() -> None:
    op.drop_table("user_devices")
    device_platform.drop(op.get_bind(), checkfirst=False)
