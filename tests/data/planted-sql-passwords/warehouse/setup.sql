-- Every shape of a login password written in setup SQL.
CREATE ROLE dbt_prod LOGIN PASSWORD 'PLANTED-pg-role';
CREATE USER dbt_ci WITH ENCRYPTED PASSWORD 'PLANTED-pg-user';
ALTER USER reporter PASSWORD 'PLANTED-pg-alter';
CREATE OR REPLACE USER loader PASSWORD = 'PLANTED-sf-create' DEFAULT_ROLE = loader;
ALTER USER IF EXISTS dbt_dev SET PASSWORD = 'PLANTED-sf-alter';
CREATE USER analyst IDENTIFIED WITH sha256_password BY 'PLANTED-clickhouse';
CREATE LOGIN etl WITH PASSWORD = 'PLANTED-fabric';
