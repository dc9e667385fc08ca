-- devices_to_collect: by_year (duckdb); parameters: $at, $first, $last
WITH "t8" AS (
  SELECT
    CAST(EXTRACT(year FROM CAST("t7"."start" AS DATE)) AS BIGINT) AS "period",
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
  CAST("t23"."period" AS TEXT) AS "period",
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
      CAST(NULL AS BIGINT) AS "grade",
      TRUE AS "hit",
      1 AS "weight",
      FALSE AS "excepted"
    FROM (
      SELECT
        "t20".*
        EXCLUDE ("on_period", "pupil")
      FROM (
        SELECT
          *
        FROM (
          SELECT
            "t6"."device_id",
            "t6"."kind",
            "t6"."model",
            "t6"."ownership",
            "t6"."holder",
            "t6"."holder_kind",
            "t6"."school_id",
            "t6"."purchased",
            "t6"."issued",
            "t6"."returned",
            "t6"."price_dkk",
            "t6"."_batch",
            "t10"."period",
            "t10"."first_day",
            "t10"."last_day",
            "t18"."on_period",
            "t18"."pupil"
          FROM (
            SELECT
              *
            FROM "devices" AS "t0"
            WHERE
              "t0"."ownership" = 'kommune' AND "t0"."holder_kind" = 'elev'
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
          LEFT OUTER JOIN (
            SELECT DISTINCT
              "t16"."period" AS "on_period",
              "t16"."pupil"
            FROM (
              SELECT
                "t15".*
                EXCLUDE ("latest")
              FROM (
                SELECT
                  "t2"."snapshot_date",
                  "t2"."pupil",
                  "t2"."school_id",
                  "t2"."grade",
                  "t2"."class_name",
                  "t2"."dus",
                  "t2"."_batch",
                  "t14"."period",
                  "t14"."latest"
                FROM "pupils" AS "t2"
                INNER JOIN (
                  SELECT
                    "t12"."period",
                    MAX("t12"."snap") AS "latest"
                  FROM (
                    SELECT
                      "t11"."period",
                      "t11"."first_day",
                      "t11"."last_day",
                      "t5"."snap"
                    FROM "t8" AS "t11"
                    INNER JOIN (
                      SELECT DISTINCT
                        "t1"."snapshot_date" AS "snap"
                      FROM "pupils" AS "t1"
                    ) AS "t5"
                      ON "t5"."snap" <= "t11"."last_day"
                  ) AS "t12"
                  GROUP BY
                    1
                ) AS "t14"
                  ON "t2"."snapshot_date" = "t14"."latest"
              ) AS "t15"
            ) AS "t16"
          ) AS "t18"
            ON "t10"."period" = "t18"."on_period" AND "t6"."holder" = "t18"."pupil"
        ) AS "t19"
        WHERE
          "t19"."pupil" IS NULL
      ) AS "t20"
    ) AS "t21"
  ) AS "t22"
  GROUP BY
    1,
    2
) AS "t23"
