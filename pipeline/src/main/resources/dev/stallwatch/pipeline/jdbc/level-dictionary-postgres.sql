-- The classroom family's level dictionary (CLASSROOM.md C2) on PostgreSQL (dialect postgres): the
-- key-value table that stands in for the article's HBase table. C6 reads its level by rowkey.
--
-- Run it as is with psql, or let StallWatch run it (JdbcKeyValueTable.createMissing): then the
-- CREATE TABLE below is run only when the table does not exist yet, under the table name
-- StallWatch is configured with. Keep to one CREATE TABLE statement, ending with a semicolon.
--
-- The primary key is the row key: JdbcKeyValueTable writes INSERT ... ON CONFLICT (rowkey) DO
-- UPDATE ... WHERE t.update_time_ms <= EXCLUDED.update_time_ms, so a row replaces the stored one
-- only when its update_time is not older. Times are text yyyy-MM-dd HH:mm:ss.SSS in the configured
-- zone (default Asia/Shanghai), as in the other classroom tables; update_time_ms is update_time in
-- epoch milliseconds, the number the condition compares.
CREATE TABLE channel_name_dictionary (
  rowkey          varchar(32)   NOT NULL, -- lowercase hex MD5 of id
  id              varchar(64),
  chinese_name    varchar(255),
  english_name    varchar(255),
  level           varchar(32),
  pid             varchar(64),
  create_time     varchar(23),
  update_time     varchar(23)   NOT NULL,
  dept_id         varchar(64),
  update_time_ms  bigint        NOT NULL, -- update_time as epoch milliseconds: the version
  PRIMARY KEY (rowkey)
);
