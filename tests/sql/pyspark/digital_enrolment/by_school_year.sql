-- digital_enrolment: by_school_year (pyspark); parameters: :at
SELECT
  `t1`.`period`,
  `t1`.`excepted`,
  SUM(IF(`t1`.`hit`, `t1`.`weight`, NULL)) AS `numerator`,
  SUM(`t1`.`weight`) AS `denominator`
FROM (
  SELECT
    CONCAT(
      CONCAT(
        CAST(CASE
          WHEN EXTRACT(month FROM `t0`.`received`) >= 8
          THEN EXTRACT(year FROM `t0`.`received`)
          ELSE EXTRACT(year FROM `t0`.`received`) - 1
        END AS STRING),
        '/'
      ),
      LPAD(
        CAST((
          CASE
            WHEN EXTRACT(month FROM `t0`.`received`) >= 8
            THEN EXTRACT(year FROM `t0`.`received`)
            ELSE EXTRACT(year FROM `t0`.`received`) - 1
          END + 1
        ) % 100 AS STRING),
        GREATEST(
          LENGTH(
            CAST((
              CASE
                WHEN EXTRACT(month FROM `t0`.`received`) >= 8
                THEN EXTRACT(year FROM `t0`.`received`)
                ELSE EXTRACT(year FROM `t0`.`received`) - 1
              END + 1
            ) % 100 AS STRING)
          ),
          2
        ),
        '0'
      )
    ) AS `period`,
    `t0`.`school_id`,
    CAST(NULL AS BIGINT) AS `grade`,
    `t0`.`channel` = 'digital' AS `hit`,
    1 AS `weight`,
    `t0`.`municipality`,
    FALSE AS `excepted`
  FROM `enrolments` AS `t0`
  WHERE
    `t0`.`kind` IN ('skolestart', 'dus') AND `t0`.`received` <= :at
) AS `t1`
GROUP BY
  1,
  2
