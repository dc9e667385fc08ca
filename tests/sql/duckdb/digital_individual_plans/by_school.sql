-- digital_individual_plans: by_school (duckdb); parameters: $at, $first
SELECT
  "t1"."period",
  "t1"."school_id",
  "t1"."excepted",
  SUM("t1"."weight") FILTER(WHERE
    "t1"."hit") AS "numerator",
  SUM("t1"."weight") AS "denominator"
FROM (
  SELECT
    "t0"."school_year" AS "period",
    "t0"."school_id",
    CAST(NULL AS BIGINT) AS "grade",
    "t0"."platform" IN ('MinUddannelse', 'andet') AS "hit",
    1 AS "weight",
    FALSE AS "excepted"
  FROM "pupil_plans" AS "t0"
  WHERE
    "t0"."plan_kind" = 'individuel_undervisningsplan'
    AND "t0"."published" <= $at
    AND "t0"."school_year" <= CAST(CASE
      WHEN EXTRACT(month FROM $at) >= 8
      THEN CAST(EXTRACT(year FROM $at) AS BIGINT)
      ELSE CAST(EXTRACT(year FROM $at) AS BIGINT) - 1
    END AS TEXT) || '/' || CASE
      WHEN 2 <= LENGTH(
        CAST((
          CASE
            WHEN EXTRACT(month FROM $at) >= 8
            THEN CAST(EXTRACT(year FROM $at) AS BIGINT)
            ELSE CAST(EXTRACT(year FROM $at) AS BIGINT) - 1
          END + 1
        ) % 100 AS TEXT)
      )
      THEN CAST((
        CASE
          WHEN EXTRACT(month FROM $at) >= 8
          THEN CAST(EXTRACT(year FROM $at) AS BIGINT)
          ELSE CAST(EXTRACT(year FROM $at) AS BIGINT) - 1
        END + 1
      ) % 100 AS TEXT)
      ELSE REPEAT(
        '0',
        2 - LENGTH(
          CAST((
            CASE
              WHEN EXTRACT(month FROM $at) >= 8
              THEN CAST(EXTRACT(year FROM $at) AS BIGINT)
              ELSE CAST(EXTRACT(year FROM $at) AS BIGINT) - 1
            END + 1
          ) % 100 AS TEXT)
        )
      ) || CAST((
        CASE
          WHEN EXTRACT(month FROM $at) >= 8
          THEN CAST(EXTRACT(year FROM $at) AS BIGINT)
          ELSE CAST(EXTRACT(year FROM $at) AS BIGINT) - 1
        END + 1
      ) % 100 AS TEXT)
    END
    AND "t0"."school_year" = CAST(CASE
      WHEN EXTRACT(month FROM $first) >= 8
      THEN CAST(EXTRACT(year FROM $first) AS BIGINT)
      ELSE CAST(EXTRACT(year FROM $first) AS BIGINT) - 1
    END AS TEXT) || '/' || CASE
      WHEN 2 <= LENGTH(
        CAST((
          CASE
            WHEN EXTRACT(month FROM $first) >= 8
            THEN CAST(EXTRACT(year FROM $first) AS BIGINT)
            ELSE CAST(EXTRACT(year FROM $first) AS BIGINT) - 1
          END + 1
        ) % 100 AS TEXT)
      )
      THEN CAST((
        CASE
          WHEN EXTRACT(month FROM $first) >= 8
          THEN CAST(EXTRACT(year FROM $first) AS BIGINT)
          ELSE CAST(EXTRACT(year FROM $first) AS BIGINT) - 1
        END + 1
      ) % 100 AS TEXT)
      ELSE REPEAT(
        '0',
        2 - LENGTH(
          CAST((
            CASE
              WHEN EXTRACT(month FROM $first) >= 8
              THEN CAST(EXTRACT(year FROM $first) AS BIGINT)
              ELSE CAST(EXTRACT(year FROM $first) AS BIGINT) - 1
            END + 1
          ) % 100 AS TEXT)
        )
      ) || CAST((
        CASE
          WHEN EXTRACT(month FROM $first) >= 8
          THEN CAST(EXTRACT(year FROM $first) AS BIGINT)
          ELSE CAST(EXTRACT(year FROM $first) AS BIGINT) - 1
        END + 1
      ) % 100 AS TEXT)
    END
) AS "t1"
GROUP BY
  1,
  2,
  3
