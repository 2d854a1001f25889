-- The original design's jobs 1 to 3 (and 6, 7), as Flink SQL on Flink 1.19, STREAMING runtime mode.
-- Source: ../shared/seeds/000_9d4e7818e94e7557.txt, sections "1:sink_stream_crhkh_crh_wskh_mid",
-- "2:sink_stream_mot_e_event_flow_smot_cc_mid" and "3:和表2插入同一个表" (6 and 7 repeat 2 and 3
-- for the mot route; their first two steps are the same query, so they are written once here).
--
-- FlinkSqlPeer declares, before these statements run:
--   rt_crhkh_crh_wskh_userqueryextinfo  the dump (every column STRING, named by the CSV header) with
--                                       ts, the parsed last_update_datetime, as the event-time
--                                       attribute, time_ok when it parsed, and a watermark that
--                                       stays behind every row until the file ends (the dump is
--                                       in no order)
--   session_stalls                      the CSV files this job writes for the second job
--
-- Why streaming: Flink 1.19 has no session window in batch mode (neither GROUP BY SESSION nor the
-- SESSION table function), and the session windows are the heart of jobs 2 and 3.
--
-- Statements are separated by a semicolon at the end of a line.

-- Job 1, the WHERE of its inner query: `where request_status in ('0')`, rows still in progress.
-- Values are trimmed, as SPEC §1 reads them; a row whose time none of the dump's formats reads
-- (time_ok false) is left out (the original parsed one format only).
CREATE TEMPORARY VIEW in_progress AS
SELECT
  COALESCE(TRIM(client_name), '')        AS client_name,
  TRIM(mobile_tel)                       AS mobile_tel,
  COALESCE(TRIM(branch_no), '')          AS branch_no,
  COALESCE(TRIM(business_flag_last), '') AS business_flag_last,
  COALESCE(TRIM(channel_code), '')       AS channel_code,
  COALESCE(TRIM(user_id), '')            AS user_id,
  COALESCE(TRIM(id_no), '')              AS id_no,
  COALESCE(TRIM(request_no), '')         AS request_no,
  -- at one instant, the CDC feed commits the submission (22114) after the step it completes:
  -- used only to order rows of the same time below
  CASE WHEN TRIM(business_flag_last) = '22114' THEN 1 ELSE 0 END AS submitted,
  ts
FROM rt_crhkh_crh_wskh_userqueryextinfo
WHERE TRIM(request_status) = '0'
  AND time_ok
  AND TRIM(mobile_tel) <> '';

-- Job 1 (sink_stream_crhkh_crh_wskh_mid):
--   ROW_NUMBER() OVER (PARTITION BY mobile_tel, business_flag_last, channel_code,
--                      to_date(last_update_detetime) ORDER BY last_update_detetime) ... rn = 1
-- The first row of each (mobile, step code, channel, day). The day, to_date(...), is a one-day
-- tumbling window on the event time, so the ranking is a window deduplication: it emits each day's
-- first row once the day is over, and ts stays a time attribute for the session windows of jobs 2
-- and 3. Equal times are ordered by user_id, request_no (the original took whichever came first).
CREATE TEMPORARY VIEW stream_crhkh_crh_wskh_mid AS
SELECT client_name, mobile_tel, branch_no, business_flag_last, channel_code, user_id, id_no,
       request_no, submitted, ts
FROM (
  SELECT *,
    ROW_NUMBER() OVER (
      PARTITION BY window_start, window_end, mobile_tel, business_flag_last, channel_code
      ORDER BY ts ASC, user_id ASC, request_no ASC) AS rn
  FROM TABLE(TUMBLE(TABLE in_progress, DESCRIPTOR(ts), INTERVAL '1' DAY))
)
WHERE rn = 1;

-- Jobs 2 and 6, step 1 (a2_v, a2_mot_v):
--   SELECT mobile_tel, user_id, lastvalue(channel_code), lastvalue(client_name), ...
--   FROM source_stream_crhkh_crh_wskh_mid
--   GROUP BY SESSION(PROCTIME, INTERVAL '30' MINUTE), mobile_tel, user_id
-- A 30-minute session per applicant on the event time; every lastvalue(...) is a field of the
-- session's last row, so the session's last row is taken whole (a window Top-1: Flink 1.19's
-- LAST_VALUE cannot merge the accumulators of session windows). At one instant the last row is
-- the submission, then the highest step code, then the highest request_no. done_time, the
-- original's processing time when the session closed (udf_time_sys), is the session's end:
-- the last row's time plus the gap.
CREATE TEMPORARY VIEW a2_v AS
SELECT mobile_tel, user_id, channel_code, client_name, branch_no, business_flag_last, id_no,
       request_no, ts, window_end AS done_time
FROM (
  SELECT *,
    ROW_NUMBER() OVER (
      PARTITION BY window_start, window_end, mobile_tel, user_id
      ORDER BY ts DESC, submitted DESC, business_flag_last DESC, request_no DESC) AS rn
  FROM TABLE(SESSION(TABLE stream_crhkh_crh_wskh_mid PARTITION BY (mobile_tel, user_id),
                     DESCRIPTOR(ts), INTERVAL '30' MINUTES))
)
WHERE rn = 1;

-- Jobs 3 and 7, step 1 (a2, a2_mot): the same with an 8-minute session.
CREATE TEMPORARY VIEW a2 AS
SELECT mobile_tel, user_id, channel_code, client_name, branch_no, business_flag_last, id_no,
       request_no, ts, window_end AS done_time
FROM (
  SELECT *,
    ROW_NUMBER() OVER (
      PARTITION BY window_start, window_end, mobile_tel, user_id
      ORDER BY ts DESC, submitted DESC, business_flag_last DESC, request_no DESC) AS rn
  FROM TABLE(SESSION(TABLE stream_crhkh_crh_wskh_mid PARTITION BY (mobile_tel, user_id),
                     DESCRIPTOR(ts), INTERVAL '8' MINUTES))
)
WHERE rn = 1;

-- Step 2 of jobs 2/6 (c2_v) and 3/7 (c2): keep a session only when its last row's code is one
-- the job alerts on, and map the code to its step. The channel join of step 2 and the blacklist
-- join of step 3 are done by the second (batch) job: a regular join of a streaming job would emit
-- retractions, which a file cannot hold.
INSERT INTO session_stalls
-- jobs 2/6: `where a2_v.business_flag_last in ('22109', '22144', '22108', '22182', '22160')`
SELECT 'video' AS rule, 30 AS gap_minutes, mobile_tel, user_id, client_name, request_no,
       channel_code, branch_no, business_flag_last, '8' AS step_code, '视频见证' AS step_name,
       id_no, ts AS last_activity, done_time
FROM a2_v
WHERE business_flag_last IN ('22109', '22144', '22108', '22182', '22160')
UNION ALL
-- jobs 3/7: the other steps' codes, and the seed's CASE that maps them to steps
SELECT 'steps' AS rule, 8 AS gap_minutes, mobile_tel, user_id, client_name, request_no,
       channel_code, branch_no, business_flag_last,
       CASE
         WHEN business_flag_last IN ('12100', '22146', '22107', '22135') THEN '1'
         WHEN business_flag_last IN ('22145', '22111', '22224', '22241') THEN '2'
         WHEN business_flag_last IN ('22123', '22106') AND branch_no = '' THEN '2'
         WHEN business_flag_last IN ('22123', '22106') AND branch_no <> '' THEN '3'
         WHEN business_flag_last IN ('12104', '33500') THEN '4'
         WHEN business_flag_last IN ('22112') THEN '5'
         WHEN business_flag_last IN ('22113', '33232', '22110') THEN '6'
         WHEN business_flag_last IN ('22122', '22128', '22115') THEN '7'
       END AS step_code,
       CASE
         WHEN business_flag_last IN ('12100', '22146', '22107', '22135') THEN '上传身份证'
         WHEN business_flag_last IN ('22145', '22111', '22224', '22241') THEN '个人信息修改'
         WHEN business_flag_last IN ('22123', '22106') AND branch_no = '' THEN '个人信息修改'
         WHEN business_flag_last IN ('22123', '22106') AND branch_no <> '' THEN '选择市场'
         WHEN business_flag_last IN ('12104', '33500') THEN '设置密码'
         WHEN business_flag_last IN ('22112') THEN '三方存管'
         WHEN business_flag_last IN ('22113', '33232', '22110') THEN '风险评测'
         WHEN business_flag_last IN ('22122', '22128', '22115') THEN '问卷回访'
       END AS step_name,
       id_no, ts AS last_activity, done_time
FROM a2
WHERE business_flag_last IN (
  '12100', '22146', '22107', '22135',           -- 上传身份证
  '22145', '22123', '22106', '22111',           -- 个人信息修改
  '22106', '22123',                             -- 选择市场
  '12104', '33500', '22112', '22113', '33232',  -- 设置密码，三方存管，风险评测
  '22110', '22122', '22128', '22115',           -- 问卷回访
  '22224', '22241');
