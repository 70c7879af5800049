"""rename auth_tokens to api_tokens

Revision ID: 3e5a7c9b1d0f
Revises: a0c2e4f6b8d1
Create Date: 2024-05-06 09:41:20.193355

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "3e5a7c9b1d0f"
down_revision: Union[str, Sequence[str], None] = "a0c2e4f6b8d1"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.rename_table("auth_tokens", "api_tokens")
    op.execute("ALTER INDEX ix_auth_tokens_token_hash RENAME TO ix_api_tokens_token_hash")
    op.execute("ALTER INDEX ix_auth_tokens_user_id RENAME TO ix_api_tokens_user_id")
    op.add_column("api_tokens", sa.Column("label", sa.String(length=100), nullable=True))


def downgrade() -> None:
    op.drop_column("api_tokens", "label")
    op.execute("ALTER INDEX ix_api_tokens_user_id RENAME TO ix_auth_tokens_user_id")
    op.execute("ALTER INDEX ix_api_tokens_token_hash RENAME TO ix_auth_tokens_token_hash")
    op.rename_table("api_tokens", "auth_tokens")
