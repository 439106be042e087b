// The floor for the sidecar's CPU per streamed delta: a loopback fake OpenAI chat endpoint that does nothing but write
// the stream, in C, so its own CPU is what writing an SSE delta costs (one write and one sleep), not a runtime's.
// It speaks as plue-floor's provider does (bench/Plue.Floor): prints its port, then answers each POST with SSE, 20
// deltas at once or as the request's last "bench N P" says (N deltas, one every P ms, paced by the clock); each delta's
// text carries the monotonic clock in ns when it was written ("d3@123456789 "), which .NET's Stopwatch reads too.
// A GET of .../models is answered as OpenAI's is, with a model list (the bench's model, gpt-bench), as a sidecar
// asks it before a chat on a model the catalog does not name.
// Built by scripts/bench.sh with the system's cc: cc -O2 -pthread -o sse-writer sse-writer.c
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int write_all(int fd, const char *data, size_t length) {
  while (length > 0) {
    ssize_t n = write(fd, data, length);
    if (n <= 0) return -1;
    data += n;
    length -= (size_t)n;
  }
  return 0;
}

// The last "bench N P" in the body (the last user message's), else 20 deltas at once.
static void bench_words(const char *body, size_t length, int *deltas, int *pace) {
  *deltas = 20;
  *pace = 0;
  const char *found = NULL;
  for (const char *p = body; (p = memmem(p, length - (size_t)(p - body), "bench ", 6)) != NULL; p++) found = p;
  if (found != NULL) sscanf(found, "bench %d %d", deltas, pace);
}

static void *answer(void *argument) {
  int fd = (int)(long)argument;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  size_t capacity = 1 << 16, filled = 0;
  char *buffer = malloc(capacity + 1);
  char *header_end = NULL;
  while (header_end == NULL) {
    if (filled == capacity) goto done;
    ssize_t n = read(fd, buffer + filled, capacity - filled);
    if (n <= 0) goto done;
    filled += (size_t)n;
    buffer[filled] = 0;
    header_end = strstr(buffer, "\r\n\r\n");
  }
  size_t length = 0;
  for (char *line = buffer; line < header_end; line = strstr(line, "\r\n") + 2)
    if (strncasecmp(line, "content-length:", 15) == 0) length = strtoul(line + 15, NULL, 10);
  size_t body_at = (size_t)(header_end + 4 - buffer);
  if (body_at + length > capacity) {
    capacity = body_at + length;
    buffer = realloc(buffer, capacity + 1);
  }
  while (filled < body_at + length) {
    ssize_t n = read(fd, buffer + filled, body_at + length - filled);
    if (n <= 0) goto done;
    filled += (size_t)n;
  }
  if (strncmp(buffer, "GET ", 4) == 0) {
    static const char list[] = "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-bench\",\"object\":\"model\",\"owned_by\":\"bench\"}]}";
    char models[256];
    int n = snprintf(models, sizeof models,
                     "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
                     sizeof list - 1, list);
    write_all(fd, models, (size_t)n);
    shutdown(fd, SHUT_RDWR);
    goto done;
  }
  int deltas, pace;
  bench_words(buffer + body_at, length, &deltas, &pace);
  static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n";
  if (write_all(fd, head, sizeof head - 1) < 0) goto done;
  struct timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  char chunk[256];
  for (int i = 0; i < deltas; i++) {
    int n = snprintf(chunk, sizeof chunk,
                     "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"d%d@%lld \"}}]}\n\n",
                     i, now_ns());
    if (write_all(fd, chunk, (size_t)n) < 0) goto done;
    if (pace > 0) {
      // Delta i + 1 leaves at (i + 1) × pace from the start, whatever the writes took.
      long long at = start.tv_sec * 1000000000LL + start.tv_nsec + (long long)(i + 1) * pace * 1000000LL;
      struct timespec until = {at / 1000000000LL, at % 1000000000LL};
      while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) != 0) {}
    }
  }
  static const char tail[] =
      "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
      "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15}}\n\ndata: [DONE]\n\n";
  write_all(fd, tail, sizeof tail - 1);
  shutdown(fd, SHUT_RDWR);
done:
  free(buffer);
  close(fd);
  return NULL;
}

int main(void) {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK), .sin_port = 0};
  socklen_t size = sizeof address;
  if (listener < 0 || bind(listener, (struct sockaddr *)&address, sizeof address) < 0 || listen(listener, 64) < 0 ||
      getsockname(listener, (struct sockaddr *)&address, &size) < 0) {
    perror("sse-writer");
    return 1;
  }
  printf("%d\n", ntohs(address.sin_port));
  fflush(stdout);
  for (;;) {
    int client = accept(listener, NULL, NULL);
    if (client < 0) continue;
    pthread_t thread;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&thread, &attributes, answer, (void *)(long)client) != 0) close(client);
    pthread_attr_destroy(&attributes);
  }
}
