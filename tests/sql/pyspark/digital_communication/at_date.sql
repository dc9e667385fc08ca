-- digital_communication: at_date (pyspark); parameters: :at, :first
SELECT
  CONCAT(
    CONCAT(
      CAST(CAST(FLOOR((
        `t2`.`period` - (
          `t2`.`period` % 100
        )
      ) / (
        100
      )) AS BIGINT) AS STRING),
      '-'
    ),
    LPAD(
      CAST(`t2`.`period` % 100 AS STRING),
      GREATEST(LENGTH(CAST(`t2`.`period` % 100 AS STRING)), 2),
      '0'
    )
  ) AS `period`,
  `t2`.`excepted`,
  `t2`.`numerator`,
  `t2`.`denominator`
FROM (
  SELECT
    `t1`.`period`,
    `t1`.`excepted`,
    SUM(IF(`t1`.`hit`, `t1`.`weight`, NULL)) AS `numerator`,
    SUM(`t1`.`weight`) AS `denominator`
  FROM (
    SELECT
      (
        CAST(EXTRACT(year FROM `t0`.`month`) AS BIGINT) * 100
      ) + EXTRACT(month FROM `t0`.`month`) AS `period`,
      `t0`.`school_id`,
      CAST(NULL AS BIGINT) AS `grade`,
      `t0`.`digital` AS `hit`,
      `t0`.`count` AS `weight`,
      `t0`.`municipality`,
      FALSE AS `excepted`
    FROM `messages` AS `t0`
    WHERE
      `t0`.`month` <= :at
      AND `t0`.`month` >= :first
      AND (
        (
          CAST(EXTRACT(year FROM `t0`.`month`) AS BIGINT) * 100
        ) + EXTRACT(month FROM `t0`.`month`)
      ) = (
        (
          CAST(EXTRACT(year FROM :first) AS BIGINT) * 100
        ) + EXTRACT(month FROM :first)
      )
  ) AS `t1`
  GROUP BY
    1,
    2
) AS `t2`
