"""merge search branch into main

Revision ID: 71c3e5a9b0d2
Revises: 0f2e4d6c8b1a, d2a4c6e8f0b1
Create Date: 2024-03-04 09:00:41.227905

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "71c3e5a9b0d2"
down_revision: Union[str, Sequence[str], None] = ("0f2e4d6c8b1a", "d2a4c6e8f0b1")
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
