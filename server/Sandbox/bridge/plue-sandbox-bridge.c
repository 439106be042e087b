/*
 * plue-sandbox-bridge --sandbox-proxy SOCKET -- program [args]: what `plue --sandbox-proxy` does (SandboxBridge.cs),
 * in C. It starts every command an allow-list sandbox runs, so its start is each call's cost: .NET's own start is
 * most of plue's, and this program's is a libc process's. The sidecar uses it when it sits beside the sidecar's
 * executable (server/Plue.Server.csproj builds it where a C compiler is), and plue's own otherwise.
 *
 * Inside the sandbox (a network namespace with only loopback): listen on 127.0.0.1 at a port the kernel picks, send
 * that listening socket to the sidecar's proxy over the Unix socket SOCKET (SCM_RIGHTS, one byte), keep that Unix
 * socket open at descriptor 63 for the command and its children (the proxy serves the sandbox while it is open), point
 * the proxy variables at the port and execve the command. Exit codes as a shell's: 127 not found, 126 not runnable,
 * 125 no proxy.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static const char *const proxy_variables[] = {"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"};

static int fail(int code, const char *what, const char *detail) {
    fprintf(stderr, "plue: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    return code;
}

static int no_proxy(const char *what) {
    fprintf(stderr, "plue: the sandbox's proxy cannot be reached (%s: %s): the command did not run.\n", what, strerror(errno));
    return 125;
}

int main(int argc, char **argv) {
    if (argc < 5 || strcmp(argv[1], "--sandbox-proxy") != 0 || strcmp(argv[3], "--") != 0)
        return fail(125, "usage: plue-sandbox-bridge --sandbox-proxy SOCKET -- program [args]", NULL);

    int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener < 0) return no_proxy("socket");
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t length = sizeof address;
    if (bind(listener, (struct sockaddr *)&address, sizeof address) < 0 || listen(listener, 511) < 0 ||
        getsockname(listener, (struct sockaddr *)&address, &length) < 0)
        return no_proxy("listen");

    /* Not close-on-exec: the command and what it starts hold it, so the proxy sees the sandbox end when it closes. */
    int unix_socket = socket(AF_UNIX, SOCK_STREAM, 0);
    if (unix_socket < 0) return no_proxy("socket");
    struct sockaddr_un name = {.sun_family = AF_UNIX};
    if (strlen(argv[2]) >= sizeof name.sun_path) return fail(125, "the sandbox's proxy cannot be reached (its socket's path is too long): the command did not run.", NULL);
    strcpy(name.sun_path, argv[2]);
    if (connect(unix_socket, (struct sockaddr *)&name, sizeof name) < 0) return no_proxy("connect");
    /* Out of the way of the descriptors scripts reuse (exec 3>…, bash's own from 10 up), within the 64 a process's
     * table starts with (see SandboxBridge.cs). */
    int high = fcntl(unix_socket, F_DUPFD, 63);
    if (high >= 0) {
        close(unix_socket);
        unix_socket = high;
    }
    char byte = 1;
    struct iovec io = {.iov_base = &byte, .iov_len = 1};
    union {
        struct cmsghdr header;
        char space[CMSG_SPACE(sizeof(int))];
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr message = {.msg_iov = &io, .msg_iovlen = 1, .msg_control = control.space, .msg_controllen = sizeof control.space};
    struct cmsghdr *rights = CMSG_FIRSTHDR(&message);
    rights->cmsg_level = SOL_SOCKET;
    rights->cmsg_type = SCM_RIGHTS;
    rights->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(rights), &listener, sizeof(int));
    if (sendmsg(unix_socket, &message, MSG_NOSIGNAL) != 1) return no_proxy("sendmsg");
    close(listener);

    /* NO_PROXY is removed, so loopback goes through the proxy too. */
    char proxy[64];
    snprintf(proxy, sizeof proxy, "http://127.0.0.1:%u", (unsigned)ntohs(address.sin_port));
    unsetenv("NO_PROXY");
    unsetenv("no_proxy");
    for (size_t i = 0; i < sizeof proxy_variables / sizeof *proxy_variables; i++) setenv(proxy_variables[i], proxy, 1);

    /* The command gets signals as a shell would give them. */
    signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execvp(argv[4], argv + 4);
    int code = errno == ENOENT ? 127 : 126;
    if (errno == ENOENT) fprintf(stderr, "plue: %s: command not found\n", argv[4]);
    else fprintf(stderr, "plue: %s: %s\n", argv[4], strerror(errno));
    return code;
}
