"""add listings.published_at

Revision ID: 4d6f8a0b2c3e
Revises: e3f5a7b9c1d2
Create Date: 2024-02-19 09:31:04.118456

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "4d6f8a0b2c3e"
down_revision: Union[str, Sequence[str], None] = "e3f5a7b9c1d2"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("listings", sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_listings_published_at", "listings", ["published_at"])


def downgrade() -> None:
    op.drop_index("ix_listings_published_at", table_name="listings")
    op.drop_column("listings", "published_at")
