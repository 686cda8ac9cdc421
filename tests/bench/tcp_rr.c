// SPDX-License-Identifier: GPL-2.0
/*
 * TCP request/response: one byte each way, back to back, for a while.
 *
 *   tcp_rr server PORT
 *   tcp_rr client ADDR PORT SECONDS [TRANSACTIONS]
 *
 * The client stops after SECONDS or, if given, after exactly TRANSACTIONS
 * transactions (the benchmark's count runs), whichever comes first, and
 * prints "transactions N rate R p50_us X p99_us Y".
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SAMPLES (1 << 22)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void nodelay(int fd)
{
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static int server(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0), c;
	char b;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 1)) {
		perror("bind/listen");
		return 1;
	}
	c = accept(fd, NULL, NULL);
	if (c < 0) {
		perror("accept");
		return 1;
	}
	nodelay(c);
	while (recv(c, &b, 1, 0) == 1)
		if (send(c, &b, 1, 0) != 1)
			break;
	return 0;
}

static int client(const char *addr, int port, double seconds, long limit)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	double *rtt = malloc(MAX_SAMPLES * sizeof(*rtt)), start, end, t;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	long n = 0;
	char b = 'x';

	if (limit <= 0 || limit > MAX_SAMPLES)
		limit = MAX_SAMPLES;

	if (!rtt || inet_pton(AF_INET, addr, &sa.sin_addr) != 1 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("connect");
		return 1;
	}
	nodelay(fd);
	start = now();
	end = start + seconds;
	for (t = start; t < end && n < limit; n++) {
		double t0 = t;

		if (send(fd, &b, 1, 0) != 1 || recv(fd, &b, 1, 0) != 1) {
			perror("transaction");
			return 1;
		}
		t = now();
		rtt[n] = t - t0;
	}
	close(fd);
	qsort(rtt, n, sizeof(*rtt), cmp);
	printf("transactions %ld rate %.1f p50_us %.1f p99_us %.1f\n", n,
	       n / (t - start), rtt[n / 2] * 1e6, rtt[n * 99 / 100] * 1e6);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "server"))
		return server(atoi(argv[2]));
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "client"))
		return client(argv[2], atoi(argv[3]), atof(argv[4]),
			      argc == 6 ? atol(argv[5]) : 0);
	fprintf(stderr, "usage: %s server PORT | client ADDR PORT SECONDS [TRANSACTIONS]\n",
		argv[0]);
	return 2;
}
