"""OGP Local action plans as validated data: load, validate, model, render, report."""

__version__ = "0.1.0"
