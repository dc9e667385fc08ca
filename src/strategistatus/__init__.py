"""strategistatus: follow a public strategy up with real figures."""

__version__ = "0.1.0"
