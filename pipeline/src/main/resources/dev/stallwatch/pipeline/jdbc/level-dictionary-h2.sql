-- The classroom family's level dictionary (CLASSROOM.md C2) on H2 in MODE=Oracle (dialect h2): the
-- key-value table that stands in for the article's HBase table; C6 reads its level by rowkey.
-- There is no Oracle script: LEVEL is a reserved word of Oracle (the CONNECT BY pseudo-column),
-- so a column named level cannot be written there without quoting every statement.
--
-- StallWatch runs it (JdbcKeyValueTable.createMissing) only when the table does not exist yet,
-- under the table name it is configured with. Keep to one CREATE TABLE statement, ending with a
-- semicolon.
--
-- The primary key is the row key: JdbcKeyValueTable writes MERGE ... WHEN MATCHED AND
-- t.update_time_ms <= s.update_time_ms THEN UPDATE ..., so a row replaces the stored one only when
-- its update_time is not older. Times are text yyyy-MM-dd HH:mm:ss.SSS in the configured zone
-- (default Asia/Shanghai), as in the other classroom tables; update_time_ms is update_time in epoch
-- milliseconds, the number the condition compares.
CREATE TABLE channel_name_dictionary (
  rowkey          VARCHAR2(32 CHAR)   NOT NULL, -- lowercase hex MD5 of id
  id              VARCHAR2(64 CHAR),
  chinese_name    VARCHAR2(255 CHAR),
  english_name    VARCHAR2(255 CHAR),
  level           VARCHAR2(32 CHAR),
  pid             VARCHAR2(64 CHAR),
  create_time     VARCHAR2(23 CHAR),
  update_time     VARCHAR2(23 CHAR)   NOT NULL,
  dept_id         VARCHAR2(64 CHAR),
  update_time_ms  NUMBER(19)          NOT NULL, -- update_time as epoch milliseconds: the version
  PRIMARY KEY (rowkey)
);
