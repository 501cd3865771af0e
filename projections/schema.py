"""The read-model tables (SQLAlchemy Core), on the same database as the log.

Read models are disposable: they are rebuilt from the log whenever their shape changes
(SCHEMA_VERSION), so they need no migrations of their own. Each table has the columns
people filter and sort on, and, where a view is read whole, the view as a JSON document
(msgspec), so a query returns exactly the Struct the fold produced. No table holds a
personal-data value.
"""

from __future__ import annotations

import sqlalchemy as sa

# Bump when a view's shape or meaning changes: the runner then rebuilds from the log.
SCHEMA_VERSION = 5

metadata = sa.MetaData()

tracking = sa.Table(
    "rl_projection_tracking",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column("schema_version", sa.Integer, nullable=False),
)

reviews = sa.Table(
    "rl_view_reviews",
    metadata,
    sa.Column("reference", sa.String(200), primary_key=True),
    sa.Column("route", sa.String(32), nullable=False, index=True),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("subject_group", sa.String(16), nullable=True),
    sa.Column("stage", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column("open_obligations", sa.Integer, nullable=False),
    sa.Column("verification", sa.Text, nullable=True),  # set when an event of it is not as signed
    sa.Column("document", sa.Text, nullable=False),
    # The list's sort orders, each ending in the reference so a page continues from a review (keyset).
    sa.Index("ix_rl_view_reviews_route_reference", "route", "reference"),
    sa.Index("ix_rl_view_reviews_stage_reference", "stage", "reference"),
    sa.Index("ix_rl_view_reviews_status_reference", "status", "reference"),
    sa.Index("ix_rl_view_reviews_position_reference", "position", "reference"),
)

# Who holds which role on which review: for "which reviews is this person on" and for access.
roles = sa.Table(
    "rl_view_roles",
    metadata,
    sa.Column("reference", sa.String(200), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("holder", sa.String(200), nullable=False, index=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("current", sa.Boolean, nullable=False),
)

clocks = sa.Table(
    "rl_view_clocks",
    metadata,
    sa.Column("reference", sa.String(200), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("due", sa.Date, nullable=False, index=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("document", sa.Text, nullable=False),
)

decisions = sa.Table(
    "rl_view_decisions",
    metadata,
    sa.Column("reference", sa.String(200), primary_key=True),
    sa.Column("version", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("position", sa.BigInteger, nullable=False, index=True),
    sa.Column("actor", sa.String(200), nullable=False, index=True),
    sa.Column("role", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("decided_on", sa.Date, nullable=True),
    sa.Column("timescale_met", sa.Boolean, nullable=True),
    sa.Column("document", sa.Text, nullable=False),
)

terms = sa.Table(
    "rl_view_terms",
    metadata,
    sa.Column("reference", sa.String(200), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("document", sa.Text, nullable=False),
)

# Where every item of personal data sits, whose it is and who said it (never its value).
subject_items = sa.Table(
    "rl_view_subject_items",
    metadata,
    sa.Column("subject", sa.String(200), primary_key=True),
    sa.Column("relation", sa.String(8), primary_key=True),
    sa.Column("position", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("field", sa.String(300), primary_key=True),
    sa.Column("stream", sa.String(200), nullable=False, index=True),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("type", sa.String(120), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("nature", sa.String(16), nullable=False),
    sa.Column("special_category", sa.Boolean, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
)

# The learning themes each review is tagged with: one row per (theme, review), so one theme's reviews
# are a range of the primary key, read a page at a time by reference (keyset). The runner replaces a
# review's rows by its reference, which has an index of its own.
themes = sa.Table(
    "rl_view_themes",
    metadata,
    sa.Column("theme", sa.String(64), primary_key=True),
    sa.Column("reference", sa.String(200), primary_key=True),
    sa.Index("ix_rl_view_themes_reference", "reference"),
)

VIEW_TABLES: tuple[sa.Table, ...] = (reviews, roles, clocks, decisions, terms, subject_items, themes)
