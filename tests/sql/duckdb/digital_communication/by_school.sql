-- digital_communication: by_school (duckdb); parameters: $at, $first
SELECT
  "t2"."period",
  "t2"."school_id",
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
      CAST(EXTRACT(year FROM "t0"."month") AS TEXT) || '-' || CASE
        WHEN 2 <= LENGTH(CAST(EXTRACT(month FROM "t0"."month") AS TEXT))
        THEN CAST(EXTRACT(month FROM "t0"."month") AS TEXT)
        ELSE REPEAT('0', 2 - LENGTH(CAST(EXTRACT(month FROM "t0"."month") AS TEXT))) || CAST(EXTRACT(month FROM "t0"."month") AS TEXT)
      END AS "period",
      "t0"."school_id",
      CAST(NULL AS BIGINT) AS "grade",
      "t0"."digital" AS "hit",
      "t0"."count" AS "weight"
    FROM "messages" AS "t0"
    WHERE
      "t0"."month" <= $at AND "t0"."month" >= $first
  ) AS "t1"
  WHERE
    "t1"."period" = CAST(EXTRACT(year FROM $first) AS TEXT) || '-' || CASE
      WHEN 2 <= LENGTH(CAST(EXTRACT(month FROM $first) AS TEXT))
      THEN CAST(EXTRACT(month FROM $first) AS TEXT)
      ELSE REPEAT('0', 2 - LENGTH(CAST(EXTRACT(month FROM $first) AS TEXT))) || CAST(EXTRACT(month FROM $first) AS TEXT)
    END
) AS "t2"
GROUP BY
  1,
  2,
  3
