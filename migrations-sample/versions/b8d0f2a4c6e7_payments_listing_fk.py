"""payments: listing foreign key and indexes

Revision ID: b8d0f2a4c6e7
Revises: 4f6a8c0e2b3d
Create Date: 2024-04-03 15:49:52.670312

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "b8d0f2a4c6e7"
down_revision: Union[str, Sequence[str], None] = "4f6a8c0e2b3d"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_foreign_key(
        "fk_payments_listing_id_listings",
        "payments",
        "listings",
        ["listing_id"],
        ["id"],
        ondelete="RESTRICT",
    )
    op.create_index("ix_payments_buyer_id", "payments", ["buyer_id"])
    op.create_index("ix_payments_status_created_at", "payments", ["status", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_payments_status_created_at", table_name="payments")
    op.drop_index("ix_payments_buyer_id", table_name="payments")
    op.drop_constraint("fk_payments_listing_id_listings", "payments", type_="foreignkey")
