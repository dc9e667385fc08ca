-- staff_devices: at_date (duckdb); parameters: $at, $first, $last
WITH "t8" AS (
  SELECT
    CASE
      WHEN EXTRACT(month FROM CAST("t7"."start" AS DATE)) >= 8
      THEN CAST(EXTRACT(year FROM CAST("t7"."start" AS DATE)) AS BIGINT)
      ELSE CAST(EXTRACT(year FROM CAST("t7"."start" AS DATE)) AS BIGINT) - 1
    END AS "period",
    CAST("t7"."start" AS DATE) AS "first_day",
    LEAST(CAST("t7"."start" + INTERVAL '12' MONTH AS DATE) - INTERVAL '1' DAY, $at) AS "last_day"
  FROM (
    SELECT
      UNNEST(
        RANGE(
          CAST($first AS TIMESTAMP),
          CAST($last AS TIMESTAMP) + INTERVAL '1' DAY,
          INTERVAL '12' MONTH
        )
      ) AS "start"
  ) AS "t7"
)
SELECT
  CAST("t23"."period" AS TEXT) || '/' || CASE
    WHEN 2 <= LENGTH(CAST((
      "t23"."period" + 1
    ) % 100 AS TEXT))
    THEN CAST((
      "t23"."period" + 1
    ) % 100 AS TEXT)
    ELSE REPEAT('0', 2 - LENGTH(CAST((
      "t23"."period" + 1
    ) % 100 AS TEXT))) || CAST((
      "t23"."period" + 1
    ) % 100 AS TEXT)
  END AS "period",
  "t23"."excepted",
  "t23"."numerator",
  "t23"."denominator"
FROM (
  SELECT
    "t22"."period",
    "t22"."excepted",
    SUM("t22"."weight") FILTER(WHERE
      "t22"."hit") AS "numerator",
    SUM("t22"."weight") AS "denominator"
  FROM (
    SELECT
      "t21"."period",
      "t21"."school_id",
      "t21"."grade",
      "t21"."hit",
      "t21"."weight",
      FALSE AS "excepted"
    FROM (
      SELECT
        "t20"."period",
        "t20"."school_id",
        CAST(NULL AS BIGINT) AS "grade",
        "t16"."holder" IS NOT NULL AS "hit",
        1 AS "weight"
      FROM (
        SELECT
          "t18".*
          EXCLUDE ("latest")
        FROM (
          SELECT
            "t2"."snapshot_date",
            "t2"."employee",
            "t2"."school_id",
            "t2"."role",
            "t2"."_batch",
            "t17"."period",
            "t17"."latest"
          FROM "staff" AS "t2"
          INNER JOIN (
            SELECT
              "t12"."period",
              MAX("t12"."snap") AS "latest"
            FROM (
              SELECT
                "t11"."period",
                "t11"."first_day",
                "t11"."last_day",
                "t4"."snap"
              FROM "t8" AS "t11"
              INNER JOIN (
                SELECT DISTINCT
                  "t0"."snapshot_date" AS "snap"
                FROM "staff" AS "t0"
              ) AS "t4"
                ON "t4"."snap" <= "t11"."last_day"
            ) AS "t12"
            GROUP BY
              1
          ) AS "t17"
            ON "t2"."snapshot_date" = "t17"."latest"
        ) AS "t18"
      ) AS "t20"
      LEFT OUTER JOIN (
        SELECT DISTINCT
          *
        FROM (
          SELECT
            "t10"."period" AS "held_period",
            "t6"."holder"
          FROM (
            SELECT
              *
            FROM "devices" AS "t1"
            WHERE
              "t1"."ownership" = 'kommune' AND "t1"."holder_kind" = 'medarbejder'
          ) AS "t6"
          INNER JOIN "t8" AS "t10"
            ON "t6"."issued" <= "t10"."last_day"
            AND (
              (
                "t6"."returned" IS NULL
              ) OR (
                "t6"."returned" > "t10"."last_day"
              )
            )
        ) AS "t13"
      ) AS "t16"
        ON "t20"."period" = "t16"."held_period" AND "t20"."employee" = "t16"."holder"
    ) AS "t21"
  ) AS "t22"
  GROUP BY
    1,
    2
) AS "t23"
