/* Echo load generator for bench/echo.sh: C connections each send a MSG-byte message, wait for all of it to come back
 * (verifying every byte), and repeat, for SECONDS. Single thread, epoll. Prints messages/s and MB/s each way.
 * Usage: echo_load PORT CONNECTIONS MSG_BYTES SECONDS */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct c { int fd; int sent; int got; char *in; };
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

int main(int argc, char **argv) {
    if (argc < 5) { fprintf(stderr, "usage: echo_load PORT CONNS MSG SECONDS\n"); return 2; }
    int port = atoi(argv[1]), nc = atoi(argv[2]), msg = atoi(argv[3]); double secs = atof(argv[4]);
    char *out = malloc(msg); for (int i = 0; i < msg; i++) out[i] = (char) (i * 31 + 7);
    int ep = epoll_create1(0), one = 1; struct c *cs = calloc(nc, sizeof *cs);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    for (int i = 0; i < nc; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(fd, (struct sockaddr *) &a, sizeof a)) { perror("connect"); return 1; }
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); fcntl(fd, F_SETFL, O_NONBLOCK);
        cs[i].fd = fd; cs[i].in = malloc(msg);
        struct epoll_event e = { .events = EPOLLIN | EPOLLOUT, .data.u32 = i }; epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
    }
    long msgs = 0, bad = 0; double end = now() + secs; struct epoll_event evs[256];
    while (now() < end) {
        int n = epoll_wait(ep, evs, 256, 100);
        for (int k = 0; k < n; k++) {
            struct c *c = &cs[evs[k].data.u32];
            if ((evs[k].events & EPOLLOUT) && c->sent < msg) {
                ssize_t w = write(c->fd, out + c->sent, msg - c->sent);
                if (w > 0) c->sent += w;
                if (c->sent == msg) { struct epoll_event e = { .events = EPOLLIN, .data.u32 = evs[k].data.u32 }; epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e); }
            }
            if (evs[k].events & EPOLLIN) {
                ssize_t r = read(c->fd, c->in + c->got, msg - c->got);
                if (r == 0) { fprintf(stderr, "server closed a connection\n"); return 1; }
                if (r > 0) c->got += r;
                if (c->got == msg) {
                    if (memcmp(c->in, out, msg)) bad++;
                    msgs++; c->got = 0; c->sent = 0;
                    struct epoll_event e = { .events = EPOLLIN | EPOLLOUT, .data.u32 = evs[k].data.u32 }; epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e);
                }
            }
        }
    }
    printf("%.0f msgs/s %.1f MB/s each way, %ld corrupted\n", msgs / secs, msgs * (double) msg / secs / 1e6, bad);
    return bad ? 1 : 0;
}
