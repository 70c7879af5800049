"""reporting: create report snapshots

Starts the separately deployed reporting branch.

Revision ID: f1b3d5e7a9c0
Revises: 2a4c6e8b0d1f
Create Date: 2024-03-20 10:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = "f1b3d5e7a9c0"
down_revision: Union[str, Sequence[str], None] = "2a4c6e8b0d1f"
branch_labels: Union[str, Sequence[str], None] = ("reporting",)
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "report_snapshots",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("report", sa.String(length=64), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("data", postgresql.JSONB(), nullable=False),
        sa.Column("generated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("report_snapshots")
