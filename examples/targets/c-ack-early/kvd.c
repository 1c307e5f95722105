/* kvd: a tiny single-threaded HTTP key-value server in C. PUT /kv/<key> stores the body in
 * <dir>/<key>.val, GET /kv/<key> serves it, GET /health answers ok. `kvd <port>`; data lives
 * under $FAULTBOX_SERVICE_DIR. One request per connection (Connection: close).
 *
 * PLANTED BUG (ack-early): a PUT is answered 200 before the value is persisted; when the file
 * write then fails, the half-written file is removed, and the acknowledged value is gone.
 * Its accept and read loops retry every error at once, without a limit: an accept or read
 * error that never clears makes it spin, and the request hangs.
 */
#define _GNU_SOURCE /* strcasestr */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_REQUEST 65536

static char data_dir[4096];

static int send_all(int fd, const char *buf, size_t len) {
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static void reply(int fd, int status, const char *reason, const char *body) {
    char head[256];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d %s\r\ncontent-type: application/json\r\ncontent-length: %zu\r\nconnection: close\r\n\r\n",
                     status, reason, strlen(body));
    if (send_all(fd, head, (size_t)n) == 0) send_all(fd, body, strlen(body));
}

/* Reads one request (head and content-length body) into buf; returns its length, -1 on EOF. */
static ssize_t read_request(int fd, char *buf, size_t cap, char **body) {
    size_t have = 0;
    for (;;) {
        ssize_t n = read(fd, buf + have, cap - 1 - have);
        if (n < 0) continue; /* "a transient error": retried at once, for ever */
        if (n == 0) return -1;
        have += (size_t)n;
        buf[have] = '\0';
        char *end = strstr(buf, "\r\n\r\n");
        if (end == NULL) {
            if (have >= cap - 1) return -1;
            continue;
        }
        *body = end + 4;
        const char *cl = strcasestr(buf, "content-length:");
        size_t want = cl != NULL && cl < end ? (size_t)strtoul(cl + 15, NULL, 10) : 0;
        if ((size_t)(buf + have - *body) >= want || have >= cap - 1) {
            (*body)[want < (size_t)(buf + have - *body) ? want : (size_t)(buf + have - *body)] = '\0';
            return (ssize_t)have;
        }
    }
}

static int valid_key(const char *key) {
    if (*key == '\0' || strlen(key) > 64) return 0;
    for (const char *p = key; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_')) return 0;
    return 1;
}

static void put(int fd, const char *key, const char *value) {
    char path[4200];
    snprintf(path, sizeof path, "%s/%s.val", data_dir, key);
    reply(fd, 200, "OK", "{\"stored\":true}"); /* answer first: "the disk is fast" */
    int out = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (out < 0) return;
    if (send_all(out, value, strlen(value)) != 0) {
        fprintf(stderr, "kvd: write %s: %s\n", path, strerror(errno));
        close(out);
        unlink(path); /* never serve a torn value */
        return;
    }
    close(out);
}

static void get(int fd, const char *key) {
    char path[4200], value[MAX_REQUEST], body[MAX_REQUEST + 64];
    snprintf(path, sizeof path, "%s/%s.val", data_dir, key);
    int in = open(path, O_RDONLY);
    if (in < 0) {
        if (errno == ENOENT) reply(fd, 404, "Not Found", "{\"error\":\"no such key\"}");
        else reply(fd, 500, "Internal Server Error", "{\"error\":\"open failed\"}");
        return;
    }
    ssize_t n = read(in, value, sizeof value - 1);
    close(in);
    if (n < 0) {
        reply(fd, 500, "Internal Server Error", "{\"error\":\"read failed\"}");
        return;
    }
    value[n] = '\0';
    snprintf(body, sizeof body, "{\"value\":\"%s\"}", value);
    reply(fd, 200, "OK", body);
}

static void serve(int fd) {
    static char buf[MAX_REQUEST];
    char *body = NULL;
    if (read_request(fd, buf, sizeof buf, &body) < 0) return;
    char method[8] = "", target[256] = "";
    if (sscanf(buf, "%7s %255s", method, target) != 2) return;
    const char *key = strncmp(target, "/kv/", 4) == 0 ? target + 4 : NULL;
    if (strcmp(method, "GET") == 0 && strcmp(target, "/health") == 0) reply(fd, 200, "OK", "{\"ok\":true}");
    else if (key != NULL && valid_key(key) && strcmp(method, "PUT") == 0) put(fd, key, body);
    else if (key != NULL && valid_key(key) && strcmp(method, "GET") == 0) get(fd, key);
    else reply(fd, 404, "Not Found", "{\"error\":\"not found\"}");
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: kvd <port>\n");
        return 2;
    }
    const char *dir = getenv("FAULTBOX_SERVICE_DIR");
    snprintf(data_dir, sizeof data_dir, "%s", dir != NULL ? dir : ".");
    int ln = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(ln, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1])), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(ln, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(ln, 64) < 0) {
        perror("kvd: listen");
        return 1;
    }
    for (;;) {
        int fd = accept(ln, NULL, NULL);
        if (fd < 0) continue; /* "the next accept will work" */
        serve(fd);
        close(fd);
    }
}
