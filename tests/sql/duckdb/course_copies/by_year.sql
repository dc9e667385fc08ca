-- course_copies: by_year (duckdb); parameters: $at
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
      CAST(EXTRACT(year FROM "t0"."copied") AS BIGINT) AS "period",
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
) AS "t2"
