"""reporting: report subscriptions

Revision ID: c7f9b1d3e5a8
Revises: 62d4f6a8c0e2
Create Date: 2024-04-12 12:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "c7f9b1d3e5a8"
down_revision: Union[str, Sequence[str], None] = "62d4f6a8c0e2"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "report_subscriptions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("report", sa.String(length=64), nullable=False),
        sa.Column("cron", sa.String(length=64), server_default="0 6 * * 1", nullable=False),
    )


def downgrade() -> None:
    op.drop_table("report_subscriptions")
