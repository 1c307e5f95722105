/*
 * Benchmark target: makes N identical syscalls and prints the mean ns per call.
 *   bench-target write <N>     write(2) of one byte to /dev/null
 *   bench-target getppid <N>   getppid(2)
 * The result goes out through writev(2), which the benchmark never traps.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc != 3) return 2;
  long n = atol(argv[2]);
  int use_write = !strcmp(argv[1], "write");
  int fd = open("/dev/null", O_WRONLY);
  long failed = 0;
  double t0 = now_ns();
  if (use_write) {
    for (long i = 0; i < n; i++) failed += write(fd, "x", 1) != 1;
  } else {
    for (long i = 0; i < n; i++) syscall(SYS_getppid);
  }
  double per = (now_ns() - t0) / (double)n;
  char line[128];
  int len = snprintf(line, sizeof line, "ns_per_call=%.1f failed=%ld\n", per, failed);
  struct iovec iov = {line, (size_t)len};
  return writev(1, &iov, 1) == len ? 0 : 1;
}
