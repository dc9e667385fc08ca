-- course_copies: by_school_year (pyspark); parameters: :at
SELECT
  CONCAT(
    CONCAT(CAST(`t2`.`period` AS STRING), '/'),
    LPAD(
      CAST((
        `t2`.`period` + 1
      ) % 100 AS STRING),
      GREATEST(LENGTH(CAST((
        `t2`.`period` + 1
      ) % 100 AS STRING)), 2),
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
      CASE
        WHEN EXTRACT(month FROM `t0`.`copied`) >= 8
        THEN CAST(EXTRACT(year FROM `t0`.`copied`) AS BIGINT)
        ELSE CAST(EXTRACT(year FROM `t0`.`copied`) AS BIGINT) - 1
      END AS `period`,
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
) AS `t2`
