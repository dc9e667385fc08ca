"""The committee report."""
