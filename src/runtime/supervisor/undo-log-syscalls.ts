// The syscalls the undo log (crash(lose_unsynced=True)) must see beyond the rule keywords'
// families: sync/syncfs make everything durable, io_uring_setup is refused (ENOSYS) so programs
// fall back to plain syscalls the log can see, mmap is watched for shared writable file mappings.
export const NR_MMAP = 9;
export const NR_SYNC = 162;
export const NR_SYNCFS = 306;
export const NR_IO_URING_SETUP = 425;

/** Trapped in addition to the rule syscalls whenever a service keeps an undo log. */
export const UNDO_LOG_EXTRA_NRS: readonly number[] = [NR_MMAP, NR_SYNC, NR_SYNCFS, NR_IO_URING_SETUP];
