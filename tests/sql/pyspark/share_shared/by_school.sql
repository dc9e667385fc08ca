-- share_shared: by_school (pyspark); parameters: :at, :first
SELECT
  CAST(`t2`.`period` AS STRING) AS `period`,
  `t2`.`school_id`,
  `t2`.`excepted`,
  `t2`.`numerator`,
  `t2`.`denominator`
FROM (
  SELECT
    `t1`.`period`,
    `t1`.`school_id`,
    `t1`.`excepted`,
    SUM(IF(`t1`.`hit`, `t1`.`weight`, NULL)) AS `numerator`,
    SUM(`t1`.`weight`) AS `denominator`
  FROM (
    SELECT
      CAST(EXTRACT(year FROM `t0`.`created`) AS BIGINT) AS `period`,
      `t0`.`school_id`,
      CAST(`t0`.`grade` AS BIGINT) AS `grade`,
      (
        `t0`.`shared` IS NOT NULL
      )
      AND (
        `t0`.`shared` <= :at
      )
      AND (
        EXTRACT(year FROM `t0`.`shared`) <= EXTRACT(year FROM `t0`.`created`)
      ) AS `hit`,
      1 AS `weight`,
      `t0`.`municipality`,
      FALSE AS `excepted`
    FROM `courses` AS `t0`
    WHERE
      `t0`.`created` <= :at
      AND `t0`.`created` >= :first
      AND CAST(EXTRACT(year FROM `t0`.`created`) AS BIGINT) = CAST(EXTRACT(year FROM :first) AS BIGINT)
  ) AS `t1`
  GROUP BY
    1,
    2,
    3
) AS `t2`
