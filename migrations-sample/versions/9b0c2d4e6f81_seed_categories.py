"""seed top-level categories

Revision ID: 9b0c2d4e6f81
Revises: 27e4a6b8c0d3
Create Date: 2024-02-05 10:00:13.441209

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "9b0c2d4e6f81"
down_revision: Union[str, Sequence[str], None] = "27e4a6b8c0d3"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


categories = sa.table(
    "categories",
    sa.column("id", sa.Integer),
    sa.column("slug", sa.String),
    sa.column("name", sa.String),
    sa.column("position", sa.SmallInteger),
)


def upgrade() -> None:
    op.bulk_insert(
        categories,
        [
            {"id": 1, "slug": "electronics", "name": "Electronics", "position": 1},
            {"id": 2, "slug": "furniture", "name": "Furniture", "position": 2},
            {"id": 3, "slug": "books", "name": "Books", "position": 3},
            {"id": 4, "slug": "kids", "name": "Kids' things", "position": 4},
        ],
    )
    op.execute("SELECT setval('categories_id_seq', 4)")


def downgrade() -> None:
    op.execute("DELETE FROM categories WHERE id IN (1, 2, 3, 4)")
