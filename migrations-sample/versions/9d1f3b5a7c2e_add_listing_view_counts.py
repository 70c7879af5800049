"""add listing view counts

Revision ID: 9d1f3b5a7c2e
Revises: 3e5a7c9b1d0f
Create Date: 2024-05-13 13:27:46.904481

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "9d1f3b5a7c2e"
down_revision: Union[str, Sequence[str], None] = "3e5a7c9b1d0f"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column(
        "listings", sa.Column("view_count", sa.Integer(), server_default="0", nullable=False)
    )
    op.create_check_constraint("ck_listings_view_count_positive", "listings", "view_count >= 0")


def downgrade() -> None:
    op.drop_constraint("ck_listings_view_count_positive", "listings", type_="check")
    op.drop_column("listings", "view_count")
