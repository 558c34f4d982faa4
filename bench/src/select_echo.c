/* The reference peer for bench/echo.sh: a classic single-threaded select() echo server (lisod checkpoint 1 style).
 * Usage: select_echo PORT   (binds 127.0.0.1) */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF 16384
struct conn { int fd; int len; int off; char buf[BUF]; };
static struct conn *conns[FD_SETSIZE];

int main(int argc, char **argv) {
    int port = argc > 1 ? atoi(argv[1]) : 9100;
    int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (bind(ls, (struct sockaddr *) &a, sizeof a) || listen(ls, 1024)) { perror("bind"); return 69; }
    fcntl(ls, F_SETFL, O_NONBLOCK);
    for (;;) {
        fd_set r, w; FD_ZERO(&r); FD_ZERO(&w); FD_SET(ls, &r); int max = ls;
        for (int i = 0; i < FD_SETSIZE; i++) if (conns[i]) {
            if (conns[i]->len > conns[i]->off) FD_SET(i, &w); else FD_SET(i, &r);
            if (i > max) max = i;
        }
        if (select(max + 1, &r, &w, NULL, NULL) < 0) { if (errno == EINTR) continue; perror("select"); return 1; }
        if (FD_ISSET(ls, &r)) {
            int c;
            while ((c = accept(ls, NULL, NULL)) >= 0) {
                if (c >= FD_SETSIZE) { close(c); continue; }
                fcntl(c, F_SETFL, O_NONBLOCK); setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                conns[c] = calloc(1, sizeof(struct conn)); conns[c]->fd = c;
            }
        }
        for (int i = 0; i <= max; i++) {
            struct conn *k = conns[i]; if (!k) continue;
            if (FD_ISSET(i, &r)) {
                ssize_t n = read(i, k->buf, BUF);
                if (n <= 0) { if (n < 0 && errno == EAGAIN) continue; close(i); free(k); conns[i] = NULL; continue; }
                k->len = n; k->off = 0;
            }
            if (k->len > k->off) {
                ssize_t n = write(i, k->buf + k->off, k->len - k->off);
                if (n < 0 && errno != EAGAIN) { close(i); free(k); conns[i] = NULL; continue; }
                if (n > 0) k->off += n;
                if (k->off == k->len) k->len = k->off = 0;
            }
        }
    }
}
