"""correction reasons as codes: reason_code and a screened reason_note replace free text

Reasons typed before this revision were stored as they were typed, and may hold a child's
details: they are dropped, and their versions keep the reason "other".

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("report_versions") as batch:
        batch.add_column(sa.Column("reason_code", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("reason_note", sa.String(length=120), nullable=True))
    op.execute("UPDATE report_versions SET reason_code = 'other' WHERE reason IS NOT NULL")
    with op.batch_alter_table("report_versions") as batch:
        batch.drop_column("reason")


def downgrade() -> None:
    with op.batch_alter_table("report_versions") as batch:
        batch.add_column(sa.Column("reason", sa.Text(), nullable=True))
    op.execute("UPDATE report_versions SET reason = reason_code")
    with op.batch_alter_table("report_versions") as batch:
        batch.drop_column("reason_note")
        batch.drop_column("reason_code")
