-- digital_individual_plans: at_date (pyspark); parameters: :at, :first
SELECT
  `t1`.`period`,
  `t1`.`excepted`,
  SUM(IF(`t1`.`hit`, `t1`.`weight`, NULL)) AS `numerator`,
  SUM(`t1`.`weight`) AS `denominator`
FROM (
  SELECT
    `t0`.`school_year` AS `period`,
    `t0`.`school_id`,
    CAST(NULL AS BIGINT) AS `grade`,
    `t0`.`platform` IN ('MinUddannelse', 'andet') AS `hit`,
    1 AS `weight`,
    `t0`.`municipality`,
    FALSE AS `excepted`
  FROM `pupil_plans` AS `t0`
  WHERE
    `t0`.`plan_kind` = 'individuel_undervisningsplan'
    AND `t0`.`published` <= :at
    AND `t0`.`school_year` <= CONCAT(
      CONCAT(
        CAST(CASE
          WHEN EXTRACT(month FROM :at) >= 8
          THEN CAST(EXTRACT(year FROM :at) AS BIGINT)
          ELSE CAST(EXTRACT(year FROM :at) AS BIGINT) - 1
        END AS STRING),
        '/'
      ),
      LPAD(
        CAST((
          CASE
            WHEN EXTRACT(month FROM :at) >= 8
            THEN CAST(EXTRACT(year FROM :at) AS BIGINT)
            ELSE CAST(EXTRACT(year FROM :at) AS BIGINT) - 1
          END + 1
        ) % 100 AS STRING),
        GREATEST(
          LENGTH(
            CAST((
              CASE
                WHEN EXTRACT(month FROM :at) >= 8
                THEN CAST(EXTRACT(year FROM :at) AS BIGINT)
                ELSE CAST(EXTRACT(year FROM :at) AS BIGINT) - 1
              END + 1
            ) % 100 AS STRING)
          ),
          2
        ),
        '0'
      )
    )
    AND `t0`.`school_year` = CONCAT(
      CONCAT(
        CAST(CASE
          WHEN EXTRACT(month FROM :first) >= 8
          THEN CAST(EXTRACT(year FROM :first) AS BIGINT)
          ELSE CAST(EXTRACT(year FROM :first) AS BIGINT) - 1
        END AS STRING),
        '/'
      ),
      LPAD(
        CAST((
          CASE
            WHEN EXTRACT(month FROM :first) >= 8
            THEN CAST(EXTRACT(year FROM :first) AS BIGINT)
            ELSE CAST(EXTRACT(year FROM :first) AS BIGINT) - 1
          END + 1
        ) % 100 AS STRING),
        GREATEST(
          LENGTH(
            CAST((
              CASE
                WHEN EXTRACT(month FROM :first) >= 8
                THEN CAST(EXTRACT(year FROM :first) AS BIGINT)
                ELSE CAST(EXTRACT(year FROM :first) AS BIGINT) - 1
              END + 1
            ) % 100 AS STRING)
          ),
          2
        ),
        '0'
      )
    )
) AS `t1`
GROUP BY
  1,
  2
