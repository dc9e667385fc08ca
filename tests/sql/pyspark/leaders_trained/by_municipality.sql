-- leaders_trained: by_municipality (pyspark); parameters: :at, :first, :last
SELECT
  CONCAT(
    CONCAT(CAST(`t16`.`period` AS STRING), '/'),
    LPAD(
      CAST((
        `t16`.`period` + 1
      ) % 100 AS STRING),
      GREATEST(LENGTH(CAST((
        `t16`.`period` + 1
      ) % 100 AS STRING)), 2),
      '0'
    )
  ) AS `period`,
  `t16`.`municipality`,
  `t16`.`excepted`,
  `t16`.`numerator`,
  `t16`.`denominator`
FROM (
  SELECT
    `t15`.`period`,
    `t15`.`municipality`,
    `t15`.`excepted`,
    SUM(IF(`t15`.`hit`, `t15`.`weight`, NULL)) AS `numerator`,
    SUM(`t15`.`weight`) AS `denominator`
  FROM (
    SELECT
      `t14`.`period`,
      `t14`.`school_id`,
      `t14`.`grade`,
      `t14`.`hit`,
      `t14`.`weight`,
      `t14`.`municipality`,
      FALSE AS `excepted`
    FROM (
      SELECT
        `t9`.`period`,
        `t3`.`school_id`,
        CAST(NULL AS BIGINT) AS `grade`,
        `t13`.`trained_school` IS NOT NULL AS `hit`,
        1 AS `weight`,
        `t3`.`municipality`
      FROM (
        SELECT
          `t0`.`school_id`,
          `t0`.`municipality`
        FROM `schools` AS `t0`
      ) AS `t3`
      CROSS JOIN (
        SELECT
          CASE
            WHEN EXTRACT(month FROM CAST(`t6`.`start` AS DATE)) >= 8
            THEN CAST(EXTRACT(year FROM CAST(`t6`.`start` AS DATE)) AS BIGINT)
            ELSE CAST(EXTRACT(year FROM CAST(`t6`.`start` AS DATE)) AS BIGINT) - 1
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
        ) AS `t6`
      ) AS `t9`
      LEFT OUTER JOIN (
        SELECT DISTINCT
          *
        FROM (
          SELECT
            `t10`.`period` AS `in_period`,
            `t5`.`school_id` AS `trained_school`
          FROM (
            SELECT
              *
            FROM `trainings` AS `t1`
            WHERE
              `t1`.`role` = 'leder' AND CONTAINS(LOWER(`t1`.`programme`), 'superbruger')
          ) AS `t5`
          INNER JOIN (
            SELECT
              CASE
                WHEN EXTRACT(month FROM CAST(`t6`.`start` AS DATE)) >= 8
                THEN CAST(EXTRACT(year FROM CAST(`t6`.`start` AS DATE)) AS BIGINT)
                ELSE CAST(EXTRACT(year FROM CAST(`t6`.`start` AS DATE)) AS BIGINT) - 1
              END AS `period`,
              CAST(`t6`.`start` AS DATE) AS `first_day`,
              LEAST(CAST(`t6`.`start` + INTERVAL '12' MONTH AS DATE) - INTERVAL '1' DAY, :at) AS `last_day`
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
            ) AS `t6`
          ) AS `t10`
            ON `t5`.`completed` <= `t10`.`last_day`
        ) AS `t11`
      ) AS `t13`
        ON `t9`.`period` = `t13`.`in_period` AND `t3`.`school_id` = `t13`.`trained_school`
    ) AS `t14`
  ) AS `t15`
  GROUP BY
    1,
    2,
    3
) AS `t16`
