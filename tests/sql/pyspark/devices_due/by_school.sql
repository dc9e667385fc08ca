-- devices_due: by_school (pyspark); parameters: :at, :first, :last
SELECT
  CONCAT(
    CONCAT(CAST(`t8`.`period` AS STRING), '/'),
    LPAD(
      CAST((
        `t8`.`period` + 1
      ) % 100 AS STRING),
      GREATEST(LENGTH(CAST((
        `t8`.`period` + 1
      ) % 100 AS STRING)), 2),
      '0'
    )
  ) AS `period`,
  `t8`.`school_id`,
  `t8`.`excepted`,
  `t8`.`numerator`,
  `t8`.`denominator`
FROM (
  SELECT
    `t7`.`period`,
    `t7`.`school_id`,
    `t7`.`excepted`,
    SUM(IF(`t7`.`hit`, `t7`.`weight`, NULL)) AS `numerator`,
    SUM(`t7`.`weight`) AS `denominator`
  FROM (
    SELECT
      `t6`.`period`,
      `t6`.`school_id`,
      CAST(NULL AS BIGINT) AS `grade`,
      TRUE AS `hit`,
      1 AS `weight`,
      `t6`.`municipality`,
      FALSE AS `excepted`
    FROM (
      SELECT
        `t2`.`device_id`,
        `t2`.`kind`,
        `t2`.`model`,
        `t2`.`ownership`,
        `t2`.`holder`,
        `t2`.`holder_kind`,
        `t2`.`school_id`,
        `t2`.`purchased`,
        `t2`.`issued`,
        `t2`.`returned`,
        `t2`.`price_dkk`,
        `t2`.`municipality`,
        `t5`.`period`,
        `t5`.`first_day`,
        `t5`.`last_day`
      FROM (
        SELECT
          *
        FROM `devices` AS `t0`
        WHERE
          `t0`.`ownership` = 'kommune'
      ) AS `t2`
      INNER JOIN (
        SELECT
          CASE
            WHEN EXTRACT(month FROM CAST(`t3`.`start` AS DATE)) >= 8
            THEN CAST(EXTRACT(year FROM CAST(`t3`.`start` AS DATE)) AS BIGINT)
            ELSE CAST(EXTRACT(year FROM CAST(`t3`.`start` AS DATE)) AS BIGINT) - 1
          END AS `period`,
          CAST(`t3`.`start` AS DATE) AS `first_day`,
          LEAST(CAST(`t3`.`start` + INTERVAL '12' MONTH AS DATE) - INTERVAL '1' DAY, :at) AS `last_day`
        FROM (
          SELECT
            EXPLODE(
              IF(
                (
                  INTERVAL '12' MONTH <> INTERVAL 0 month
                )
                AND (
                  SIGN(INTERVAL '12' MONTH) = SIGN((
                    CAST(:last AS TIMESTAMP) + INTERVAL '1' DAY
                  ) - CAST(:first AS TIMESTAMP))
                ),
                IF(
                  ELEMENT_AT(
                    SEQUENCE(
                      CAST(:first AS TIMESTAMP),
                      CAST(CAST(:last AS TIMESTAMP) + INTERVAL '1' DAY AS TIMESTAMP),
                      INTERVAL '12' MONTH
                    ),
                    SIZE(
                      SEQUENCE(
                        CAST(:first AS TIMESTAMP),
                        CAST(CAST(:last AS TIMESTAMP) + INTERVAL '1' DAY AS TIMESTAMP),
                        INTERVAL '12' MONTH
                      )
                    )
                  ) = (
                    CAST(:last AS TIMESTAMP) + INTERVAL '1' DAY
                  ),
                  SLICE(
                    SEQUENCE(
                      CAST(:first AS TIMESTAMP),
                      CAST(CAST(:last AS TIMESTAMP) + INTERVAL '1' DAY AS TIMESTAMP),
                      INTERVAL '12' MONTH
                    ),
                    1,
                    SIZE(
                      SEQUENCE(
                        CAST(:first AS TIMESTAMP),
                        CAST(CAST(:last AS TIMESTAMP) + INTERVAL '1' DAY AS TIMESTAMP),
                        INTERVAL '12' MONTH
                      )
                    ) - 1
                  ),
                  SEQUENCE(
                    CAST(:first AS TIMESTAMP),
                    CAST(CAST(:last AS TIMESTAMP) + INTERVAL '1' DAY AS TIMESTAMP),
                    INTERVAL '12' MONTH
                  )
                ),
                ARRAY()
              )
            ) AS `start`
        ) AS `t3`
      ) AS `t5`
        ON `t2`.`issued` <= `t5`.`last_day`
        AND (
          (
            `t2`.`returned` IS NULL
          ) OR (
            `t2`.`returned` > `t5`.`last_day`
          )
        )
    ) AS `t6`
    WHERE
      `t6`.`purchased` < (
        `t6`.`last_day` - INTERVAL '4' YEAR
      )
  ) AS `t7`
  GROUP BY
    1,
    2,
    3
) AS `t8`
