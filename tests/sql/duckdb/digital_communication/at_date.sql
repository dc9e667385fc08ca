-- digital_communication: at_date (duckdb); parameters: $at, $first
SELECT
  CAST(CAST(FLOOR((
    "t3"."period" - (
      "t3"."period" % 100
    )
  ) / (
    100
  )) AS BIGINT) AS TEXT) || '-' || CASE
    WHEN 2 <= LENGTH(CAST("t3"."period" % 100 AS TEXT))
    THEN CAST("t3"."period" % 100 AS TEXT)
    ELSE REPEAT('0', 2 - LENGTH(CAST("t3"."period" % 100 AS TEXT))) || CAST("t3"."period" % 100 AS TEXT)
  END AS "period",
  "t3"."excepted",
  "t3"."numerator",
  "t3"."denominator"
FROM (
  SELECT
    "t2"."period",
    "t2"."excepted",
    SUM("t2"."weight") FILTER(WHERE
      "t2"."hit") AS "numerator",
    SUM("t2"."weight") AS "denominator"
  FROM (
    SELECT
      "t1"."period",
      "t1"."school_id",
      "t1"."grade",
      "t1"."hit",
      "t1"."weight",
      FALSE AS "excepted"
    FROM (
      SELECT
        (
          CAST(EXTRACT(year FROM "t0"."month") AS BIGINT) * 100
        ) + EXTRACT(month FROM "t0"."month") AS "period",
        "t0"."school_id",
        CAST(NULL AS BIGINT) AS "grade",
        "t0"."digital" AS "hit",
        "t0"."count" AS "weight"
      FROM "messages" AS "t0"
      WHERE
        "t0"."month" <= $at AND "t0"."month" >= $first
    ) AS "t1"
    WHERE
      "t1"."period" = (
        (
          CAST(EXTRACT(year FROM $first) AS BIGINT) * 100
        ) + EXTRACT(month FROM $first)
      )
  ) AS "t2"
  GROUP BY
    1,
    2
) AS "t3"
