"""How a view is drawn: what colours its nodes, what sizes them, which edges and nodes it keeps, its timeline.

A :class:`ViewOptions` travels with a view's filter from the URL (``colour=``, ``size=``,
``isolated=``, ``backbone=``, ``alpha=``, ``timeline=``) or the CLI to the writer; every field
has an enum of its values, so that a wrong value is refused with the list of the right ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TypeVar


class ColourBy(Enum):
    """The node attribute that chooses a node's colour."""

    KIND = "kind"
    STRATEGY = "strategy"
    COUNTRY = "country"
    THEME = "theme"
    HELIX_ROLE = "helix_role"
    COMMUNITY = "community"


class SizeBy(Enum):
    """The measure that chooses a node's size."""

    DEGREE = "degree"
    WEIGHTED_DEGREE = "weighted_degree"
    BETWEENNESS = "betweenness"
    ORGANISATIONS = "organisations"


class Isolated(Enum):
    """Whether nodes without edges stay in the view."""

    KEEP = "keep"
    DROP = "drop"


class Backbone(Enum):
    """Which edges of a weighted view stay."""

    DISPARITY = "disparity"
    """The disparity filter (Serrano, Boguñá and Vespignani 2009): an edge stays when its weight is
    significant at level ``alpha`` for at least one of its ends."""
    NONE = "none"
    """Every edge."""


class Timeline(Enum):
    """The time intervals written into a dynamic GEXF."""

    NONE = "none"
    """A static network."""
    PERIOD = "period"
    """Each element lives in the programming periods of its strategies (``dcterms:temporal``)."""
    VERSION = "version"
    """Each element lives from the acceptance of its strategy's current submission version."""


DEFAULT_ALPHA = 0.05
"""The disparity filter's significance level unless another is asked for."""


@dataclass(frozen=True)
class ViewOptions:
    """How to draw a view; ``None`` means the view's own default.

    Attributes:
        colour: The attribute that colours the nodes.
        size: The measure that sizes them.
        isolated: Keep or drop nodes without edges (``None``: the view's default).
        backbone: Which edges of a similarity view stay (``None``: the view's default).
        alpha: The disparity filter's significance level (0 < alpha ≤ 1; ``None``: the view's default).
        timeline: The intervals of a dynamic GEXF (none: static).
    """

    colour: ColourBy = ColourBy.KIND
    size: SizeBy = SizeBy.DEGREE
    isolated: Isolated | None = None
    backbone: Backbone | None = None
    alpha: float | None = None
    timeline: Timeline = Timeline.NONE


class OptionError(ValueError):
    """An option has a value it does not take, or does not apply to the view; the message says what to give."""


E = TypeVar("E", bound=Enum)


def option(enum: type[E], name: str, value: str) -> E:
    """Return the member of ``enum`` with this value.

    Raises:
        OptionError: None has it; the message lists the values.
    """
    try:
        return enum(value)
    except ValueError:
        known = ", ".join(str(member.value) for member in enum)
        raise OptionError(f"unknown {name} {value!r}; use one of {known}") from None


def parse_options(values: Mapping[str, str]) -> ViewOptions:
    """Read view options from text (URL parameters, CLI options); missing ones take their defaults.

    Args:
        values: ``colour``, ``size``, ``isolated``, ``backbone``, ``alpha``, ``timeline`` (any may be absent).

    Raises:
        OptionError: A value is not one the option takes.
    """
    alpha = None
    if values.get("alpha"):
        try:
            alpha = float(values["alpha"])
        except ValueError:
            raise OptionError(f"alpha {values['alpha']!r} is not a number; give one above 0 and at most 1") from None
        if not 0 < alpha <= 1:
            raise OptionError(f"alpha {values['alpha']!r} is out of range; give a number above 0 and at most 1")
    isolated = values.get("isolated")
    backbone = values.get("backbone")
    return ViewOptions(
        colour=option(ColourBy, "colour", values.get("colour") or ColourBy.KIND.value),
        size=option(SizeBy, "size", values.get("size") or SizeBy.DEGREE.value),
        isolated=option(Isolated, "isolated", isolated) if isolated else None,
        backbone=option(Backbone, "backbone", backbone) if backbone else None,
        alpha=alpha,
        timeline=option(Timeline, "timeline", values.get("timeline") or Timeline.NONE.value),
    )


OPTION_NAMES = ("colour", "size", "isolated", "backbone", "alpha", "timeline")
"""The URL parameters (and CLI options) of :func:`parse_options`."""
