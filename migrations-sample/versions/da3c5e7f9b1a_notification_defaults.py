"""notification defaults and comments

Revision ID: da3c5e7f9b1a
Revises: 16e8f0a2c4b6
Create Date: 2024-04-16 14:30:55.387266

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "da3c5e7f9b1a"
down_revision: Union[str, Sequence[str], None] = "16e8f0a2c4b6"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.alter_column(
        "notifications",
        "read",
        existing_type=sa.Boolean(),
        new_column_name="is_read",
        existing_nullable=False,
    )
    op.create_table_comment("notifications", "In-app and push notifications sent to users.")
    op.alter_column(
        "notifications",
        "payload",
        existing_type=sa.JSON(),
        comment="Rendered by the client; shape depends on kind.",
        existing_nullable=False,
    )


def downgrade() -> None:
    op.alter_column("notifications", "payload", existing_type=sa.JSON(), comment=None)
    op.drop_table_comment("notifications")
    op.alter_column("notifications", "is_read", existing_type=sa.Boolean(), new_column_name="read")
