/*
 * A small program run under the faultbox shim by test/supervisor.test.ts. Each mode makes a few
 * syscalls and reports what it saw, one line each, through writev(2) on stdout: the tests trap
 * write(2) and friends, never writev, so the report itself is not faulted.
 *
 *   writes <path> <n>            n single-byte write(2)s to <path>
 *   opens <path>...              openat(2) each path (O_RDONLY)
 *   race <slow-path> <fast-path> <n>
 *                                thread A writes once to slow-path; thread B then writes n times
 *                                to fast-path; reports when each thread finished (ms)
 *   connect <family> <addr> [port]
 *                                family inet|inet6|unix: one connect(2)
 *   udp <ipv4> <port>            sendto(2) and sendmsg(2) of one datagram each to the address,
 *                                then connect(2) and a sendto(2) without an address
 *   sleep <ms>                   nanosleep (not trapped), then one write to /dev/null
 *   spin <path>                  write to <path> forever
 *   fork <path> <n>              fork; the child execs "writes <path> <n>"; the parent does the
 *                                same itself, then waits
 *   eventfd <path> <n>           n rounds of: one write(2) to an eventfd (an event loop's wake-up),
 *                                one read(2) of it back, one write(2) to <path>
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void report(const char *fmt, ...) {
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line - 1, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if (n > (int)sizeof line - 2) n = (int)sizeof line - 2;
  line[n++] = '\n';
  struct iovec iov = {.iov_base = line, .iov_len = (size_t)n};
  if (writev(1, &iov, 1) < 0) _exit(99);
}

static const char *outcome(long r) {
  static __thread char buf[64];
  if (r >= 0) return "ok";
  snprintf(buf, sizeof buf, "%s", strerrorname_np(errno) ? strerrorname_np(errno) : "E?");
  return buf;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int open_out(const char *path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) {
    report("open %s failed: %s", path, strerror(errno));
    exit(2);
  }
  return fd;
}

static void do_writes(const char *path, int n, const char *who) {
  int fd = open_out(path);
  for (int i = 1; i <= n; i++) report("%swrite %d %s", who, i, outcome(write(fd, "x", 1)));
  close(fd);
}

struct race {
  const char *slow, *fast;
  int n;
  double t0;
  volatile int slow_started;
};

static void *slow_thread(void *arg) {
  struct race *r = arg;
  int fd = open_out(r->slow);
  r->slow_started = 1;
  long w = write(fd, "s", 1);
  report("slow done %s at %.0f", outcome(w), now_ms() - r->t0);
  close(fd);
  return NULL;
}

static void *fast_thread(void *arg) {
  struct race *r = arg;
  while (!r->slow_started) usleep(1000);
  usleep(50 * 1000); /* let the slow write reach the supervisor first */
  int fd = open_out(r->fast);
  int ok = 0;
  for (int i = 0; i < r->n; i++) ok += write(fd, "f", 1) == 1;
  report("fast done %d/%d at %.0f", ok, r->n, now_ms() - r->t0);
  close(fd);
  return NULL;
}

static int do_connect(int argc, char **argv) {
  if (argc < 4) return 2;
  const char *family = argv[2];
  int fd;
  long r;
  if (!strcmp(family, "inet") || !strcmp(family, "inet6")) {
    int six = family[4] == '6';
    fd = socket(six ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
    if (six) {
      struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons((unsigned short)atoi(argv[4]))};
      inet_pton(AF_INET6, argv[3], &a.sin6_addr);
      r = connect(fd, (struct sockaddr *)&a, sizeof a);
    } else {
      struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[4]))};
      inet_pton(AF_INET, argv[3], &a.sin_addr);
      r = connect(fd, (struct sockaddr *)&a, sizeof a);
    }
  } else {
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof a.sun_path, "%s", argv[3]);
    r = connect(fd, (struct sockaddr *)&a, sizeof a);
  }
  report("connect %s %s", family, outcome(r));
  close(fd);
  return 0;
}

static int do_udp(const char *ip, int port) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
  inet_pton(AF_INET, ip, &a.sin_addr);
  report("sendto %s", outcome(sendto(fd, "d", 1, 0, (struct sockaddr *)&a, sizeof a)));
  struct iovec iov = {.iov_base = "m", .iov_len = 1};
  struct msghdr msg = {.msg_name = &a, .msg_namelen = sizeof a, .msg_iov = &iov, .msg_iovlen = 1};
  report("sendmsg %s", outcome(sendmsg(fd, &msg, 0)));
  connect(fd, (struct sockaddr *)&a, sizeof a);
  report("connected sendto %s", outcome(sendto(fd, "c", 1, 0, NULL, 0)));
  close(fd);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  const char *mode = argv[1];
  report("pid %d", getpid());
  if (!strcmp(mode, "writes") && argc == 4) {
    do_writes(argv[2], atoi(argv[3]), "");
  } else if (!strcmp(mode, "opens")) {
    for (int i = 2; i < argc; i++) {
      int fd = openat(AT_FDCWD, argv[i], O_RDONLY);
      report("open %s %s", argv[i], outcome(fd));
      if (fd >= 0) close(fd);
    }
  } else if (!strcmp(mode, "race") && argc == 5) {
    struct race r = {.slow = argv[2], .fast = argv[3], .n = atoi(argv[4]), .t0 = now_ms()};
    pthread_t a, b;
    pthread_create(&a, NULL, slow_thread, &r);
    pthread_create(&b, NULL, fast_thread, &r);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
  } else if (!strcmp(mode, "connect")) {
    return do_connect(argc, argv);
  } else if (!strcmp(mode, "udp") && argc == 4) {
    return do_udp(argv[2], atoi(argv[3]));
  } else if (!strcmp(mode, "sleep") && argc == 3) {
    struct timespec ts = {.tv_sec = atoi(argv[2]) / 1000, .tv_nsec = (atoi(argv[2]) % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    int fd = open("/dev/null", O_WRONLY);
    report("after sleep write %s", outcome(write(fd, "x", 1)));
  } else if (!strcmp(mode, "spin") && argc == 3) {
    int fd = open_out(argv[2]);
    for (;;) if (write(fd, "x", 1) < 0) lseek(fd, 0, SEEK_SET);
  } else if (!strcmp(mode, "eventfd") && argc == 4) {
    int efd = eventfd(0, EFD_NONBLOCK); /* a denied write must not leave the read blocking */
    int fd = open_out(argv[2]);
    uint64_t one = 1, got = 0;
    for (int i = 1; i <= atoi(argv[3]); i++) {
      report("eventfd write %d %s", i, outcome(write(efd, &one, sizeof one)));
      report("eventfd read %d %s", i, outcome(read(efd, &got, sizeof got)));
      report("file write %d %s", i, outcome(write(fd, "x", 1)));
    }
  } else if (!strcmp(mode, "fork") && argc == 4) {
    pid_t child = fork();
    if (child == 0) {
      char path[4096];
      snprintf(path, sizeof path, "%s.child", argv[2]);
      execl("/proc/self/exe", argv[0], "writes", path, argv[3], (char *)NULL);
      _exit(127);
    }
    do_writes(argv[2], atoi(argv[3]), "parent ");
    int status;
    waitpid(child, &status, 0);
    report("child exited %d", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  } else {
    report("unknown mode %s", mode);
    return 2;
  }
  return 0;
}
