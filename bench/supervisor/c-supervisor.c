/*
 * Reference supervisor in C, the practical floor for a seccomp user-notification round trip.
 * Plays the host side of the faultbox shim handshake, then answers every notification from one
 * blocking NOTIF_RECV loop (sync wake-up flag set).
 *
 *   c-supervisor <shim> <continue|deny|poll-continue> <syscall-nr> -- <program> [args...]
 *
 * deny answers -EIO; poll-continue calls poll() before each RECV (what a loop that must stay
 * interruptible pays). Exits with the target's exit status.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#define SYNC_WAKE_UP 1UL

static void die(const char *what) {
  fprintf(stderr, "c-supervisor: %s: %s\n", what, strerror(errno));
  exit(125);
}

int main(int argc, char **argv) {
  if (argc < 6 || strcmp(argv[4], "--")) {
    fprintf(stderr, "usage: c-supervisor <shim> <continue|deny|poll-continue> <nr> -- <program> [args...]\n");
    return 2;
  }
  const char *mode = argv[2];
  int deny = !strcmp(mode, "deny");
  int use_poll = !strcmp(mode, "poll-continue");
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  snprintf(addr.sun_path, sizeof addr.sun_path, "/tmp/faultbox-bench-%d.sock", getpid());
  unlink(addr.sun_path);
  int srv = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (srv < 0 || bind(srv, (struct sockaddr *)&addr, sizeof addr) || listen(srv, 1)) die("listen");

  pid_t child = fork();
  if (child == 0) {
    char **av = calloc((size_t)argc + 2, sizeof *av);
    int k = 0;
    av[k++] = argv[1];
    av[k++] = addr.sun_path;
    av[k++] = argv[3];
    for (int i = 4; i < argc; i++) av[k++] = argv[i];
    execv(argv[1], av);
    _exit(127);
  }
  int conn = accept4(srv, NULL, NULL, SOCK_CLOEXEC);
  if (conn < 0) die("accept");
  char data[16];
  union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } ctl;
  struct iovec iov = {data, sizeof data};
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf};
  if (recvmsg(conn, &msg, MSG_CMSG_CLOEXEC) <= 0 || data[0] != 'F') die("handshake");
  int fd;
  memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof fd);
  if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SYNC_WAKE_UP) != 0) die("NOTIF_SET_FLAGS");
  if (write(conn, "k", 1) != 1) die("ack");
  close(conn);
  close(srv);
  unlink(addr.sun_path);

  struct seccomp_notif req;
  struct seccomp_notif_resp resp;
  struct pollfd pfd = {.fd = fd, .events = POLLIN};
  for (;;) {
    if (use_poll) {
      if (poll(&pfd, 1, -1) < 0) { if (errno == EINTR) continue; die("poll"); }
      if (pfd.revents & POLLHUP) break;
    }
    memset(&req, 0, sizeof req);
    if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) != 0) {
      if (errno == EINTR) continue;
      if (errno == ENOENT) { /* target gone (or the call vanished) */
        int status;
        if (waitpid(child, &status, WNOHANG) == child) return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
        continue;
      }
      die("NOTIF_RECV");
    }
    memset(&resp, 0, sizeof resp);
    resp.id = req.id;
    if (deny) resp.error = -EIO;
    else resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
    ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
  }
  int status;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
