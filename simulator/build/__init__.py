"""API JSON bodies built from the scenario specs, relative to "now"."""
