-- course_copies: by_month (duckdb); parameters: $at
SELECT
  "t1"."period",
  "t1"."excepted",
  SUM("t1"."weight") FILTER(WHERE
    "t1"."hit") AS "numerator",
  SUM("t1"."weight") AS "denominator"
FROM (
  SELECT
    CAST(EXTRACT(year FROM "t0"."copied") AS TEXT) || '-' || CASE
      WHEN 2 <= LENGTH(CAST(EXTRACT(month FROM "t0"."copied") AS TEXT))
      THEN CAST(EXTRACT(month FROM "t0"."copied") AS TEXT)
      ELSE REPEAT('0', 2 - LENGTH(CAST(EXTRACT(month FROM "t0"."copied") AS TEXT))) || CAST(EXTRACT(month FROM "t0"."copied") AS TEXT)
    END AS "period",
    "t0"."school_id",
    CAST(NULL AS BIGINT) AS "grade",
    TRUE AS "hit",
    1 AS "weight",
    FALSE AS "excepted"
  FROM "course_copies" AS "t0"
  WHERE
    "t0"."copied" <= $at
) AS "t1"
GROUP BY
  1,
  2
