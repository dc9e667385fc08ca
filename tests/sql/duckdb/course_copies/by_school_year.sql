-- course_copies: by_school_year (duckdb); parameters: $at
SELECT
  "t1"."period",
  "t1"."excepted",
  SUM("t1"."weight") FILTER(WHERE
    "t1"."hit") AS "numerator",
  SUM("t1"."weight") AS "denominator"
FROM (
  SELECT
    CAST(CASE
      WHEN EXTRACT(month FROM "t0"."copied") >= 8
      THEN EXTRACT(year FROM "t0"."copied")
      ELSE EXTRACT(year FROM "t0"."copied") - 1
    END AS TEXT) || '/' || CASE
      WHEN 2 <= LENGTH(
        CAST((
          CASE
            WHEN EXTRACT(month FROM "t0"."copied") >= 8
            THEN EXTRACT(year FROM "t0"."copied")
            ELSE EXTRACT(year FROM "t0"."copied") - 1
          END + 1
        ) % 100 AS TEXT)
      )
      THEN CAST((
        CASE
          WHEN EXTRACT(month FROM "t0"."copied") >= 8
          THEN EXTRACT(year FROM "t0"."copied")
          ELSE EXTRACT(year FROM "t0"."copied") - 1
        END + 1
      ) % 100 AS TEXT)
      ELSE REPEAT(
        '0',
        2 - LENGTH(
          CAST((
            CASE
              WHEN EXTRACT(month FROM "t0"."copied") >= 8
              THEN EXTRACT(year FROM "t0"."copied")
              ELSE EXTRACT(year FROM "t0"."copied") - 1
            END + 1
          ) % 100 AS TEXT)
        )
      ) || CAST((
        CASE
          WHEN EXTRACT(month FROM "t0"."copied") >= 8
          THEN EXTRACT(year FROM "t0"."copied")
          ELSE EXTRACT(year FROM "t0"."copied") - 1
        END + 1
      ) % 100 AS TEXT)
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
