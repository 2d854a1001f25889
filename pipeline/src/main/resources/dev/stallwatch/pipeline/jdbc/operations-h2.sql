-- The classroom family's count tables (CLASSROOM.md C6, C7) on H2 (dialect h2; there is no Oracle script: LEVEL is a reserved word of Oracle).
-- C2's dictionary has a script of its own (level-dictionary-h2.sql).
--
-- Let StallWatch run it (OperationsTables):
-- then each CREATE TABLE below is run only when its table does not exist yet, under the table
-- names StallWatch is configured with. Keep to CREATE TABLE statements, each ending with a semicolon.
--
-- Each primary key is the table's upsert key (MERGE ... WHEN MATCHED AND, conditional on
-- revision: a count replaces the stored one only when its revision is not older); add no other
-- unique key. Times are text yyyy-MM-dd HH:mm:ss.SSS in the configured zone.

-- C6, when no search index is given: the documents of vk_app_es_sign_csh as rows.
CREATE TABLE vk_app_es_sign_csh (
  uk        varchar(48)  NOT NULL, -- yyyyMMddHH_LEVEL, the document id
  reg_date  bigint       NOT NULL, -- the registration hour yyyyMMddHH as a number
  level     varchar(8)   NOT NULL, -- A, B, C, D or other
  leads     bigint       NOT NULL, -- counted students; goes down as well as up
  revision  bigint       NOT NULL, -- the count's number among its document's changes
  PRIMARY KEY (uk)
);

-- C7: confirmed orders per course consultant and local day.
CREATE TABLE staff_index (
  cc_id             varchar(64)  NOT NULL,
  cc_index          bigint       NOT NULL, -- confirmed orders; goes down when one is cancelled
  type              int          NOT NULL, -- 1
  attribution_time  varchar(10)  NOT NULL, -- yyyy-MM-dd of confirm_date_time
  update_time       varchar(23),           -- event time of the change that set cc_index
  revision          bigint       NOT NULL,
  PRIMARY KEY (cc_id, type, attribution_time)
);
