-- digital_enrolment: by_school_year (duckdb); parameters: $at
SELECT
  "t1"."period",
  "t1"."excepted",
  SUM("t1"."weight") FILTER(WHERE
    "t1"."hit") AS "numerator",
  SUM("t1"."weight") AS "denominator"
FROM (
  SELECT
    CAST(CASE
      WHEN EXTRACT(month FROM "t0"."received") >= 8
      THEN EXTRACT(year FROM "t0"."received")
      ELSE EXTRACT(year FROM "t0"."received") - 1
    END AS TEXT) || '/' || CASE
      WHEN 2 <= LENGTH(
        CAST((
          CASE
            WHEN EXTRACT(month FROM "t0"."received") >= 8
            THEN EXTRACT(year FROM "t0"."received")
            ELSE EXTRACT(year FROM "t0"."received") - 1
          END + 1
        ) % 100 AS TEXT)
      )
      THEN CAST((
        CASE
          WHEN EXTRACT(month FROM "t0"."received") >= 8
          THEN EXTRACT(year FROM "t0"."received")
          ELSE EXTRACT(year FROM "t0"."received") - 1
        END + 1
      ) % 100 AS TEXT)
      ELSE REPEAT(
        '0',
        2 - LENGTH(
          CAST((
            CASE
              WHEN EXTRACT(month FROM "t0"."received") >= 8
              THEN EXTRACT(year FROM "t0"."received")
              ELSE EXTRACT(year FROM "t0"."received") - 1
            END + 1
          ) % 100 AS TEXT)
        )
      ) || CAST((
        CASE
          WHEN EXTRACT(month FROM "t0"."received") >= 8
          THEN EXTRACT(year FROM "t0"."received")
          ELSE EXTRACT(year FROM "t0"."received") - 1
        END + 1
      ) % 100 AS TEXT)
    END AS "period",
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
