-- digital_communication: by_month (duckdb); parameters: $at
SELECT
  "t1"."period",
  "t1"."excepted",
  SUM("t1"."weight") FILTER(WHERE
    "t1"."hit") AS "numerator",
  SUM("t1"."weight") AS "denominator"
FROM (
  SELECT
    CAST(EXTRACT(year FROM "t0"."month") AS TEXT) || '-' || CASE
      WHEN 2 <= LENGTH(CAST(EXTRACT(month FROM "t0"."month") AS TEXT))
      THEN CAST(EXTRACT(month FROM "t0"."month") AS TEXT)
      ELSE REPEAT('0', 2 - LENGTH(CAST(EXTRACT(month FROM "t0"."month") AS TEXT))) || CAST(EXTRACT(month FROM "t0"."month") AS TEXT)
    END AS "period",
    "t0"."school_id",
    CAST(NULL AS BIGINT) AS "grade",
    "t0"."digital" AS "hit",
    "t0"."count" AS "weight",
    FALSE AS "excepted"
  FROM "messages" AS "t0"
  WHERE
    "t0"."month" <= $at
) AS "t1"
GROUP BY
  1,
  2
