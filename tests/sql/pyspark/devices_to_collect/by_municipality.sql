-- devices_to_collect: by_municipality (pyspark); parameters: :at, :first, :last
WITH `t8` AS (
  SELECT
    CASE
      WHEN EXTRACT(month FROM CAST(`t7`.`start` AS DATE)) >= 8
      THEN CAST(EXTRACT(year FROM CAST(`t7`.`start` AS DATE)) AS BIGINT)
      ELSE CAST(EXTRACT(year FROM CAST(`t7`.`start` AS DATE)) AS BIGINT) - 1
    END AS `period`,
    CAST(`t7`.`start` AS DATE) AS `first_day`,
    LEAST(CAST(`t7`.`start` + INTERVAL '12' MONTH AS DATE) - INTERVAL '1' DAY, :at) AS `last_day`
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
  ) AS `t7`
)
SELECT
  CONCAT(
    CONCAT(CAST(`t23`.`period` AS STRING), '/'),
    LPAD(
      CAST((
        `t23`.`period` + 1
      ) % 100 AS STRING),
      GREATEST(LENGTH(CAST((
        `t23`.`period` + 1
      ) % 100 AS STRING)), 2),
      '0'
    )
  ) AS `period`,
  `t23`.`municipality`,
  `t23`.`excepted`,
  `t23`.`numerator`,
  `t23`.`denominator`
FROM (
  SELECT
    `t22`.`period`,
    `t22`.`municipality`,
    `t22`.`excepted`,
    SUM(IF(`t22`.`hit`, `t22`.`weight`, NULL)) AS `numerator`,
    SUM(`t22`.`weight`) AS `denominator`
  FROM (
    SELECT
      `t21`.`period`,
      `t21`.`school_id`,
      CAST(NULL AS BIGINT) AS `grade`,
      TRUE AS `hit`,
      1 AS `weight`,
      `t21`.`municipality`,
      FALSE AS `excepted`
    FROM (
      SELECT
        `t20`.`device_id`,
        `t20`.`kind`,
        `t20`.`model`,
        `t20`.`ownership`,
        `t20`.`holder`,
        `t20`.`holder_kind`,
        `t20`.`school_id`,
        `t20`.`purchased`,
        `t20`.`issued`,
        `t20`.`returned`,
        `t20`.`price_dkk`,
        `t20`.`municipality`,
        `t20`.`period`,
        `t20`.`first_day`,
        `t20`.`last_day`
      FROM (
        SELECT
          *
        FROM (
          SELECT
            `t6`.`device_id`,
            `t6`.`kind`,
            `t6`.`model`,
            `t6`.`ownership`,
            `t6`.`holder`,
            `t6`.`holder_kind`,
            `t6`.`school_id`,
            `t6`.`purchased`,
            `t6`.`issued`,
            `t6`.`returned`,
            `t6`.`price_dkk`,
            `t6`.`municipality`,
            `t10`.`period`,
            `t10`.`first_day`,
            `t10`.`last_day`,
            `t18`.`on_period`,
            `t18`.`pupil`
          FROM (
            SELECT
              *
            FROM `devices` AS `t0`
            WHERE
              `t0`.`ownership` = 'kommune' AND `t0`.`holder_kind` = 'elev'
          ) AS `t6`
          INNER JOIN `t8` AS `t10`
            ON `t6`.`issued` <= `t10`.`last_day`
            AND (
              (
                `t6`.`returned` IS NULL
              ) OR (
                `t6`.`returned` > `t10`.`last_day`
              )
            )
          LEFT OUTER JOIN (
            SELECT DISTINCT
              `t16`.`period` AS `on_period`,
              `t16`.`pupil`
            FROM (
              SELECT
                `t15`.`snapshot_date`,
                `t15`.`pupil`,
                `t15`.`school_id`,
                `t15`.`grade`,
                `t15`.`class_name`,
                `t15`.`dus`,
                `t15`.`municipality`,
                `t15`.`period`
              FROM (
                SELECT
                  `t2`.`snapshot_date`,
                  `t2`.`pupil`,
                  `t2`.`school_id`,
                  `t2`.`grade`,
                  `t2`.`class_name`,
                  `t2`.`dus`,
                  `t2`.`municipality`,
                  `t14`.`period`,
                  `t14`.`snap_of`,
                  `t14`.`latest`
                FROM `pupils` AS `t2`
                INNER JOIN (
                  SELECT
                    `t12`.`period`,
                    `t12`.`snap_of`,
                    MAX(`t12`.`snap`) AS `latest`
                  FROM (
                    SELECT
                      `t11`.`period`,
                      `t11`.`first_day`,
                      `t11`.`last_day`,
                      `t5`.`snap`,
                      `t5`.`snap_of`
                    FROM `t8` AS `t11`
                    INNER JOIN (
                      SELECT DISTINCT
                        `t1`.`snapshot_date` AS `snap`,
                        `t1`.`municipality` AS `snap_of`
                      FROM `pupils` AS `t1`
                    ) AS `t5`
                      ON `t5`.`snap` <= `t11`.`last_day`
                  ) AS `t12`
                  GROUP BY
                    1,
                    2
                ) AS `t14`
                  ON `t2`.`snapshot_date` = `t14`.`latest` AND `t2`.`municipality` = `t14`.`snap_of`
              ) AS `t15`
            ) AS `t16`
          ) AS `t18`
            ON `t10`.`period` = `t18`.`on_period` AND `t6`.`holder` = `t18`.`pupil`
        ) AS `t19`
        WHERE
          `t19`.`pupil` IS NULL
      ) AS `t20`
    ) AS `t21`
  ) AS `t22`
  GROUP BY
    1,
    2,
    3
) AS `t23`
