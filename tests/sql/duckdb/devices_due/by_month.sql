-- devices_due: by_month (duckdb); parameters: $at, $first, $last
SELECT
  CAST(CAST(FLOOR((
    "t8"."period" - (
      "t8"."period" % 100
    )
  ) / (
    100
  )) AS BIGINT) AS TEXT) || '-' || CASE
    WHEN 2 <= LENGTH(CAST("t8"."period" % 100 AS TEXT))
    THEN CAST("t8"."period" % 100 AS TEXT)
    ELSE REPEAT('0', 2 - LENGTH(CAST("t8"."period" % 100 AS TEXT))) || CAST("t8"."period" % 100 AS TEXT)
  END AS "period",
  "t8"."excepted",
  "t8"."numerator",
  "t8"."denominator"
FROM (
  SELECT
    "t7"."period",
    "t7"."excepted",
    SUM("t7"."weight") FILTER(WHERE
      "t7"."hit") AS "numerator",
    SUM("t7"."weight") AS "denominator"
  FROM (
    SELECT
      "t6"."period",
      "t6"."school_id",
      CAST(NULL AS BIGINT) AS "grade",
      TRUE AS "hit",
      1 AS "weight",
      FALSE AS "excepted"
    FROM (
      SELECT
        "t2"."device_id",
        "t2"."kind",
        "t2"."model",
        "t2"."ownership",
        "t2"."holder",
        "t2"."holder_kind",
        "t2"."school_id",
        "t2"."purchased",
        "t2"."issued",
        "t2"."returned",
        "t2"."price_dkk",
        "t2"."_batch",
        "t5"."period",
        "t5"."first_day",
        "t5"."last_day"
      FROM (
        SELECT
          *
        FROM "devices" AS "t0"
        WHERE
          "t0"."ownership" = 'kommune'
      ) AS "t2"
      INNER JOIN (
        SELECT
          (
            CAST(EXTRACT(year FROM CAST("t3"."start" AS DATE)) AS BIGINT) * 100
          ) + EXTRACT(month FROM CAST("t3"."start" AS DATE)) AS "period",
          CAST("t3"."start" AS DATE) AS "first_day",
          LEAST(CAST("t3"."start" + INTERVAL '1' MONTH AS DATE) - INTERVAL '1' DAY, $at) AS "last_day"
        FROM (
          SELECT
            UNNEST(
              RANGE(
                CAST($first AS TIMESTAMP),
                CAST($last AS TIMESTAMP) + INTERVAL '1' DAY,
                INTERVAL '1' MONTH
              )
            ) AS "start"
        ) AS "t3"
      ) AS "t5"
        ON "t2"."issued" <= "t5"."last_day"
        AND (
          (
            "t2"."returned" IS NULL
          ) OR (
            "t2"."returned" > "t5"."last_day"
          )
        )
    ) AS "t6"
    WHERE
      "t6"."purchased" < (
        "t6"."last_day" - INTERVAL '4' YEAR
      )
  ) AS "t7"
  GROUP BY
    1,
    2
) AS "t8"
