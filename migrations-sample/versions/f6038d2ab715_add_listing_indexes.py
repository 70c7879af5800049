"""add listing indexes

Revision ID: f6038d2ab715
Revises: 1e9c7b3a2f44
Create Date: 2024-01-16 11:03:55.002187

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "f6038d2ab715"
down_revision: Union[str, Sequence[str], None] = "1e9c7b3a2f44"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index("ix_listings_seller_id", "listings", ["seller_id"])
    op.create_index("ix_listings_category_id_status", "listings", ["category_id", "status"])
    op.create_index(
        "ix_listings_active_created_at",
        "listings",
        ["created_at"],
        postgresql_where=sa.text("status = 'active'"),
    )


def downgrade() -> None:
    op.drop_index("ix_listings_active_created_at", table_name="listings")
    op.drop_index("ix_listings_category_id_status", table_name="listings")
    op.drop_index("ix_listings_seller_id", table_name="listings")
