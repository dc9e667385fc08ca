-- digital_communication: by_year (pyspark); parameters: :at
SELECT
  CAST(`t2`.`period` AS STRING) AS `period`,
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
      CAST(EXTRACT(year FROM `t0`.`month`) AS BIGINT) AS `period`,
      `t0`.`school_id`,
      CAST(NULL AS BIGINT) AS `grade`,
      `t0`.`digital` AS `hit`,
      `t0`.`count` AS `weight`,
      `t0`.`municipality`,
      FALSE AS `excepted`
    FROM `messages` AS `t0`
    WHERE
      `t0`.`month` <= :at
  ) AS `t1`
  GROUP BY
    1,
    2
) AS `t2`
