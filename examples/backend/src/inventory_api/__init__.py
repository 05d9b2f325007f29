"""Inventory API: the reference FastAPI backend bundled with slipway."""

__version__ = "0.1.0"
