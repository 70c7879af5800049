"""users profile fields

Revision ID: e3f5a7b9c1d2
Revises: 9b0c2d4e6f81
Create Date: 2024-02-12 15:26:58.760002

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "e3f5a7b9c1d2"
down_revision: Union[str, Sequence[str], None] = "9b0c2d4e6f81"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("bio", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("avatar_url", sa.String(length=500), nullable=True))
        batch_op.alter_column("email", existing_type=sa.String(length=255), type_=sa.String(length=320))
        batch_op.create_index("ix_users_display_name", ["display_name"])


def downgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_index("ix_users_display_name")
        batch_op.alter_column("email", existing_type=sa.String(length=320), type_=sa.String(length=255))
        batch_op.drop_column("avatar_url")
        batch_op.drop_column("bio")
