"""create categories

Revision ID: b47a0e93d5c1
Revises: 8d21f4b6c903
Create Date: 2024-01-11 09:45:02.871004

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "b47a0e93d5c1"
down_revision: Union[str, Sequence[str], None] = "8d21f4b6c903"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "categories",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("parent_id", sa.Integer(), sa.ForeignKey("categories.id"), nullable=True),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("position", sa.SmallInteger(), server_default="0", nullable=False),
        sa.UniqueConstraint("slug", name="uq_categories_slug"),
    )


def downgrade() -> None:
    op.drop_table("categories")
