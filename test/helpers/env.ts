// Tests run quietly and in the production time zone.
process.env.TZ = 'Asia/Shanghai';
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
