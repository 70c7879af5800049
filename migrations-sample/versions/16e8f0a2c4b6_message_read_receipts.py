"""message read receipts

Revision ID: 16e8f0a2c4b6
Revises: b8d0f2a4c6e7
Create Date: 2024-04-10 09:12:08.004731

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "16e8f0a2c4b6"
down_revision: Union[str, Sequence[str], None] = "b8d0f2a4c6e7"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("messages", sa.Column("read_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_messages_unread",
        "messages",
        ["recipient_id"],
        postgresql_where=sa.text("read_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_messages_unread", table_name="messages")
    op.drop_column("messages", "read_at")
