-- shared_courses: by_school (pyspark); parameters: :at
SELECT
  `t1`.`school_id`,
  `t1`.`excepted`,
  SUM(IF(`t1`.`hit`, `t1`.`weight`, NULL)) AS `numerator`,
  SUM(`t1`.`weight`) AS `denominator`
FROM (
  SELECT
    CAST(NULL AS STRING) AS `period`,
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
