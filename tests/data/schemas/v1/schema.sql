CREATE SEQUENCE batch_ids INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START 14 NO CYCLE;;
CREATE TABLE courses(course_id VARCHAR, school_id VARCHAR, author UUID, created DATE, shared DATE, subject VARCHAR, grade INTEGER, _batch INTEGER NOT NULL);;
CREATE TABLE course_copies(copy_id VARCHAR, course_id VARCHAR, copied DATE, school_id VARCHAR, copier UUID, _batch INTEGER NOT NULL);;
CREATE TABLE devices(device_id VARCHAR, kind VARCHAR, model VARCHAR, ownership VARCHAR, holder UUID, holder_kind VARCHAR, school_id VARCHAR, purchased DATE, issued DATE, returned DATE, price_dkk DOUBLE, _batch INTEGER NOT NULL);;
CREATE TABLE enrolments(application_id VARCHAR, kind VARCHAR, channel VARCHAR, received DATE, school_id VARCHAR, _batch INTEGER NOT NULL);;
CREATE TABLE finances(school_id VARCHAR, "year" BIGINT, "month" BIGINT, account VARCHAR, budget_dkk DOUBLE, actual_dkk DOUBLE, _batch INTEGER NOT NULL);;
CREATE TABLE import_batches(batch_id INTEGER PRIMARY KEY, dataset VARCHAR NOT NULL, file_name VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, imported_at TIMESTAMP NOT NULL, user_name VARCHAR NOT NULL, rows_read BIGINT NOT NULL, inserted BIGINT NOT NULL, updated BIGINT NOT NULL, unchanged BIGINT NOT NULL, removed BIGINT NOT NULL, warnings BIGINT NOT NULL);;
CREATE TABLE messages("month" DATE, school_id VARCHAR, channel VARCHAR, audience VARCHAR, count BIGINT, digital BOOLEAN, _batch INTEGER NOT NULL);;
CREATE TABLE milestones(goal VARCHAR, milestone VARCHAR, due DATE, done DATE, note VARCHAR, _batch INTEGER NOT NULL);;
CREATE TABLE pupils(snapshot_date DATE, pupil UUID, school_id VARCHAR, grade INTEGER, class_name VARCHAR, dus BOOLEAN, _batch INTEGER NOT NULL);;
CREATE TABLE pupil_plans(pupil UUID, school_id VARCHAR, school_year VARCHAR, plan_kind VARCHAR, platform VARCHAR, published DATE, _batch INTEGER NOT NULL);;
CREATE TABLE results(school_id VARCHAR, school_year VARCHAR, grade INTEGER, measure VARCHAR, "value" DOUBLE, pupils BIGINT, _batch INTEGER NOT NULL);;
CREATE TABLE schools(school_id VARCHAR, "name" VARCHAR, kind VARCHAR, grade_from INTEGER, grade_to INTEGER, district VARCHAR, _batch INTEGER NOT NULL);;
CREATE TABLE staff(snapshot_date DATE, employee UUID, school_id VARCHAR, "role" VARCHAR, _batch INTEGER NOT NULL);;
CREATE TABLE store_meta("key" VARCHAR PRIMARY KEY, "value" VARCHAR);;
CREATE TABLE trainings(person UUID, school_id VARCHAR, "role" VARCHAR, programme VARCHAR, completed DATE, _batch INTEGER NOT NULL);;

