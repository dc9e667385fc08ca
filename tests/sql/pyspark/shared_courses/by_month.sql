-- shared_courses: by_month (pyspark); parameters: :at
SELECT
  `t1`.`period`,
  `t1`.`excepted`,
  SUM(IF(`t1`.`hit`, `t1`.`weight`, NULL)) AS `numerator`,
  SUM(`t1`.`weight`) AS `denominator`
FROM (
  SELECT
    CONCAT(
      CONCAT(CAST(EXTRACT(year FROM `t0`.`shared`) AS STRING), '-'),
      LPAD(
        CAST(EXTRACT(month FROM `t0`.`shared`) AS STRING),
        GREATEST(LENGTH(CAST(EXTRACT(month FROM `t0`.`shared`) AS STRING)), 2),
        '0'
      )
    ) AS `period`,
    `t0`.`school_id`,
    CAST(`t0`.`grade` AS BIGINT) AS `grade`,
    TRUE AS `hit`,
    1 AS `weight`,
    `t0`.`municipality`,
    FALSE AS `excepted`
  FROM `courses` AS `t0`
  WHERE
    `t0`.`shared` IS NOT NULL AND `t0`.`shared` <= :at
) AS `t1`
GROUP BY
  1,
  2
