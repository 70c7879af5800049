"""create payments

Revision ID: 4f6a8c0e2b3d
Revises: 93b5d7f9a1c2
Create Date: 2024-04-02 10:05:27.118870

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = "4f6a8c0e2b3d"
down_revision: Union[str, Sequence[str], None] = "93b5d7f9a1c2"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


payment_status = sa.Enum(
    "pending", "authorized", "captured", "refunded", "failed", name="payment_status"
)


def upgrade() -> None:
    op.create_table(
        "payments",
        sa.Column("id", postgresql.UUID(as_uuid=True), primary_key=True),
        sa.Column("buyer_id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(12, 2), nullable=False),
        sa.Column("currency", sa.CHAR(3), nullable=False),
        sa.Column("status", payment_status, server_default="pending", nullable=False),
        sa.Column("provider_ref", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["buyer_id"], ["users.id"], name="fk_payments_buyer_id_users"),
    )


def downgrade() -> None:
    op.drop_table("payments")
    payment_status.drop(op.get_bind(), checkfirst=False)
