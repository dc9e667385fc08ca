-- digital_pupil_plans: by_municipality (pyspark); parameters: :at, :first, :last
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
      `t21`.`grade`,
      `t21`.`hit`,
      `t21`.`weight`,
      `t21`.`municipality`,
      FALSE AS `excepted`
    FROM (
      SELECT
        `t18`.`period`,
        `t18`.`school_id`,
        CAST(`t18`.`grade` AS BIGINT) AS `grade`,
        `t20`.`planned` IS NOT NULL AS `hit`,
        1 AS `weight`,
        `t18`.`municipality`
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
                `t4`.`snap`,
                `t4`.`snap_of`
              FROM `t8` AS `t11`
              INNER JOIN (
                SELECT DISTINCT
                  `t0`.`snapshot_date` AS `snap`,
                  `t0`.`municipality` AS `snap_of`
                FROM `pupils` AS `t0`
              ) AS `t4`
                ON `t4`.`snap` <= `t11`.`last_day`
            ) AS `t12`
            GROUP BY
              1,
              2
          ) AS `t14`
            ON `t2`.`snapshot_date` = `t14`.`latest` AND `t2`.`municipality` = `t14`.`snap_of`
        ) AS `t15`
      ) AS `t18`
      LEFT OUTER JOIN (
        SELECT DISTINCT
          *
        FROM (
          SELECT
            `t10`.`period` AS `in_period`,
            `t6`.`pupil` AS `planned`
          FROM (
            SELECT
              *
            FROM `pupil_plans` AS `t1`
            WHERE
              `t1`.`plan_kind` = 'elevplan' AND `t1`.`platform` IN ('MinUddannelse')
          ) AS `t6`
          INNER JOIN `t8` AS `t10`
            ON `t6`.`school_year` = CONCAT(
              CONCAT(
                CAST(CASE
                  WHEN EXTRACT(month FROM `t10`.`last_day`) >= 8
                  THEN CAST(EXTRACT(year FROM `t10`.`last_day`) AS BIGINT)
                  ELSE CAST(EXTRACT(year FROM `t10`.`last_day`) AS BIGINT) - 1
                END AS STRING),
                '/'
              ),
              LPAD(
                CAST((
                  CASE
                    WHEN EXTRACT(month FROM `t10`.`last_day`) >= 8
                    THEN CAST(EXTRACT(year FROM `t10`.`last_day`) AS BIGINT)
                    ELSE CAST(EXTRACT(year FROM `t10`.`last_day`) AS BIGINT) - 1
                  END + 1
                ) % 100 AS STRING),
                GREATEST(
                  LENGTH(
                    CAST((
                      CASE
                        WHEN EXTRACT(month FROM `t10`.`last_day`) >= 8
                        THEN CAST(EXTRACT(year FROM `t10`.`last_day`) AS BIGINT)
                        ELSE CAST(EXTRACT(year FROM `t10`.`last_day`) AS BIGINT) - 1
                      END + 1
                    ) % 100 AS STRING)
                  ),
                  2
                ),
                '0'
              )
            )
            AND `t6`.`published` <= `t10`.`last_day`
        ) AS `t16`
      ) AS `t20`
        ON `t18`.`period` = `t20`.`in_period` AND `t18`.`pupil` = `t20`.`planned`
    ) AS `t21`
  ) AS `t22`
  GROUP BY
    1,
    2,
    3
) AS `t23`
