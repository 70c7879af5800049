"""add full-text search vector to listings

Revision ID: a7c9e1f3b5d6
Revises: 4d6f8a0b2c3e
Create Date: 2024-02-26 12:44:19.302871

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = "a7c9e1f3b5d6"
down_revision: Union[str, Sequence[str], None] = "4d6f8a0b2c3e"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("listings", sa.Column("search_vector", postgresql.TSVECTOR(), nullable=True))
    op.execute(
        "UPDATE listings SET search_vector = "
        "to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(description, ''))"
    )
    op.create_index(
        "ix_listings_search_vector",
        "listings",
        ["search_vector"],
        postgresql_using="gin",
    )


def downgrade() -> None:
    op.drop_index("ix_listings_search_vector", table_name="listings")
    op.drop_column("listings", "search_vector")
