-- lis_in_use: at_date (duckdb); parameters: $at, $first, $last
SELECT
  CAST("t22"."period" AS TEXT) || '/' || CASE
    WHEN 2 <= LENGTH(CAST((
      "t22"."period" + 1
    ) % 100 AS TEXT))
    THEN CAST((
      "t22"."period" + 1
    ) % 100 AS TEXT)
    ELSE REPEAT('0', 2 - LENGTH(CAST((
      "t22"."period" + 1
    ) % 100 AS TEXT))) || CAST((
      "t22"."period" + 1
    ) % 100 AS TEXT)
  END AS "period",
  "t22"."excepted",
  "t22"."numerator",
  "t22"."denominator"
FROM (
  SELECT
    "t21"."period",
    "t21"."excepted",
    SUM("t21"."weight") FILTER(WHERE
      "t21"."hit") AS "numerator",
    SUM("t21"."weight") AS "denominator"
  FROM (
    SELECT
      "t20"."period",
      "t20"."school_id",
      "t20"."grade",
      "t20"."hit",
      "t20"."weight",
      FALSE AS "excepted"
    FROM (
      SELECT
        "t12"."period",
        "t4"."school_id",
        CAST(NULL AS BIGINT) AS "grade",
        "t19"."used_school" IS NOT NULL AS "hit",
        1 AS "weight"
      FROM (
        SELECT
          "t0"."school_id"
        FROM "schools" AS "t0"
      ) AS "t4"
      CROSS JOIN (
        SELECT
          CASE
            WHEN EXTRACT(month FROM CAST("t9"."start" AS DATE)) >= 8
            THEN CAST(EXTRACT(year FROM CAST("t9"."start" AS DATE)) AS BIGINT)
            ELSE CAST(EXTRACT(year FROM CAST("t9"."start" AS DATE)) AS BIGINT) - 1
          END AS "period"
        FROM (
          SELECT
            UNNEST(
              RANGE(
                CAST($first AS TIMESTAMP),
                CAST($last AS TIMESTAMP) + INTERVAL '1' DAY,
                INTERVAL '12' MONTH
              )
            ) AS "start"
        ) AS "t9"
      ) AS "t12"
      LEFT OUTER JOIN (
        SELECT DISTINCT
          *
        FROM (
          SELECT
            "t16"."in_period",
            "t7"."school_id" AS "used_school"
          FROM (
            SELECT
              *
            FROM "users" AS "t1"
            WHERE
              "t1"."role" = 'leader'
          ) AS "t7"
          INNER JOIN (
            SELECT DISTINCT
              *
            FROM (
              SELECT
                "t13"."period" AS "in_period",
                "t8"."who"
              FROM (
                SELECT
                  "t2"."user" AS "who",
                  CAST("t2"."time" AS DATE) AS "day"
                FROM "audit_log" AS "t2"
                WHERE
                  "t2"."action" = 'sign_in'
              ) AS "t8"
              INNER JOIN (
                SELECT
                  CASE
                    WHEN EXTRACT(month FROM CAST("t9"."start" AS DATE)) >= 8
                    THEN CAST(EXTRACT(year FROM CAST("t9"."start" AS DATE)) AS BIGINT)
                    ELSE CAST(EXTRACT(year FROM CAST("t9"."start" AS DATE)) AS BIGINT) - 1
                  END AS "period",
                  CAST("t9"."start" AS DATE) AS "first_day",
                  LEAST(CAST("t9"."start" + INTERVAL '12' MONTH AS DATE) - INTERVAL '1' DAY, $at) AS "last_day"
                FROM (
                  SELECT
                    UNNEST(
                      RANGE(
                        CAST($first AS TIMESTAMP),
                        CAST($last AS TIMESTAMP) + INTERVAL '1' DAY,
                        INTERVAL '12' MONTH
                      )
                    ) AS "start"
                ) AS "t9"
              ) AS "t13"
                ON "t8"."day" > (
                  "t13"."last_day" - INTERVAL '90' DAY
                )
                AND "t8"."day" <= "t13"."last_day"
            ) AS "t14"
          ) AS "t16"
            ON "t7"."name" = "t16"."who"
        ) AS "t17"
      ) AS "t19"
        ON "t12"."period" = "t19"."in_period" AND "t4"."school_id" = "t19"."used_school"
    ) AS "t20"
  ) AS "t21"
  GROUP BY
    1,
    2
) AS "t22"
