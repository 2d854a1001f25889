-- The classroom family's tables (CLASSROOM.md C3, C4, C5) on Oracle (dialect oracle). H2 in
-- MODE=Oracle (dialect h2) runs this same file.
--
-- Run it as is with SQL*Plus or SQLcl, or let StallWatch run it (ClassroomTables): then each
-- CREATE TABLE below is run only when its table does not exist yet, under the table names
-- StallWatch is configured with instead of these defaults. Keep to CREATE TABLE statements, each
-- ending with a semicolon; no PL/SQL.
--
-- Each primary key is the table's upsert key (UpsertTable: MERGE on Oracle, MERGE ... KEY on H2).
-- Text columns count characters (CHAR). Times are text yyyy-MM-dd HH:mm:ss.SSS in the configured
-- zone (default Asia/Shanghai).

-- C3: signals per one-minute event-time window and (webserver_id, user_id, role, event).
CREATE TABLE timeline_signal_analysis (
  start_time     VARCHAR2(23 CHAR)  NOT NULL, -- the window's start
  end_time       VARCHAR2(23 CHAR)  NOT NULL, -- the window's end (exclusive)
  webserver_id   VARCHAR2(64 CHAR)  NOT NULL, -- the signal's roomId
  user_id        VARCHAR2(64 CHAR)  NOT NULL,
  role           VARCHAR2(16 CHAR)  NOT NULL,
  event          VARCHAR2(32 CHAR)  NOT NULL, -- SHAPE_MOVE, AUDIO_PLAY, ...
  event_count    NUMBER(19)   NOT NULL,
  create_time    VARCHAR2(23 CHAR),
  PRIMARY KEY (start_time, webserver_id, user_id, role, event)
);

-- C4: time from a user's first event in a classroom to each PPT_SUCCESS after it.
CREATE TABLE user_enter_classroom_take_time (
  user_id        VARCHAR2(64 CHAR)  NOT NULL,
  classroom_id   VARCHAR2(64 CHAR)  NOT NULL,
  user_type      VARCHAR2(32 CHAR),
  spend_time     NUMBER(19)   NOT NULL, -- milliseconds
  event_time     VARCHAR2(23 CHAR),           -- the earliest event's time
  success_time   VARCHAR2(23 CHAR)  NOT NULL, -- the PPT_SUCCESS event's data_time
  create_time    VARCHAR2(23 CHAR),
  PRIMARY KEY (user_id, classroom_id, success_time)
);

-- C5: audio loss and video frame rate per 30-second window and student stream.
CREATE TABLE user_av_record (
  start_time     VARCHAR2(23 CHAR)  NOT NULL,
  end_time       VARCHAR2(23 CHAR)  NOT NULL,
  user_id        VARCHAR2(64 CHAR)  NOT NULL,
  web_server_id  VARCHAR2(64 CHAR)  NOT NULL, -- the agora_channel_id
  classroom_id   VARCHAR2(64 CHAR)  NOT NULL,
  user_type      VARCHAR2(32 CHAR)  NOT NULL,
  extra_uid      VARCHAR2(64 CHAR)  NOT NULL, -- the audio or video state's uid
  event          VARCHAR2(32 CHAR)  NOT NULL, -- EVENT_AUDIO_STATE or EVENT_VIDEO_STATE
  event_sum      BINARY_DOUBLE,
  event_avg      BINARY_DOUBLE,
  event_count    NUMBER(19)   NOT NULL,
  create_time    VARCHAR2(23 CHAR),
  PRIMARY KEY (start_time, user_id, web_server_id, classroom_id, user_type, event, extra_uid)
);
