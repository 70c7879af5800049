"""create listing images

Revision ID: 5c7e9a1b3d5f
Revises: da3c5e7f9b1a
Create Date: 2024-04-22 11:08:31.556902

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "5c7e9a1b3d5f"
down_revision: Union[str, Sequence[str], None] = "da3c5e7f9b1a"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "listing_images",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("listing_id", sa.Integer(), sa.ForeignKey("listings.id", ondelete="CASCADE"), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("position", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
    )
    op.create_index("ix_listing_images_listing_id_position", "listing_images", ["listing_id", "position"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_listing_images_listing_id_position", table_name="listing_images")
    op.drop_table("listing_images")
