-- teachers_on_platform: by_month (pyspark); parameters: :at, :first, :last
WITH `t8` AS (
  SELECT
    (
      CAST(EXTRACT(year FROM CAST(`t5`.`start` AS DATE)) AS BIGINT) * 100
    ) + EXTRACT(month FROM CAST(`t5`.`start` AS DATE)) AS `period`,
    CAST(`t5`.`start` AS DATE) AS `first_day`,
    LEAST(CAST(`t5`.`start` + INTERVAL '1' MONTH AS DATE) - INTERVAL '1' DAY, :at) AS `last_day`
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
  ) AS `t5`
)
SELECT
  CONCAT(
    CONCAT(
      CAST(CAST(FLOOR((
        `t24`.`period` - (
          `t24`.`period` % 100
        )
      ) / (
        100
      )) AS BIGINT) AS STRING),
      '-'
    ),
    LPAD(
      CAST(`t24`.`period` % 100 AS STRING),
      GREATEST(LENGTH(CAST(`t24`.`period` % 100 AS STRING)), 2),
      '0'
    )
  ) AS `period`,
  `t24`.`excepted`,
  `t24`.`numerator`,
  `t24`.`denominator`
FROM (
  SELECT
    `t23`.`period`,
    `t23`.`excepted`,
    SUM(IF(`t23`.`hit`, `t23`.`weight`, NULL)) AS `numerator`,
    SUM(`t23`.`weight`) AS `denominator`
  FROM (
    SELECT
      `t22`.`period`,
      `t22`.`school_id`,
      `t22`.`grade`,
      `t22`.`hit`,
      `t22`.`weight`,
      `t22`.`municipality`,
      FALSE AS `excepted`
    FROM (
      SELECT
        `t21`.`period`,
        `t21`.`school_id`,
        CAST(NULL AS BIGINT) AS `grade`,
        `t15`.`author` IS NOT NULL AS `hit`,
        1 AS `weight`,
        `t21`.`municipality`
      FROM (
        SELECT
          *
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
                `t13`.`period`,
                `t13`.`snap_of`,
                MAX(`t13`.`snap`) AS `latest`
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
              ) AS `t13`
              GROUP BY
                1,
                2
            ) AS `t17`
              ON `t2`.`snapshot_date` = `t17`.`latest` AND `t2`.`municipality` = `t17`.`snap_of`
          ) AS `t18`
        ) AS `t19`
        WHERE
          `t19`.`role` IN ('lærer', 'pædagog')
      ) AS `t21`
      LEFT OUTER JOIN (
        SELECT DISTINCT
          *
        FROM (
          SELECT
            `t10`.`period` AS `in_period`,
            `t7`.`author`
          FROM (
            SELECT
              `t1`.`author`,
              (
                CAST(EXTRACT(year FROM `t1`.`created`) AS BIGINT) * 100
              ) + EXTRACT(month FROM `t1`.`created`) AS `month`,
              MIN(`t1`.`created`) AS `first`
            FROM `courses` AS `t1`
            GROUP BY
              1,
              2
          ) AS `t7`
          INNER JOIN `t8` AS `t10`
            ON `t7`.`first` >= `t10`.`first_day` AND `t7`.`first` <= `t10`.`last_day`
        ) AS `t12`
      ) AS `t15`
        ON `t21`.`period` = `t15`.`in_period` AND `t21`.`employee` = `t15`.`author`
    ) AS `t22`
  ) AS `t23`
  GROUP BY
    1,
    2
) AS `t24`
