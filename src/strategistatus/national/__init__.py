"""Many municipalities at once: a workspace's export (``export``), many exports read as one
country (``sources``) on DuckDB or Spark, and every indicator per municipality, region and
for the whole country (``figures``)."""
