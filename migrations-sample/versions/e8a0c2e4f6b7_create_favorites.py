"""create favorites

Revision ID: e8a0c2e4f6b7
Revises: 2a4c6e8b0d1f
Create Date: 2024-03-18 08:55:10.310598

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "e8a0c2e4f6b7"
down_revision: Union[str, Sequence[str], None] = "2a4c6e8b0d1f"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "favorites",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("listing_id", sa.Integer(), sa.ForeignKey("listings.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "listing_id", name="pk_favorites"),
    )


def downgrade() -> None:
    op.drop_table("favorites")
