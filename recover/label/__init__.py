"""Header paths, canonical column names and form identification."""
