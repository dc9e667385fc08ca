-- course_copies: by_municipality (pyspark); parameters: :at
SELECT
  `t1`.`municipality`,
  `t1`.`excepted`,
  SUM(IF(`t1`.`hit`, `t1`.`weight`, NULL)) AS `numerator`,
  SUM(`t1`.`weight`) AS `denominator`
FROM (
  SELECT
    CAST(NULL AS STRING) AS `period`,
    `t0`.`school_id`,
    CAST(NULL AS BIGINT) AS `grade`,
    TRUE AS `hit`,
    1 AS `weight`,
    `t0`.`municipality`,
    FALSE AS `excepted`
  FROM `course_copies` AS `t0`
  WHERE
    `t0`.`copied` <= :at
) AS `t1`
GROUP BY
  1,
  2
