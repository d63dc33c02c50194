"""Arithmetic checks of recovered tables and proven repairs of misread digits."""
