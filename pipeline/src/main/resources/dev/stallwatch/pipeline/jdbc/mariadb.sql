-- StallWatch's tables on MariaDB or MySQL (dialect mariadb).
--
-- Run it as is with the mariadb (or mysql) client, or let StallWatch run it (TableScripts): then
-- each CREATE TABLE below is run only when its table does not exist yet, under the table names
-- StallWatch is configured with instead of these defaults. Keep to CREATE TABLE statements, each
-- ending with a semicolon.
--
-- utf8mb4 (names are Chinese, some outside the BMP) with a binary collation, so keys compare
-- exactly, as on Oracle and PostgreSQL. The audit table's primary key is its upsert key (INSERT
-- ... ON DUPLICATE KEY UPDATE matches on any unique key: add no other). Empty values are NULL.

-- The audit table (SPEC §5): one row per alert sent, written idempotently (INSERT ... ON
-- DUPLICATE KEY UPDATE) by AuditTable.
CREATE TABLE E_EVENT_FLOW_STREAM (
  EVENT_ID           varchar(32)  NOT NULL, -- the route's event id, e.g. 019-1
  EVENT_NAME         varchar(200),
  FUND_ACC_NO        varchar(64),
  MOBILE             varchar(32)  NOT NULL,
  EVENT_DATE         varchar(8)   NOT NULL, -- occur date, yyyyMMdd
  EVENT_TIME         varchar(8),            -- occur time, HH:mm:ss
  ROUTE              varchar(32),
  USER_ID            varchar(64),
  CLIENT_NAME        varchar(100),
  REQUEST_NO         varchar(64),
  CHANNEL_CODE       varchar(32),
  CHANNEL_NAME       varchar(100),
  BRANCH_NO          varchar(32),
  BUSINESS_FLAG_LAST varchar(16),
  STEP_CODE          varchar(16),
  STEP_NAME          varchar(100),
  RULE_NAME          varchar(64),
  GAP_MINUTES        bigint,
  LAST_ACTIVITY      varchar(19),           -- the stalled event's time, yyyy-MM-dd HH:mm:ss
  PRIMARY KEY (EVENT_ID, MOBILE, EVENT_DATE)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Blacklisted customers: a stall matches by its event's non-empty id_no or by its mobile.
CREATE TABLE STALLWATCH_BLACKLIST (
  ID_NO              varchar(64),
  MOBILE_TEL         varchar(32)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Existing customers, by id_no: excluded on the same routes as the blacklist.
CREATE TABLE STALLWATCH_EXISTING_CUSTOMER (
  ID_NO              varchar(64)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The channel dimension: the display name of each channel code.
CREATE TABLE STALLWATCH_CHANNEL (
  CHANNEL_CODE       varchar(32)  NOT NULL,
  CHANNEL_NAME       varchar(100),
  PRIMARY KEY (CHANNEL_CODE)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
