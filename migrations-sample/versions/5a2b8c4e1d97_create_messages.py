"""create messages

Revision ID: 5a2b8c4e1d97
Revises: f6038d2ab715
Create Date: 2024-01-22 13:37:09.640051

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "5a2b8c4e1d97"
down_revision: Union[str, Sequence[str], None] = "f6038d2ab715"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "messages",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("sender_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["sender_id"], ["users.id"], name="fk_messages_sender_id_users"),
        sa.ForeignKeyConstraint(["recipient_id"], ["users.id"], name="fk_messages_recipient_id_users"),
        sa.ForeignKeyConstraint(
            ["listing_id"], ["listings.id"], name="fk_messages_listing_id_listings", ondelete="SET NULL"
        ),
    )
    op.create_index("ix_messages_recipient_id_sent_at", "messages", ["recipient_id", "sent_at"])


def downgrade() -> None:
    op.drop_index("ix_messages_recipient_id_sent_at", table_name="messages")
    op.drop_table("messages")
