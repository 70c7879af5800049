"""reporting: daily sales view

Revision ID: 62d4f6a8c0e2
Revises: f1b3d5e7a9c0
Create Date: 2024-04-05 12:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "62d4f6a8c0e2"
down_revision: Union[str, Sequence[str], None] = "f1b3d5e7a9c0"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = "4f6a8c0e2b3d"


def upgrade() -> None:
    # Reads payments, so this revision depends on the trunk revision creating them.
    op.execute(
        """
        CREATE MATERIALIZED VIEW daily_sales AS
        SELECT date_trunc('day', created_at) AS day, currency, sum(amount) AS total
        FROM payments
        WHERE status = 'captured'
        GROUP BY 1, 2
        """
    )


def downgrade() -> None:
    op.execute("DROP MATERIALIZED VIEW daily_sales")
