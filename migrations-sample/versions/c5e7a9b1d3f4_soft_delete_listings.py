"""soft delete for listings

Revision ID: c5e7a9b1d3f4
Revises: 71c3e5a9b0d2
Create Date: 2024-03-07 11:22:33.901144

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "c5e7a9b1d3f4"
down_revision: Union[str, Sequence[str], None] = "71c3e5a9b0d2"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("listings", sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_listings_not_deleted",
        "listings",
        ["id"],
        postgresql_where=sa.text("deleted_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_listings_not_deleted", table_name="listings")
    op.drop_column("listings", "deleted_at")
