-- digital_enrolment: by_municipality (pyspark); parameters: :at, :first
SELECT
  CONCAT(
    CONCAT(CAST(`t3`.`period` AS STRING), '/'),
    LPAD(
      CAST((
        `t3`.`period` + 1
      ) % 100 AS STRING),
      GREATEST(LENGTH(CAST((
        `t3`.`period` + 1
      ) % 100 AS STRING)), 2),
      '0'
    )
  ) AS `period`,
  `t3`.`municipality`,
  `t3`.`excepted`,
  `t3`.`numerator`,
  `t3`.`denominator`
FROM (
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
        CASE
          WHEN EXTRACT(month FROM `t0`.`received`) >= 8
          THEN CAST(EXTRACT(year FROM `t0`.`received`) AS BIGINT)
          ELSE CAST(EXTRACT(year FROM `t0`.`received`) AS BIGINT) - 1
        END AS `period`,
        `t0`.`school_id`,
        CAST(NULL AS BIGINT) AS `grade`,
        `t0`.`channel` = 'digital' AS `hit`,
        1 AS `weight`,
        `t0`.`municipality`
      FROM `enrolments` AS `t0`
      WHERE
        `t0`.`kind` IN ('skolestart', 'dus')
        AND `t0`.`received` <= :at
        AND `t0`.`received` >= :first
    ) AS `t1`
    WHERE
      `t1`.`period` = CASE
        WHEN EXTRACT(month FROM :first) >= 8
        THEN CAST(EXTRACT(year FROM :first) AS BIGINT)
        ELSE CAST(EXTRACT(year FROM :first) AS BIGINT) - 1
      END
  ) AS `t2`
  GROUP BY
    1,
    2,
    3
) AS `t3`
