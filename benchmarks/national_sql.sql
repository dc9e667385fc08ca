-- The national benchmark's workload (benchmarks/national_common.py) as one hand-written
-- DuckDB SQL script: for every municipality of the exports given, every data indicator of
-- the shipped strategy (src/strategistatus/strategy/data/aalborg-2017.yaml) at the date
-- $at, as the figures its status is judged on:
--
--   indicator, municipality, period (NULL: in total at the date), excepted,
--   numerator, denominator (a count: numerator 0, the count as denominator)
--
-- In total at the date: the stocks without a strategy period (rosters and devices at the
-- date, trained leaders, LIS use) and the counts without a target (shared courses, course
-- copies). Every other indicator by its strategy period, from the period holding the
-- municipality's own first day of data to the period holding $at (cut at $at).
--
-- Parameters (national_sql.py binds them):
--   $at              the measurement date
--   $exports         every export file: list of {filename, municipality} (from manifests)
--   $<dataset>_files the dataset's Parquet file of every export
--
-- The strategy's parameters (grades, roles, kinds, platforms, years, days) are written in.
-- A person (pupil, employee, device holder, course author, account) is matched within
-- their own municipality: each municipality pseudonymises with its own key.

-- The school year (1 August - 31 July) a date falls in: its first calendar year, and
-- that year's label ("2017/18") and first day. Rows are grouped by the year, a number;
-- only the groups get a label.
CREATE OR REPLACE TEMP MACRO school_year_of(d) AS
    year(d) - CASE WHEN month(d) >= 8 THEN 0 ELSE 1 END;

CREATE OR REPLACE TEMP MACRO school_year_name(y) AS
    y::VARCHAR || '/' || lpad(((y + 1) % 100)::VARCHAR, 2, '0');

CREATE OR REPLACE TEMP MACRO school_year_start(d) AS
    make_date(school_year_of(d)::INTEGER, 8, 1);

WITH
-- Which municipality each file belongs to (its export's manifest).
export_file AS (
    SELECT unnest($exports, recursive := true)
),

-- The datasets, each row with its municipality: only the columns used.
pupils AS (
    SELECT f.municipality, t.snapshot_date, t.pupil, t.grade
    FROM read_parquet($pupils_files, filename = true) t JOIN export_file f USING (filename)
),
staff AS (
    SELECT f.municipality, t.snapshot_date, t.employee, t.role
    FROM read_parquet($staff_files, filename = true) t JOIN export_file f USING (filename)
),
devices AS (
    SELECT f.municipality, t.ownership, t.holder, t.holder_kind, t.purchased, t.issued,
           t.returned
    FROM read_parquet($devices_files, filename = true) t JOIN export_file f USING (filename)
),
enrolments AS (
    SELECT f.municipality, t.kind, t.channel, t.received
    FROM read_parquet($enrolments_files, filename = true) t JOIN export_file f USING (filename)
),
courses AS (
    SELECT f.municipality, t.author, t.created, t.shared
    FROM read_parquet($courses_files, filename = true) t JOIN export_file f USING (filename)
),
course_copies AS (
    SELECT f.municipality, t.copied
    FROM read_parquet($course_copies_files, filename = true) t JOIN export_file f USING (filename)
),
pupil_plans AS (
    SELECT f.municipality, t.pupil, t.school_year, t.plan_kind, t.platform, t.published
    FROM read_parquet($pupil_plans_files, filename = true) t JOIN export_file f USING (filename)
),
trainings AS (
    SELECT f.municipality, t.school_id, t.role, t.programme, t.completed
    FROM read_parquet($trainings_files, filename = true) t JOIN export_file f USING (filename)
),
schools AS (
    SELECT f.municipality, t.school_id
    FROM read_parquet($schools_files, filename = true) t JOIN export_file f USING (filename)
),
audit_log AS (
    SELECT f.municipality, t.time, t."user", t.action
    FROM read_parquet($audit_log_files, filename = true) t JOIN export_file f USING (filename)
),
users AS (
    SELECT f.municipality, t.name, t.role, t.school_id
    FROM read_parquet($users_files, filename = true) t JOIN export_file f USING (filename)
),
messages AS (
    SELECT f.municipality, t.month, t.count, t.digital
    FROM read_parquet($messages_files, filename = true) t JOIN export_file f USING (filename)
),

-- At the date: each municipality's latest pupil and staff roster on or before $at, and
-- the devices held on $at (issued by then, not returned by then).
pupils_at AS (
    SELECT p.*
    FROM pupils p
    JOIN (SELECT municipality, max(snapshot_date) AS snapshot_date
          FROM pupils WHERE snapshot_date <= $at GROUP BY municipality) latest
      USING (municipality, snapshot_date)
),
staff_at AS (
    SELECT s.*
    FROM staff s
    JOIN (SELECT municipality, max(snapshot_date) AS snapshot_date
          FROM staff WHERE snapshot_date <= $at GROUP BY municipality) latest
      USING (municipality, snapshot_date)
),
held_at AS (
    SELECT *
    FROM devices
    WHERE issued <= $at AND (returned IS NULL OR returned > $at)
),

-- Each municipality's school years from the one holding its first day of data (the
-- indicator's dataset's earliest date; the date itself if earlier) to the one holding $at:
-- period label, first day, last day (cut at $at). No first day, no periods.
course_years AS (
    SELECT municipality, school_year_of(first_day) AS school_year,
           school_year_name(school_year_of(first_day)) AS period, first_day,
           least(first_day + INTERVAL 1 YEAR - INTERVAL 1 DAY, $at)::DATE AS last_day
    FROM (SELECT municipality,
                 unnest(generate_series(school_year_start(least(min(created), $at)),
                                        school_year_start($at), INTERVAL 1 YEAR))::DATE
                     AS first_day
          FROM courses GROUP BY municipality HAVING min(created) IS NOT NULL)
),
plan_years AS (
    SELECT municipality, school_year_of(first_day) AS school_year,
           school_year_name(school_year_of(first_day)) AS period, first_day,
           least(first_day + INTERVAL 1 YEAR - INTERVAL 1 DAY, $at)::DATE AS last_day
    FROM (SELECT municipality,
                 unnest(generate_series(school_year_start(least(min(published), $at)),
                                        school_year_start($at), INTERVAL 1 YEAR))::DATE
                     AS first_day
          FROM pupil_plans GROUP BY municipality HAVING min(published) IS NOT NULL)
),

-- The roster at each school year's last day: each municipality's latest snapshot on or
-- before it (staff for teachers_on_platform, pupils for digital_pupil_plans).
staff_in_year AS (
    SELECT y.municipality, y.school_year, y.period, s.employee, s.role
    FROM (SELECT y.municipality, y.school_year, y.period, max(d.snapshot_date) AS snapshot_date
          FROM course_years y
          JOIN (SELECT DISTINCT municipality, snapshot_date FROM staff) d
            ON d.municipality = y.municipality AND d.snapshot_date <= y.last_day
          GROUP BY y.municipality, y.school_year, y.period) y
    JOIN staff s USING (municipality, snapshot_date)
),
pupils_in_year AS (
    SELECT y.municipality, y.period, p.pupil, p.grade
    FROM (SELECT y.municipality, y.period, max(d.snapshot_date) AS snapshot_date
          FROM plan_years y
          JOIN (SELECT DISTINCT municipality, snapshot_date FROM pupils) d
            ON d.municipality = y.municipality AND d.snapshot_date <= y.last_day
          GROUP BY y.municipality, y.period) y
    JOIN pupils p USING (municipality, snapshot_date)
),

figures AS (

-- pupil_devices_0_7: pupils in grades 0-7 on the roster at $at; numerator: those holding
-- an active municipality (kommune) pupil device. Grades 0-1 are a decided exception,
-- counted on rows of their own (excepted).
SELECT 'pupil_devices_0_7' AS indicator, p.municipality, NULL AS period,
       coalesce(p.grade IN (0, 1), false) AS excepted,
       count(h.holder) AS numerator, count(*) AS denominator
FROM pupils_at p
LEFT JOIN (SELECT DISTINCT municipality, holder FROM held_at
           WHERE ownership = 'kommune' AND holder_kind = 'elev') h
  ON h.municipality = p.municipality AND h.holder = p.pupil
WHERE p.grade BETWEEN 0 AND 7
GROUP BY ALL

UNION ALL
-- own_devices_8_10: pupils in grades 8-10 on the roster at $at; numerator: those holding
-- an active private (privat) device.
SELECT 'own_devices_8_10', p.municipality, NULL, false, count(h.holder), count(*)
FROM pupils_at p
LEFT JOIN (SELECT DISTINCT municipality, holder FROM held_at
           WHERE ownership = 'privat' AND holder_kind = 'elev') h
  ON h.municipality = p.municipality AND h.holder = p.pupil
WHERE p.grade BETWEEN 8 AND 10
GROUP BY ALL

UNION ALL
-- devices_to_collect (a count): active kommune pupil devices whose holder is on no pupil
-- roster of the municipality at $at.
SELECT 'devices_to_collect', d.municipality, NULL, false, 0, count(*)
FROM held_at d
WHERE d.ownership = 'kommune' AND d.holder_kind = 'elev'
  AND NOT EXISTS (SELECT 1 FROM pupils_at p
                  WHERE p.municipality = d.municipality AND p.pupil = d.holder)
GROUP BY ALL

UNION ALL
-- staff_devices: employees on the staff roster at $at; numerator: those holding an active
-- kommune staff (medarbejder) device.
SELECT 'staff_devices', s.municipality, NULL, false, count(h.holder), count(*)
FROM staff_at s
LEFT JOIN (SELECT DISTINCT municipality, holder FROM held_at
           WHERE ownership = 'kommune' AND holder_kind = 'medarbejder') h
  ON h.municipality = s.municipality AND h.holder = s.employee
GROUP BY ALL

UNION ALL
-- devices_due (a count): active kommune devices (any holder) bought before the day 4
-- years (replacement_years) before $at (29 February: the 28th).
SELECT 'devices_due', municipality, NULL, false, 0, count(*)
FROM held_at
WHERE ownership = 'kommune' AND purchased < ($at - INTERVAL 4 YEAR)::DATE
GROUP BY ALL

UNION ALL
-- digital_enrolment, per school year: enrolments for school start and DUS received by
-- $at, in the school year received; numerator: received digitally.
SELECT 'digital_enrolment', municipality, school_year_name(school_year), false,
       numerator, denominator
FROM (SELECT municipality, school_year_of(received) AS school_year,
             count(*) FILTER (WHERE channel = 'digital') AS numerator, count(*) AS denominator
      FROM enrolments
      WHERE kind IN ('skolestart', 'dus') AND received <= $at
      GROUP BY ALL)

UNION ALL
-- teachers_on_platform, per school year: teachers and pedagogues on the staff roster at
-- the school year's last day; numerator: those who created a course in that school year
-- (by $at).
SELECT 'teachers_on_platform', s.municipality, s.period, false, count(a.author), count(*)
FROM staff_in_year s
LEFT JOIN (SELECT DISTINCT municipality, school_year_of(created) AS school_year, author
           FROM courses WHERE created <= $at) a
  ON a.municipality = s.municipality AND a.school_year = s.school_year
 AND a.author = s.employee
WHERE s.role IN ('lærer', 'pædagog')
GROUP BY ALL

UNION ALL
-- digital_pupil_plans, per school year: pupils on the roster at the school year's last
-- day; numerator: those with a pupil plan (elevplan) on MinUddannelse for that school
-- year, published by its last day.
SELECT 'digital_pupil_plans', p.municipality, p.period, false, count(k.pupil), count(*)
FROM pupils_in_year p
LEFT JOIN (SELECT DISTINCT y.municipality, y.period, k.pupil
           FROM pupil_plans k
           JOIN plan_years y
             ON y.municipality = k.municipality AND y.period = k.school_year
            AND k.published <= y.last_day
           WHERE k.plan_kind = 'elevplan' AND k.platform = 'MinUddannelse') k
  ON k.municipality = p.municipality AND k.period = p.period AND k.pupil = p.pupil
GROUP BY ALL

UNION ALL
-- digital_individual_plans, per school year: individual teaching plans published by $at
-- for a school year up to $at's, counted in the school year they are for (of the
-- municipality's periods); numerator: on a digital platform (MinUddannelse or andet).
SELECT 'digital_individual_plans', k.municipality, k.school_year, false,
       count(*) FILTER (WHERE k.platform IN ('MinUddannelse', 'andet')), count(*)
FROM pupil_plans k
JOIN plan_years y ON y.municipality = k.municipality AND y.period = k.school_year
WHERE k.plan_kind = 'individuel_undervisningsplan' AND k.published <= $at
  AND k.school_year <= school_year_name(school_year_of($at))
GROUP BY ALL

UNION ALL
-- shared_courses (a count, in total): courses shared to the common library by $at.
SELECT 'shared_courses', municipality, NULL, false, 0, count(*)
FROM courses
WHERE shared <= $at
GROUP BY ALL

UNION ALL
-- course_copies (a count, in total): copies of courses made by $at.
SELECT 'course_copies', municipality, NULL, false, 0, count(*)
FROM course_copies
WHERE copied <= $at
GROUP BY ALL

UNION ALL
-- share_shared, per calendar year: courses created in the year (by $at); numerator:
-- those shared by 31 December of that year (by $at in the running year).
SELECT 'share_shared', municipality, year::VARCHAR, false, numerator, denominator
FROM (SELECT municipality, year(created) AS year,
             count(*) FILTER (WHERE shared <= least(make_date(year(created), 12, 31), $at))
                 AS numerator,
             count(*) AS denominator
      FROM courses
      WHERE created <= $at
      GROUP BY ALL)

UNION ALL
-- leaders_trained: schools (rows of the schools dataset); numerator: schools where an
-- employee of role leder completed a programme whose name contains "superbruger" by $at.
SELECT 'leaders_trained', s.municipality, NULL, false, count(t.school_id), count(*)
FROM schools s
LEFT JOIN (SELECT DISTINCT municipality, coalesce(school_id, '') AS school_id
           FROM trainings
           WHERE role = 'leder' AND contains(lower(programme), 'superbruger')
             AND completed <= $at) t
  ON t.municipality = s.municipality AND t.school_id = coalesce(s.school_id, '')
GROUP BY ALL

UNION ALL
-- lis_in_use: schools; numerator: schools with an account of role leader that signed in
-- (audit log: sign_in) within the 90 days up to $at.
SELECT 'lis_in_use', s.municipality, NULL, false, count(u.school_id), count(*)
FROM schools s
LEFT JOIN (SELECT DISTINCT u.municipality, coalesce(u.school_id, '') AS school_id
           FROM users u
           JOIN (SELECT DISTINCT municipality, "user" FROM audit_log
                 WHERE action = 'sign_in' AND time::DATE <= $at
                   AND time::DATE > ($at - INTERVAL 90 DAY)::DATE) a
             ON a.municipality = u.municipality AND a."user" = u.name
           WHERE u.role = 'leader') u
  ON u.municipality = s.municipality AND u.school_id = coalesce(s.school_id, '')
GROUP BY ALL

UNION ALL
-- digital_communication, per month: messages of the months up to $at's, weighted by their
-- count; numerator: sent through a digital channel.
SELECT 'digital_communication', municipality, strftime(month, '%Y-%m'), false,
       numerator, denominator
FROM (SELECT municipality, date_trunc('month', month) AS month,
             sum(count) FILTER (WHERE digital) AS numerator, sum(count) AS denominator
      FROM messages
      WHERE month <= $at
      GROUP BY ALL)

)
SELECT indicator, municipality, period, excepted, numerator, denominator
FROM figures
WHERE denominator > 0
