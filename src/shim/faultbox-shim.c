/*
 * faultbox-shim: installs a seccomp user-notification filter on itself, hands the listener fd to
 * the faultbox host over a unix socket, waits for the host's ACK, then execs the target program.
 * The filter survives exec, so every trapped syscall of the target (and its children) reaches the
 * host's supervisor.
 *
 * Usage: faultbox-shim <socket-path> <syscall-nr,syscall-nr,...> -- <program> [args...]
 *
 * Handshake (one message each way, on a SOCK_STREAM unix socket):
 *   shim -> host   "F" + int32 pid, with the listener fd attached (SCM_RIGHTS)     on success
 *                  "E" + message text, no fd                                        on failure
 *   host -> shim   one byte, any value: the supervisor is watching, go ahead and exec
 * Any failure prints "faultbox-shim: <what failed>: <strerror>" and exits 127.
 *
 * Works unchanged as a container entrypoint: the socket path then lives in a bind-mounted dir and
 * the image's entrypoint + cmd follow the "--".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

#define EXIT_SHIM_FAILURE 127
#define MAX_TRAPPED 128
/* Syscalls the shim itself makes on its socket after the filter is in place. */
static const int HANDSHAKE_NRS[] = {
    __NR_sendmsg, __NR_sendto, __NR_write, __NR_read, __NR_recvmsg, __NR_recvfrom, __NR_close,
};
#define N_HANDSHAKE (sizeof(HANDSHAKE_NRS) / sizeof(HANDSHAKE_NRS[0]))

static int trapped[MAX_TRAPPED];
static int n_trapped;
static int sock_fd = -1;
static int filter_installed;
static int host_watching; /* the host ACKed: its supervisor answers our trapped calls */

static int is_trapped(int nr) {
  for (int i = 0; i < n_trapped; i++)
    if (trapped[i] == nr) return 1;
  return 0;
}

/*
 * Reports a failure and exits 127. Once the filter is installed, a write to stderr may itself be
 * trapped, and nobody may be answering the listener yet, so stderr is skipped in that case; the
 * message still reaches the host over the socket (whose calls the filter lets through).
 */
static void fail(const char *what, int err) {
  char msg[512];
  int n = err ? snprintf(msg, sizeof msg, "faultbox-shim: %s: %s\n", what, strerror(err))
              : snprintf(msg, sizeof msg, "faultbox-shim: %s\n", what);
  if (n < 0) n = 0;
  if ((size_t)n >= sizeof msg) n = sizeof msg - 1;
  if (!filter_installed || host_watching || !is_trapped(__NR_write)) {
    ssize_t ignored = write(2, msg, (size_t)n);
    (void)ignored;
  }
  if (sock_fd >= 0) {
    char frame[sizeof msg + 1];
    frame[0] = 'E';
    memcpy(frame + 1, msg, (size_t)n);
    /* Drop the trailing newline: the host formats the message itself. */
    size_t len = (size_t)n + 1;
    if (len > 1 && frame[len - 1] == '\n') len--;
    ssize_t ignored = send(sock_fd, frame, len, MSG_NOSIGNAL);
    (void)ignored;
  }
  _exit(EXIT_SHIM_FAILURE);
}

static void parse_syscall_list(const char *list) {
  const char *p = list;
  if (*p == '\0') return; /* an empty list: the filter traps nothing (still hands over a listener) */
  while (*p) {
    char *end;
    errno = 0;
    long nr = strtol(p, &end, 10);
    if (end == p || errno || nr < 0 || nr > 1023 || (*end != ',' && *end != '\0')) {
      char what[160];
      snprintf(what, sizeof what, "bad syscall number list \"%.100s\" (expected e.g. 1,257,42)", list);
      fail(what, 0);
    }
    if (n_trapped == MAX_TRAPPED) fail("too many syscall numbers (at most 128)", 0);
    if (!is_trapped((int)nr)) trapped[n_trapped++] = (int)nr;
    p = *end == ',' ? end + 1 : end;
  }
}

/* PATH lookup done before the filter, so "program not found" is reported while stderr is free. */
static const char *resolve_program(const char *prog, char *buf, size_t buflen) {
  if (strchr(prog, '/')) {
    if (access(prog, X_OK) != 0) {
      int e = errno;
      char what[PATH_MAX + 32];
      snprintf(what, sizeof what, "cannot execute %s", prog);
      fail(what, e);
    }
    return prog;
  }
  const char *path = getenv("PATH");
  if (!path || !*path) path = "/usr/local/bin:/usr/bin:/bin";
  const char *dir = path;
  while (1) {
    const char *colon = strchr(dir, ':');
    size_t dlen = colon ? (size_t)(colon - dir) : strlen(dir);
    int n = dlen ? snprintf(buf, buflen, "%.*s/%s", (int)dlen, dir, prog) : snprintf(buf, buflen, "./%s", prog);
    struct stat st;
    if (n > 0 && (size_t)n < buflen && stat(buf, &st) == 0 && S_ISREG(st.st_mode) && access(buf, X_OK) == 0)
      return buf;
    if (!colon) break;
    dir = colon + 1;
  }
  char what[PATH_MAX + 64];
  snprintf(what, sizeof what, "program %s not found in PATH", prog);
  fail(what, ENOENT);
  return NULL;
}

/*
 * Moves the socket to a high fd number. The fd whitelist in the filter outlives exec, so whatever
 * the target later opens under this number is exempt from the whitelisted calls: the number is
 * chosen as high as possible (up to 65535, raising the soft RLIMIT_NOFILE for the dup only, then
 * restoring it) so that only a target with tens of thousands of open fds could collide.
 */
static int park_high(int fd) {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return fd;
  rlim_t want = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > 65536 ? 65535 : rl.rlim_max - 1;
  struct rlimit raised = rl;
  if (rl.rlim_cur <= want) raised.rlim_cur = want + 1;
  for (rlim_t n = want; n > (rlim_t)fd && n > want - 64; n--) {
    if (fcntl((int)n, F_GETFD) != -1) continue; /* taken */
    if (raised.rlim_cur != rl.rlim_cur && setrlimit(RLIMIT_NOFILE, &raised) != 0) break;
    int high = dup3(fd, (int)n, O_CLOEXEC);
    if (raised.rlim_cur != rl.rlim_cur) setrlimit(RLIMIT_NOFILE, &rl);
    if (high >= 0) {
      close(fd);
      return high;
    }
    break;
  }
  return fd;
}

static int dial(const char *path) {
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (strlen(path) >= sizeof addr.sun_path) fail("socket path too long (max 107 bytes)", ENAMETOOLONG);
  strcpy(addr.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) fail("socket", errno);
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    int e = errno;
    char what[200];
    snprintf(what, sizeof what, "connect to %.150s", path);
    close(fd);
    fail(what, e);
  }
  return park_high(fd);
}

/* Jump offsets are computed by the caller before the macro advances len. */
#define EMIT(code_, k_) do { struct sock_filter i_ = BPF_STMT((code_), (k_)); prog[len] = i_; len++; } while (0)
#define EMIT_JUMP(code_, k_, jt_, jf_) do { struct sock_filter i_ = BPF_JUMP((code_), (k_), (jt_), (jf_)); prog[len] = i_; len++; } while (0)

/*
 * Program layout:
 *   arch check (wrong arch or x32 -> ALLOW)
 *   for each handshake nr that is trapped: jeq -> CHECK_FD
 *   for each trapped nr: jeq -> NOTIFY
 *   ALLOW
 *   CHECK_FD: arg0 (low and high word) == sock_fd -> ALLOW, else NOTIFY
 *   NOTIFY
 */
static int install_filter(void) {
  static struct sock_filter prog[16 + N_HANDSHAKE + MAX_TRAPPED];
  unsigned len = 0;
  int n_wl = 0;
  int wl[N_HANDSHAKE];
  for (size_t i = 0; i < N_HANDSHAKE; i++)
    if (is_trapped(HANDSHAKE_NRS[i])) wl[n_wl++] = HANDSHAKE_NRS[i];

  EMIT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
  EMIT_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
  EMIT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  EMIT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
  /* x32 calls carry bit 30 in nr; they are another ABI, treated like a wrong arch. */
  EMIT_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000U, 0, 1);
  EMIT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);

  /* Index of the labelled instructions once everything before them is emitted. */
  unsigned first_cmp = len;
  unsigned allow_at = first_cmp + (unsigned)n_wl + (unsigned)n_trapped;
  unsigned check_fd_at = allow_at + 1;
  unsigned notify_at = check_fd_at + 5;
  for (int i = 0; i < n_wl; i++) EMIT_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)wl[i], check_fd_at - len - 1, 0);
  for (int i = 0; i < n_trapped; i++) EMIT_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)trapped[i], notify_at - len - 1, 0);
  EMIT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  /* CHECK_FD (5 instructions) */
  EMIT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]));
  EMIT_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)sock_fd, 0, 3);
  EMIT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]) + 4);
  EMIT_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1);
  EMIT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  /* NOTIFY */
  EMIT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);

  struct sock_fprog fprog = {.len = (unsigned short)len, .filter = prog};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail("prctl(PR_SET_NO_NEW_PRIVS)", errno);
  unsigned long flags = SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
  long fd = syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);
  if (fd < 0 && errno == EINVAL) {
    /* Kernels before 5.19 lack WAIT_KILLABLE_RECV. */
    flags &= ~SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
    fd = syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);
  }
  if (fd < 0) fail("seccomp(SECCOMP_SET_MODE_FILTER, NEW_LISTENER)", errno);
  filter_installed = 1;
  return (int)fd;
}

static void hand_over(int listener) {
  char data[1 + sizeof(int32_t)];
  int32_t pid = (int32_t)getpid();
  data[0] = 'F';
  memcpy(data + 1, &pid, sizeof pid);
  struct iovec iov = {.iov_base = data, .iov_len = sizeof data};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } control;
  memset(&control, 0, sizeof control);
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf};
  struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
  cm->cmsg_level = SOL_SOCKET;
  cm->cmsg_type = SCM_RIGHTS;
  cm->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(cm), &listener, sizeof(int));
  if (sendmsg(sock_fd, &msg, MSG_NOSIGNAL) != (ssize_t)sizeof data) fail("send listener fd to host", errno);

  char ack;
  ssize_t n;
  do n = read(sock_fd, &ack, 1);
  while (n < 0 && errno == EINTR);
  if (n == 0) fail("host closed the socket before acknowledging", 0);
  if (n < 0) fail("read acknowledgement from host", errno);
  host_watching = 1;
}

int main(int argc, char **argv) {
  if (argc < 5 || strcmp(argv[3], "--") != 0) {
    fprintf(stderr, "usage: faultbox-shim <socket-path> <syscall-nr,...> -- <program> [args...]\n");
    return EXIT_SHIM_FAILURE;
  }
  /* Dial first (before the filter exists, so a rule on connect cannot trap our own dial): from
   * then on every failure also reaches the host. */
  sock_fd = dial(argv[1]);
  parse_syscall_list(argv[2]);
  char resolved[PATH_MAX];
  const char *program = resolve_program(argv[4], resolved, sizeof resolved);
  int listener = install_filter();
  /* The listener closes at exec (CLOEXEC) rather than with close(2), which may be trapped. */
  fcntl(listener, F_SETFD, FD_CLOEXEC);
  hand_over(listener);
  close(sock_fd); /* whitelisted in the filter */
  sock_fd = -1;

  execv(program, &argv[4]);
  /* The host is now supervising, so even a trapped write to stderr is answered. */
  int e = errno;
  char what[PATH_MAX + 16];
  snprintf(what, sizeof what, "exec %s", program);
  fail(what, e);
  return EXIT_SHIM_FAILURE;
}
