"""add display names and backfill them

Data migration: existing users get their e-mail's local part as display name,
then the column becomes NOT NULL.

Revision ID: 27e4a6b8c0d3
Revises: c91d3e5f7a08
Create Date: 2024-02-02 17:48:26.905114

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "27e4a6b8c0d3"
down_revision: Union[str, Sequence[str], None] = "c91d3e5f7a08"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("users", sa.Column("display_name", sa.String(length=80), nullable=True))
    op.execute(
        """
        UPDATE users
        SET display_name = split_part(email, '@', 1)
        WHERE display_name IS NULL
        """
    )
    op.alter_column("users", "display_name", existing_type=sa.String(length=80), nullable=False)


def downgrade() -> None:
    op.drop_column("users", "display_name")
