"""Arithmetic constraints between cells of one table (defined in the model, used by the checks)."""

from recover.model.rules import Constraint, RuleSource, Slot, last_place_unit

__all__ = ["Constraint", "RuleSource", "Slot", "last_place_unit"]
