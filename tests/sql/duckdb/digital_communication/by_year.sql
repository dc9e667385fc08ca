-- digital_communication: by_year (duckdb); parameters: $at
SELECT
  CAST("t2"."period" AS TEXT) AS "period",
  "t2"."excepted",
  "t2"."numerator",
  "t2"."denominator"
FROM (
  SELECT
    "t1"."period",
    "t1"."excepted",
    SUM("t1"."weight") FILTER(WHERE
      "t1"."hit") AS "numerator",
    SUM("t1"."weight") AS "denominator"
  FROM (
    SELECT
      CAST(EXTRACT(year FROM "t0"."month") AS BIGINT) AS "period",
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
) AS "t2"
