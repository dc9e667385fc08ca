-- digital_communication: by_municipality (pyspark); parameters: :at, :first
SELECT
  `t2`.`period`,
  `t2`.`municipality`,
  `t2`.`excepted`,
  SUM(IF(`t2`.`hit`, `t2`.`weight`, NULL)) AS `numerator`,
  SUM(`t2`.`weight`) AS `denominator`
FROM (
  SELECT
    `t1`.`period`,
    `t1`.`school_id`,
    `t1`.`grade`,
    `t1`.`hit`,
    `t1`.`weight`,
    `t1`.`municipality`,
    FALSE AS `excepted`
  FROM (
    SELECT
      CONCAT(
        CONCAT(CAST(EXTRACT(year FROM `t0`.`month`) AS STRING), '-'),
        LPAD(
          CAST(EXTRACT(month FROM `t0`.`month`) AS STRING),
          GREATEST(LENGTH(CAST(EXTRACT(month FROM `t0`.`month`) AS STRING)), 2),
          '0'
        )
      ) AS `period`,
      `t0`.`school_id`,
      CAST(NULL AS BIGINT) AS `grade`,
      `t0`.`digital` AS `hit`,
      `t0`.`count` AS `weight`,
      `t0`.`municipality`
    FROM `messages` AS `t0`
    WHERE
      `t0`.`month` <= :at AND `t0`.`month` >= :first
  ) AS `t1`
  WHERE
    `t1`.`period` = CONCAT(
      CONCAT(CAST(EXTRACT(year FROM :first) AS STRING), '-'),
      LPAD(
        CAST(EXTRACT(month FROM :first) AS STRING),
        GREATEST(LENGTH(CAST(EXTRACT(month FROM :first) AS STRING)), 2),
        '0'
      )
    )
) AS `t2`
GROUP BY
  1,
  2,
  3
