-- The original design's jobs 2/3 step 3, 6/7 step 3, 4 and 8, as Flink SQL on Flink 1.19, BATCH
-- runtime mode, over what the first job (peer-1-sessions.sql) wrote.
--
-- FlinkSqlPeer declares, before these statements run:
--   session_stalls         the first job's output: one row per session whose last row's code the
--                          job alerts on (rule 'video' = jobs 2/6, 'steps' = jobs 3/7)
--   dim_blacklist_file     the blacklist CSV (columns named by its header, header row included)
--   dim_channel_file       the channel dimension CSV (the same)
--   alerts                 the CSV files this job writes: one alert a row
--
-- Why batch: step 3's ROW_NUMBER over (mobile_tel, channel_code) is not windowed; on a stream it
-- would retract rows, which a file cannot hold. On the finished first job's output it is a
-- plain ranking.
--
-- Statements are separated by a semicolon at the end of a line.

-- dim_blacklist and dim_crhkh_crh_channeldefine, less their CSV header rows.
CREATE TEMPORARY VIEW dim_blacklist AS
SELECT TRIM(id_no) AS id_no
FROM dim_blacklist_file
WHERE LOWER(TRIM(id_no)) <> 'id_no';

CREATE TEMPORARY VIEW dim_crhkh_crh_channeldefine AS
SELECT TRIM(channel_code) AS channel_code, TRIM(channel_name) AS channel_name
FROM dim_channel_file
WHERE LOWER(TRIM(channel_code)) <> 'channel_code';

-- Step 2 of jobs 2/3/6/7, the rest: `left join dim_crhkh_crh_channeldefine dim_channel on
-- a2_v.channel_code = dim_channel.channel_code` for the channel's name.
CREATE TEMPORARY VIEW c2 AS
SELECT s.*, COALESCE(ch.channel_name, '') AS channel_name,
       DATE_FORMAT(s.done_time, 'yyyyMMdd') AS occur_date,
       DATE_FORMAT(s.done_time, 'HH:mm:ss') AS occur_time
FROM session_stalls AS s
LEFT JOIN dim_crhkh_crh_channeldefine AS ch ON s.channel_code = ch.channel_code;

-- Jobs 2 and 3, step 3 (c3_v, c3), route cc:
--   left join dim_blacklist on id_no ... where (c2_v.id_no is null or trim(c2_v.id_no) = '')
--   ROW_NUMBER() OVER (PARTITION BY mobile_tel, channel_code ORDER BY done_time_d) ... rn = 1
-- A stall whose id_no the blacklist lists is left out; of the rest, each job (rule) keeps the
-- first stall of each (mobile, channel) in the whole input. Equal done times are ordered by
-- user_id, request_no.
CREATE TEMPORARY VIEW c3_cc AS
SELECT * FROM (
  SELECT c2.*,
    ROW_NUMBER() OVER (
      PARTITION BY c2.rule, c2.mobile_tel, c2.channel_code
      ORDER BY c2.done_time ASC, c2.user_id ASC, c2.request_no ASC) AS rn
  FROM c2
  LEFT JOIN dim_blacklist AS b ON c2.id_no = b.id_no
  WHERE b.id_no IS NULL OR TRIM(b.id_no) = ''
)
WHERE rn = 1;

-- Jobs 6 and 7, step 3 (c3_mot_v, c3_mot), route mot: the same without the blacklist.
CREATE TEMPORARY VIEW c3_mot AS
SELECT * FROM (
  SELECT c2.*,
    ROW_NUMBER() OVER (
      PARTITION BY c2.rule, c2.mobile_tel, c2.channel_code
      ORDER BY c2.done_time ASC, c2.user_id ASC, c2.request_no ASC) AS rn
  FROM c2
)
WHERE rn = 1;

-- What jobs 2/3 write to stream_mot_stream_account_break_ths_cc_mid and jobs 6/7 to
-- stream_mot_stream_account_break_ths_mot_mid. Event ids are the seed's; event names are SPEC §5's
-- (job 3 of the seed sends the 30-minute video name for its 8-minute stalls, a copy slip).
CREATE TEMPORARY VIEW break_mid AS
SELECT 'cc' AS route, '019-1' AS event_id,
       CASE rule WHEN 'video' THEN '开户流程中断30min转化-cc（视频见证）'
                 ELSE '开户流程中断8min转化-cc（非视频见证）' END AS event_name,
       mobile_tel AS mobile, user_id, client_name, request_no, channel_code, channel_name,
       branch_no, business_flag_last, step_code, step_name, rule, gap_minutes,
       DATE_FORMAT(last_activity, 'yyyy-MM-dd HH:mm:ss') AS last_activity,
       occur_date, occur_time
FROM c3_cc
UNION ALL
SELECT 'mot' AS route, '019-2' AS event_id,
       CASE rule WHEN 'video' THEN '开户流程中断30min转化-mot（视频见证）'
                 ELSE '开户流程中断8min转化-mot（非视频见证）' END AS event_name,
       mobile_tel AS mobile, user_id, client_name, request_no, channel_code, channel_name,
       branch_no, business_flag_last, step_code, step_name, rule, gap_minutes,
       DATE_FORMAT(last_activity, 'yyyy-MM-dd HH:mm:ss') AS last_activity,
       occur_date, occur_time
FROM c3_mot;

-- Jobs 4 (sink_stream_mot_e_event_flow_smot_cc) and 8 (sink_stream_mot_e_event_flow_smot):
--   ROW_NUMBER() OVER (PARTITION BY mobile, occur_date ORDER BY occur_time) ... rn = 1
-- One alert per route, mobile and occur date: the earliest. Their first step (GROUP BY mobile,
-- occur_date with lastvalue(...)) is left out: the seed's notes find it redundant, as the ranking
-- decides which row goes out. Equal occur times are ordered by user_id, request_no, rule.
INSERT INTO alerts
SELECT route, event_id, event_name, mobile, user_id, client_name, request_no, channel_code,
       channel_name, branch_no, business_flag_last, step_code, step_name, rule, gap_minutes,
       last_activity, occur_date, occur_time
FROM (
  SELECT *,
    ROW_NUMBER() OVER (
      PARTITION BY route, mobile, occur_date
      ORDER BY occur_time ASC, user_id ASC, request_no ASC, rule ASC) AS rn
  FROM break_mid
)
WHERE rn = 1;
