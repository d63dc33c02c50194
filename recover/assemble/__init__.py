"""The assemble stage."""
