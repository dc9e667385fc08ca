"""Helpers of the browser tests (tests/test_browser.py): a live server, the browser, a11y checks."""
