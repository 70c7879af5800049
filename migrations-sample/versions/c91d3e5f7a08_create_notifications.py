"""create notifications

Revision ID: c91d3e5f7a08
Revises: 5a2b8c4e1d97
Create Date: 2024-01-29 08:15:40.118733

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = "c91d3e5f7a08"
down_revision: Union[str, Sequence[str], None] = "5a2b8c4e1d97"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    notification_kind = postgresql.ENUM(
        "message", "offer", "listing_sold", "system", name="notification_kind", create_type=False
    )
    notification_kind.create(op.get_bind(), checkfirst=True)
    op.create_table(
        "notifications",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        # Push notifications go to one device. user_devices is only created by
        # 6b8d0f2a4c5e, later in the history: this foreign key is an ordering bug.
        sa.Column("device_id", sa.Integer(), sa.ForeignKey("user_devices.id"), nullable=True),
        sa.Column("kind", notification_kind, nullable=False),
        sa.Column("payload", postgresql.JSONB(), server_default=sa.text("'{}'::jsonb"), nullable=False),
        sa.Column("read", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index("ix_notifications_user_id_read", "notifications", ["user_id", "read"])


def downgrade() -> None:
    op.drop_index("ix_notifications_user_id_read", table_name="notifications")
    op.drop_table("notifications")
    op.execute("DROP TYPE notification_kind")
