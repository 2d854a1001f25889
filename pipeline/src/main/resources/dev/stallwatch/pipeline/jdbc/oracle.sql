-- StallWatch's tables on Oracle. H2 in MODE=Oracle (dialect h2) runs this same file.
--
-- Run it as is with SQL*Plus or SQLcl, or let StallWatch run it (TableScripts): then each
-- CREATE TABLE below is run only when its table does not exist yet, under the table names
-- StallWatch is configured with instead of these defaults. Keep to CREATE TABLE statements,
-- each ending with a semicolon; no PL/SQL.
--
-- Text columns count characters (CHAR), not bytes: names are Chinese. Empty values are NULL.

-- The audit table (SPEC §5): one row per alert sent, written idempotently (MERGE) by AuditTable.
CREATE TABLE E_EVENT_FLOW_STREAM (
  EVENT_ID           VARCHAR2(32 CHAR)  NOT NULL, -- the route's event id, e.g. 019-1
  EVENT_NAME         VARCHAR2(200 CHAR),
  FUND_ACC_NO        VARCHAR2(64 CHAR),
  MOBILE             VARCHAR2(32 CHAR)  NOT NULL,
  EVENT_DATE         VARCHAR2(8 CHAR)   NOT NULL, -- occur date, yyyyMMdd
  EVENT_TIME         VARCHAR2(8 CHAR),            -- occur time, HH:mm:ss
  ROUTE              VARCHAR2(32 CHAR),
  USER_ID            VARCHAR2(64 CHAR),
  CLIENT_NAME        VARCHAR2(100 CHAR),
  REQUEST_NO         VARCHAR2(64 CHAR),
  CHANNEL_CODE       VARCHAR2(32 CHAR),
  CHANNEL_NAME       VARCHAR2(100 CHAR),
  BRANCH_NO          VARCHAR2(32 CHAR),
  BUSINESS_FLAG_LAST VARCHAR2(16 CHAR),
  STEP_CODE          VARCHAR2(16 CHAR),
  STEP_NAME          VARCHAR2(100 CHAR),
  RULE_NAME          VARCHAR2(64 CHAR),
  GAP_MINUTES        NUMBER(10),
  LAST_ACTIVITY      VARCHAR2(19 CHAR),           -- the stalled event's time, yyyy-MM-dd HH:mm:ss
  PRIMARY KEY (EVENT_ID, MOBILE, EVENT_DATE)
);

-- Blacklisted customers: a stall matches by its event's non-empty id_no or by its mobile.
CREATE TABLE STALLWATCH_BLACKLIST (
  ID_NO              VARCHAR2(64 CHAR),
  MOBILE_TEL         VARCHAR2(32 CHAR)
);

-- Existing customers, by id_no: excluded on the same routes as the blacklist.
CREATE TABLE STALLWATCH_EXISTING_CUSTOMER (
  ID_NO              VARCHAR2(64 CHAR)  NOT NULL
);

-- The channel dimension: the display name of each channel code.
CREATE TABLE STALLWATCH_CHANNEL (
  CHANNEL_CODE       VARCHAR2(32 CHAR)  NOT NULL,
  CHANNEL_NAME       VARCHAR2(100 CHAR),
  PRIMARY KEY (CHANNEL_CODE)
);
