"""reporting: index snapshots by report and period

Revision ID: 08a2c4e6f8b0
Revises: c7f9b1d3e5a8
Create Date: 2024-04-19 12:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "08a2c4e6f8b0"
down_revision: Union[str, Sequence[str], None] = "c7f9b1d3e5a8"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index(
        "ix_report_snapshots_report_period",
        "report_snapshots",
        ["report", "period_start"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("ix_report_snapshots_report_period", table_name="report_snapshots")
