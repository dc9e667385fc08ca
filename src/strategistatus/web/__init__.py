"""The dashboard and JSON API: pages and /api/v1 for admin, central, leaders and the public."""
