/**
 * libuv's thread pool runs every SQLite statement, scrypt and file work. Its default of 4 is
 * too few here: a write waiting for SQLite's lock (an import's one transaction) sleeps on a
 * pool thread, and a few of them would leave no thread for the reads that answer users.
 * Set before anything uses the pool: this module is the entry points' first import.
 */
process.env.UV_THREADPOOL_SIZE ??= '16';
