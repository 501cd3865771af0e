"""The route registry: each route's name, as the command line and API spell it, and its record's class.

The one module under domain/routes that knows every route; the route packages never import it.
"""

from __future__ import annotations

from domain.kernel.aggregate import Aggregate
from domain.routes.mini.review import MiniReview
from domain.routes.national.review import NationalReview
from domain.routes.panel.review import PanelReview
from domain.routes.single_agency.review import SingleAgencyReview

# The route name (as the command line and API spell it) -> the record's class.
ROUTES: dict[str, type[Aggregate]] = {
    "national": NationalReview,
    "mini": MiniReview,
    "panel": PanelReview,
    "single-agency": SingleAgencyReview,
}
