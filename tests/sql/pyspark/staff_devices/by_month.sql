-- staff_devices: by_month (pyspark); parameters: :at, :first, :last
WITH `t8` AS (
  SELECT
    (
      CAST(EXTRACT(year FROM CAST(`t7`.`start` AS DATE)) AS BIGINT) * 100
    ) + EXTRACT(month FROM CAST(`t7`.`start` AS DATE)) AS `period`,
    CAST(`t7`.`start` AS DATE) AS `first_day`,
    LEAST(CAST(`t7`.`start` + INTERVAL '1' MONTH AS DATE) - INTERVAL '1' DAY, :at) AS `last_day`
  FROM (
    SELECT
      EXPLODE(
        IF(
          (
            INTERVAL '1' MONTH <> INTERVAL 0 month
          )
          AND (
            SIGN(INTERVAL '1' MONTH) = SIGN((
              CAST(:last AS TIMESTAMP) + INTERVAL '1' DAY
            ) - CAST(:first AS TIMESTAMP))
          ),
          IF(
            ELEMENT_AT(
              SEQUENCE(
                CAST(:first AS TIMESTAMP),
                CAST(CAST(:last AS TIMESTAMP) + INTERVAL '1' DAY AS TIMESTAMP),
                INTERVAL '1' MONTH
              ),
              SIZE(
                SEQUENCE(
                  CAST(:first AS TIMESTAMP),
                  CAST(CAST(:last AS TIMESTAMP) + INTERVAL '1' DAY AS TIMESTAMP),
                  INTERVAL '1' MONTH
                )
              )
            ) = (
              CAST(:last AS TIMESTAMP) + INTERVAL '1' DAY
            ),
            SLICE(
              SEQUENCE(
                CAST(:first AS TIMESTAMP),
                CAST(CAST(:last AS TIMESTAMP) + INTERVAL '1' DAY AS TIMESTAMP),
                INTERVAL '1' MONTH
              ),
              1,
              SIZE(
                SEQUENCE(
                  CAST(:first AS TIMESTAMP),
                  CAST(CAST(:last AS TIMESTAMP) + INTERVAL '1' DAY AS TIMESTAMP),
                  INTERVAL '1' MONTH
                )
              ) - 1
            ),
            SEQUENCE(
              CAST(:first AS TIMESTAMP),
              CAST(CAST(:last AS TIMESTAMP) + INTERVAL '1' DAY AS TIMESTAMP),
              INTERVAL '1' MONTH
            )
          ),
          ARRAY()
        )
      ) AS `start`
  ) AS `t7`
)
SELECT
  CONCAT(
    CONCAT(
      CAST(CAST(FLOOR((
        `t23`.`period` - (
          `t23`.`period` % 100
        )
      ) / (
        100
      )) AS BIGINT) AS STRING),
      '-'
    ),
    LPAD(
      CAST(`t23`.`period` % 100 AS STRING),
      GREATEST(LENGTH(CAST(`t23`.`period` % 100 AS STRING)), 2),
      '0'
    )
  ) AS `period`,
  `t23`.`excepted`,
  `t23`.`numerator`,
  `t23`.`denominator`
FROM (
  SELECT
    `t22`.`period`,
    `t22`.`excepted`,
    SUM(IF(`t22`.`hit`, `t22`.`weight`, NULL)) AS `numerator`,
    SUM(`t22`.`weight`) AS `denominator`
  FROM (
    SELECT
      `t21`.`period`,
      `t21`.`school_id`,
      `t21`.`grade`,
      `t21`.`hit`,
      `t21`.`weight`,
      `t21`.`municipality`,
      FALSE AS `excepted`
    FROM (
      SELECT
        `t20`.`period`,
        `t20`.`school_id`,
        CAST(NULL AS BIGINT) AS `grade`,
        `t16`.`holder` IS NOT NULL AS `hit`,
        1 AS `weight`,
        `t20`.`municipality`
      FROM (
        SELECT
          `t18`.`snapshot_date`,
          `t18`.`employee`,
          `t18`.`school_id`,
          `t18`.`role`,
          `t18`.`municipality`,
          `t18`.`period`
        FROM (
          SELECT
            `t2`.`snapshot_date`,
            `t2`.`employee`,
            `t2`.`school_id`,
            `t2`.`role`,
            `t2`.`municipality`,
            `t17`.`period`,
            `t17`.`snap_of`,
            `t17`.`latest`
          FROM `staff` AS `t2`
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
                `t4`.`snap`,
                `t4`.`snap_of`
              FROM `t8` AS `t11`
              INNER JOIN (
                SELECT DISTINCT
                  `t0`.`snapshot_date` AS `snap`,
                  `t0`.`municipality` AS `snap_of`
                FROM `staff` AS `t0`
              ) AS `t4`
                ON `t4`.`snap` <= `t11`.`last_day`
            ) AS `t12`
            GROUP BY
              1,
              2
          ) AS `t17`
            ON `t2`.`snapshot_date` = `t17`.`latest` AND `t2`.`municipality` = `t17`.`snap_of`
        ) AS `t18`
      ) AS `t20`
      LEFT OUTER JOIN (
        SELECT DISTINCT
          *
        FROM (
          SELECT
            `t10`.`period` AS `held_period`,
            `t6`.`holder`
          FROM (
            SELECT
              *
            FROM `devices` AS `t1`
            WHERE
              `t1`.`ownership` = 'kommune' AND `t1`.`holder_kind` = 'medarbejder'
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
        ) AS `t13`
      ) AS `t16`
        ON `t20`.`period` = `t16`.`held_period` AND `t20`.`employee` = `t16`.`holder`
    ) AS `t21`
  ) AS `t22`
  GROUP BY
    1,
    2
) AS `t23`
