"""Reproducible model build (needs the [train] extra; never imported by the app)."""
