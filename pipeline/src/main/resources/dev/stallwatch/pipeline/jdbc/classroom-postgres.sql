-- The classroom family's tables (CLASSROOM.md C3, C4, C5) on PostgreSQL (dialect postgres).
--
-- Run it as is with psql, or let StallWatch run it (ClassroomTables): then each CREATE TABLE below
-- is run only when its table does not exist yet, under the table names StallWatch is configured
-- with instead of these defaults. Keep to CREATE TABLE statements, each ending with a semicolon.
--
-- Each primary key is the table's upsert key (UpsertTable: INSERT ... ON CONFLICT (key) DO
-- UPDATE). Times are text yyyy-MM-dd HH:mm:ss.SSS in the configured zone (default Asia/Shanghai).

-- C3: signals per one-minute event-time window and (webserver_id, user_id, role, event).
CREATE TABLE timeline_signal_analysis (
  start_time     varchar(23)  NOT NULL, -- the window's start
  end_time       varchar(23)  NOT NULL, -- the window's end (exclusive)
  webserver_id   varchar(64)  NOT NULL, -- the signal's roomId
  user_id        varchar(64)  NOT NULL,
  role           varchar(16)  NOT NULL,
  event          varchar(32)  NOT NULL, -- SHAPE_MOVE, AUDIO_PLAY, ...
  event_count    bigint       NOT NULL,
  create_time    varchar(23),
  PRIMARY KEY (start_time, webserver_id, user_id, role, event)
);

-- C4: time from a user's first event in a classroom to each PPT_SUCCESS after it.
CREATE TABLE user_enter_classroom_take_time (
  user_id        varchar(64)  NOT NULL,
  classroom_id   varchar(64)  NOT NULL,
  user_type      varchar(32),
  spend_time     bigint       NOT NULL, -- milliseconds
  event_time     varchar(23),           -- the earliest event's time
  success_time   varchar(23)  NOT NULL, -- the PPT_SUCCESS event's data_time
  create_time    varchar(23),
  PRIMARY KEY (user_id, classroom_id, success_time)
);

-- C5: audio loss and video frame rate per 30-second window and student stream.
CREATE TABLE user_av_record (
  start_time     varchar(23)  NOT NULL,
  end_time       varchar(23)  NOT NULL,
  user_id        varchar(64)  NOT NULL,
  web_server_id  varchar(64)  NOT NULL, -- the agora_channel_id
  classroom_id   varchar(64)  NOT NULL,
  user_type      varchar(32)  NOT NULL,
  extra_uid      varchar(64)  NOT NULL, -- the audio or video state's uid
  event          varchar(32)  NOT NULL, -- EVENT_AUDIO_STATE or EVENT_VIDEO_STATE
  event_sum      double precision,
  event_avg      double precision,
  event_count    bigint       NOT NULL,
  create_time    varchar(23),
  PRIMARY KEY (start_time, user_id, web_server_id, classroom_id, user_type, event, extra_uid)
);
