-- lis_in_use: at_date (pyspark); parameters: :at, :first, :last
SELECT
  CONCAT(
    CONCAT(CAST(`t22`.`period` AS STRING), '/'),
    LPAD(
      CAST((
        `t22`.`period` + 1
      ) % 100 AS STRING),
      GREATEST(LENGTH(CAST((
        `t22`.`period` + 1
      ) % 100 AS STRING)), 2),
      '0'
    )
  ) AS `period`,
  `t22`.`excepted`,
  `t22`.`numerator`,
  `t22`.`denominator`
FROM (
  SELECT
    `t21`.`period`,
    `t21`.`excepted`,
    SUM(IF(`t21`.`hit`, `t21`.`weight`, NULL)) AS `numerator`,
    SUM(`t21`.`weight`) AS `denominator`
  FROM (
    SELECT
      `t20`.`period`,
      `t20`.`school_id`,
      `t20`.`grade`,
      `t20`.`hit`,
      `t20`.`weight`,
      `t20`.`municipality`,
      FALSE AS `excepted`
    FROM (
      SELECT
        `t12`.`period`,
        `t4`.`school_id`,
        CAST(NULL AS BIGINT) AS `grade`,
        `t19`.`used_school` IS NOT NULL AS `hit`,
        1 AS `weight`,
        `t4`.`municipality`
      FROM (
        SELECT
          `t0`.`school_id`,
          `t0`.`municipality`
        FROM `schools` AS `t0`
      ) AS `t4`
      CROSS JOIN (
        SELECT
          CASE
            WHEN EXTRACT(month FROM CAST(`t9`.`start` AS DATE)) >= 8
            THEN CAST(EXTRACT(year FROM CAST(`t9`.`start` AS DATE)) AS BIGINT)
            ELSE CAST(EXTRACT(year FROM CAST(`t9`.`start` AS DATE)) AS BIGINT) - 1
          END AS `period`
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
        ) AS `t9`
      ) AS `t12`
      LEFT OUTER JOIN (
        SELECT DISTINCT
          *
        FROM (
          SELECT
            `t16`.`in_period`,
            `t7`.`school_id` AS `used_school`
          FROM (
            SELECT
              `t1`.`name`,
              `t1`.`role`,
              `t1`.`school_id`
            FROM `users` AS `t1`
            WHERE
              `t1`.`role` = 'leader'
          ) AS `t7`
          INNER JOIN (
            SELECT DISTINCT
              *
            FROM (
              SELECT
                `t13`.`period` AS `in_period`,
                `t8`.`who`
              FROM (
                SELECT
                  `t2`.`user` AS `who`,
                  CAST(`t2`.`time` AS DATE) AS `day`
                FROM `audit_log` AS `t2`
                WHERE
                  `t2`.`action` = 'sign_in'
              ) AS `t8`
              INNER JOIN (
                SELECT
                  CASE
                    WHEN EXTRACT(month FROM CAST(`t9`.`start` AS DATE)) >= 8
                    THEN CAST(EXTRACT(year FROM CAST(`t9`.`start` AS DATE)) AS BIGINT)
                    ELSE CAST(EXTRACT(year FROM CAST(`t9`.`start` AS DATE)) AS BIGINT) - 1
                  END AS `period`,
                  CAST(`t9`.`start` AS DATE) AS `first_day`,
                  LEAST(CAST(`t9`.`start` + INTERVAL '12' MONTH AS DATE) - INTERVAL '1' DAY, :at) AS `last_day`
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
                ) AS `t9`
              ) AS `t13`
                ON `t8`.`day` > (
                  `t13`.`last_day` - INTERVAL '90' DAY
                )
                AND `t8`.`day` <= `t13`.`last_day`
            ) AS `t14`
          ) AS `t16`
            ON `t7`.`name` = `t16`.`who`
        ) AS `t17`
      ) AS `t19`
        ON `t12`.`period` = `t19`.`in_period` AND `t4`.`school_id` = `t19`.`used_school`
    ) AS `t20`
  ) AS `t21`
  GROUP BY
    1,
    2
) AS `t22`
