"""add users.is_staff and mark staff accounts

Revision ID: a0c2e4f6b8d1
Revises: 5c7e9a1b3d5f
Create Date: 2024-04-29 17:55:14.660043

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "a0c2e4f6b8d1"
down_revision: Union[str, Sequence[str], None] = "5c7e9a1b3d5f"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column(
        "users", sa.Column("is_staff", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.execute("UPDATE users SET is_staff = true WHERE email LIKE '%@marketplace.example'")


def downgrade() -> None:
    op.drop_column("users", "is_staff")
