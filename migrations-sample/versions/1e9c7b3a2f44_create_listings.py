"""create listings

Listings are what sellers offer. Prices are stored as NUMERIC(12, 2) in the
seller's currency; attributes hold free-form, category-specific fields.

Revision ID: 1e9c7b3a2f44
Revises: b47a0e93d5c1
Create Date: 2024-01-15 16:20:47.330912

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = "1e9c7b3a2f44"
down_revision: Union[str, Sequence[str], None] = "b47a0e93d5c1"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


listing_status = sa.Enum("draft", "active", "sold", "archived", name="listing_status")


def upgrade() -> None:
    op.create_table(
        "listings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("seller_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("category_id", sa.Integer(), sa.ForeignKey("categories.id"), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("price", sa.Numeric(12, 2), nullable=False),
        sa.Column("currency", sa.CHAR(3), server_default="EUR", nullable=False),
        sa.Column("status", listing_status, server_default="draft", nullable=False),
        sa.Column("attributes", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("tags", postgresql.ARRAY(sa.String(length=40)), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("price >= 0", name="ck_listings_price_positive"),
    )


def downgrade() -> None:
    op.drop_table("listings")
    listing_status.drop(op.get_bind(), checkfirst=False)
