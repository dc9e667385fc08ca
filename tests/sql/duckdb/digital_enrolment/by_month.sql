-- digital_enrolment: by_month (duckdb); parameters: $at
SELECT
  CAST(CAST(FLOOR((
    "t2"."period" - (
      "t2"."period" % 100
    )
  ) / (
    100
  )) AS BIGINT) AS TEXT) || '-' || CASE
    WHEN 2 <= LENGTH(CAST("t2"."period" % 100 AS TEXT))
    THEN CAST("t2"."period" % 100 AS TEXT)
    ELSE REPEAT('0', 2 - LENGTH(CAST("t2"."period" % 100 AS TEXT))) || CAST("t2"."period" % 100 AS TEXT)
  END AS "period",
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
      (
        CAST(EXTRACT(year FROM "t0"."received") AS BIGINT) * 100
      ) + EXTRACT(month FROM "t0"."received") AS "period",
      "t0"."school_id",
      CAST(NULL AS BIGINT) AS "grade",
      "t0"."channel" = 'digital' AS "hit",
      1 AS "weight",
      FALSE AS "excepted"
    FROM "enrolments" AS "t0"
    WHERE
      "t0"."kind" IN ('skolestart', 'dus') AND "t0"."received" <= $at
  ) AS "t1"
  GROUP BY
    1,
    2
) AS "t2"
