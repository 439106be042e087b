/*
 * plue-sandbox-bridge [--sandbox-proxy SOCKET] [--report SOCKET [--private DIR]... [--refuse PATH]...] -- program [args]: the first
 * process of every sandbox the sidecar starts (SandboxBridge.cs). It starts every command, so its start is each
 * call's cost: this program's is a libc process's. The sidecar uses it when it sits beside the sidecar's executable
 * (server/Plue.Server.csproj builds it where a C compiler is), and plue's own (proxy only) otherwise.
 *
 * --sandbox-proxy (an allow-list, in a network namespace with only loopback): listen on 127.0.0.1 at a port the kernel
 * picks, send that listening socket to the sidecar's proxy over the Unix socket SOCKET (SCM_RIGHTS, one byte), keep
 * that Unix socket open at descriptor 63 for the command and its children (the proxy serves the sandbox while it is
 * open) and point the proxy variables at the port.
 *
 * --report (the sandbox's own account of what it refused): connect to the sidecar's Unix socket SOCKET, fork, and in
 * the child install a seccomp user-notification filter on the calls that create, write, rename or remove files and on
 * connect, hand the filter's descriptor to this process and exec the command. This process stays as the command's
 * parent (and, as a subreaper, the parent of everything it leaves behind), answers each notification with "continue"
 * (the kernel then does the call as usual: bubblewrap's mounts enforce, this only watches) after asking the kernel,
 * in the sandbox's own view of the files, whether the call can write there: EROFS is the sandbox's refusal (a
 * read-only bind), EACCES an owner's permission and not reported. It reports each refusal, each write in a private
 * folder (DIR: the sandbox's own /tmp or hidden home, gone when it ends) and each Unix socket missing in the sandbox,
 * as a line "kind<TAB>call<TAB>path" to SOCKET, before the call goes on, and ends with the command's status when the
 * command ends. The command cannot write to SOCKET (its descriptor is not passed on), so what it prints forges
 * nothing. Where the kernel has no user notification the command runs unwatched and the first line says so.
 *
 * --refuse PATH (with --report, repeatable): a place another program runs later that did not exist when the sandbox was
 * made (a workspace's .envrc or .mcp.json), which bubblewrap cannot bind read-only without leaving an empty file in
 * its place on the host. A call that would create, write, rename, link or remove it (or anything under it) is answered
 * EROFS here instead of going on, and reported as a refusal. This one enforces, by the path as the sandbox resolves
 * it: a process that changes the path's memory between this check and the call could slip past (the sidecar asks
 * before running what such a file holds: docs/SANDBOX.md).
 *
 * Exit codes as a shell's: 127 not found, 126 not runnable, 125 no proxy.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
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

static int connect_unix(const char *path, int flags) {
    struct sockaddr_un name = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof name.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(name.sun_path, path);
    int unix_socket = socket(AF_UNIX, SOCK_STREAM | flags, 0);
    if (unix_socket < 0) return -1;
    if (connect(unix_socket, (struct sockaddr *)&name, sizeof name) < 0) {
        int saved = errno;
        close(unix_socket);
        errno = saved;
        return -1;
    }
    return unix_socket;
}

static int send_descriptor(int unix_socket, int descriptor) {
    char byte = 1;
    struct iovec io = {.iov_base = &byte, .iov_len = 1};
    union {
        struct cmsghdr header;
        char space[CMSG_SPACE(sizeof(int))];
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr message = {.msg_iov = &io, .msg_iovlen = 1};
    if (descriptor >= 0) {
        message.msg_control = control.space;
        message.msg_controllen = sizeof control.space;
        struct cmsghdr *rights = CMSG_FIRSTHDR(&message);
        rights->cmsg_level = SOL_SOCKET;
        rights->cmsg_type = SCM_RIGHTS;
        rights->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(rights), &descriptor, sizeof(int));
    }
    return sendmsg(unix_socket, &message, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

/* The descriptor sent over unix_socket, or -1 (none sent: the sender's errno as the byte). */
static int receive_descriptor(int unix_socket, int *sent_errno) {
    unsigned char byte = 0;
    struct iovec io = {.iov_base = &byte, .iov_len = 1};
    union {
        struct cmsghdr header;
        char space[CMSG_SPACE(sizeof(int))];
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr message = {.msg_iov = &io, .msg_iovlen = 1, .msg_control = control.space, .msg_controllen = sizeof control.space};
    ssize_t read;
    do read = recvmsg(unix_socket, &message, MSG_CMSG_CLOEXEC);
    while (read < 0 && errno == EINTR);
    *sent_errno = read == 1 ? byte : EPIPE;
    struct cmsghdr *rights = read == 1 ? CMSG_FIRSTHDR(&message) : NULL;
    if (rights == NULL || rights->cmsg_level != SOL_SOCKET || rights->cmsg_type != SCM_RIGHTS) return -1;
    int descriptor;
    memcpy(&descriptor, CMSG_DATA(rights), sizeof(int));
    return descriptor;
}

static int hand_over_proxy(const char *socket_path) {
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener < 0) return no_proxy("socket");
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t length = sizeof address;
    if (bind(listener, (struct sockaddr *)&address, sizeof address) < 0 || listen(listener, 511) < 0 ||
        getsockname(listener, (struct sockaddr *)&address, &length) < 0)
        return no_proxy("listen");

    /* Not close-on-exec: the command and what it starts hold it, so the proxy sees the sandbox end when it closes. */
    if (strlen(socket_path) >= sizeof ((struct sockaddr_un *)0)->sun_path)
        return fail(125, "the sandbox's proxy cannot be reached (its socket's path is too long): the command did not run.", NULL);
    int unix_socket = connect_unix(socket_path, 0);
    if (unix_socket < 0) return no_proxy("connect");
    /* Out of the way of the descriptors scripts reuse (exec 3>…, bash's own from 10 up), within the 64 a process's
     * table starts with (see SandboxBridge.cs). */
    int high = fcntl(unix_socket, F_DUPFD, 63);
    if (high >= 0) {
        close(unix_socket);
        unix_socket = high;
    }
    if (send_descriptor(unix_socket, listener) < 0) return no_proxy("sendmsg");
    close(listener);

    /* NO_PROXY is removed, so loopback goes through the proxy too. */
    char proxy[64];
    snprintf(proxy, sizeof proxy, "http://127.0.0.1:%u", (unsigned)ntohs(address.sin_port));
    unsetenv("NO_PROXY");
    unsetenv("no_proxy");
    for (size_t i = 0; i < sizeof proxy_variables / sizeof *proxy_variables; i++) setenv(proxy_variables[i], proxy, 1);
    return 0;
}

/* ---- The watch: a seccomp user-notification filter and its supervisor. ---- */

#if defined(__x86_64__)
#define WATCHED_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define WATCHED_ARCH AUDIT_ARCH_AARCH64
#endif

#define ARG(n) (offsetof(struct seccomp_data, args) + (n) * sizeof(uint64_t)) /* the low half, little-endian */
#define WRITING (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)

static struct sock_filter program[128];
static unsigned short program_length;

static void emit(struct sock_filter statement) { program[program_length++] = statement; }

/* Notify when the call is nr. */
static void watch(long nr) {
    emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, 0, 1));
    emit((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF));
}

/* Notify when the call is nr and its flags (argument n) write or create: an open for reading costs nothing. */
static void watch_writing(long nr, int n) {
    emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, 0, 4));
    emit((struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG(n)));
    emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, WRITING, 0, 1));
    emit((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF));
    emit((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
}

static void build_program(void) {
#ifdef WATCHED_ARCH
    emit((struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)));
    emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, WATCHED_ARCH, 1, 0));
    emit((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    emit((struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
#ifdef __NR_open
    /* A call other than the first watched one leaves the accumulator as nr: each block reloads it after a flags test. */
    watch_writing(__NR_open, 1);
    emit((struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
#endif
    watch_writing(__NR_openat, 2);
    emit((struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
    static const long always[] = {
#ifdef __NR_creat
        __NR_creat, __NR_mkdir, __NR_rmdir, __NR_unlink, __NR_rename, __NR_link, __NR_symlink, __NR_chmod, __NR_mknod,
#endif
        __NR_openat2, __NR_mkdirat, __NR_unlinkat, __NR_renameat, __NR_renameat2, __NR_linkat, __NR_symlinkat,
        __NR_truncate, __NR_fchmodat, __NR_mknodat, __NR_connect,
    };
    for (size_t i = 0; i < sizeof always / sizeof *always; i++) watch(always[i]);
#endif
    emit((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
}

static int report_socket = -1;
static int reports_left = 512;

/* One line to the sidecar: kind, call, path (tab, newline and backslash escaped). Written before the call goes on. */
static void report(const char *kind, const char *call, const char *path) {
    if (report_socket < 0 || reports_left <= 0) return;
    reports_left--;
    char line[3 * PATH_MAX];
    size_t at = (size_t)snprintf(line, sizeof line, "%s\t%s\t", kind, call);
    for (const char *c = path; *c && at < sizeof line - 4; c++) {
        if (*c == '\n' || *c == '\t' || *c == '\\') {
            line[at++] = '\\';
            line[at++] = *c == '\n' ? 'n' : *c == '\t' ? 't' : '\\';
        } else
            line[at++] = *c;
    }
    line[at++] = '\n';
    for (size_t sent = 0; sent < at;) {
        ssize_t n = send(report_socket, line + sent, at - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            report_socket = -1;
            return;
        }
        sent += (size_t)n;
    }
}

/* A string the target holds at address, read page by page (a string may end just before an unmapped page). */
static int read_string(pid_t pid, uint64_t address, char *out, size_t size) {
    size_t at = 0;
    while (at < size - 1) {
        size_t page = 4096 - ((address + at) & 4095), want = page < size - 1 - at ? page : size - 1 - at;
        struct iovec local = {.iov_base = out + at, .iov_len = want}, remote = {.iov_base = (void *)(uintptr_t)(address + at), .iov_len = want};
        ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
        if (n <= 0) return -1;
        if (memchr(out + at, 0, (size_t)n)) return 0;
        at += (size_t)n;
    }
    return -1;
}

static int read_memory(pid_t pid, uint64_t address, void *out, size_t size) {
    struct iovec local = {.iov_base = out, .iov_len = size}, remote = {.iov_base = (void *)(uintptr_t)address, .iov_len = size};
    return process_vm_readv(pid, &local, 1, &remote, 1, 0) == (ssize_t)size ? 0 : -1;
}

static dev_t private_devices[8];
static int private_count;
static const char *refused_paths[128];
static int refused_count;

/* Whether where is one of the refused paths or lies under one. */
static int is_refused(const char *where) {
    for (int i = 0; i < refused_count; i++) {
        size_t length = strlen(refused_paths[i]);
        if (strncmp(where, refused_paths[i], length) == 0 && (where[length] == 0 || where[length] == '/')) return 1;
    }
    return 0;
}

static int listener_fd = -1;
static uint64_t notification_id;

static int still_valid(void) { return ioctl(listener_fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &notification_id) == 0; }

/* The folder a path starts from, as the target sees it: its cwd, or the folder dirfd names (an O_PATH descriptor). */
static int base_of(pid_t pid, int dirfd, const char *path) {
    if (path[0] == '/') return open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    char proc[64];
    if (dirfd == AT_FDCWD) snprintf(proc, sizeof proc, "/proc/%d/cwd", pid);
    else snprintf(proc, sizeof proc, "/proc/%d/fd/%d", pid, dirfd);
    int base = open(proc, O_PATH | O_DIRECTORY | O_CLOEXEC);
    /* The descriptor must be the target's, not a process's that took its pid since. */
    if (base >= 0 && !still_valid()) {
        close(base);
        return -1;
    }
    return base;
}

static void path_of(int descriptor, char *out, size_t size) {
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", descriptor);
    ssize_t n = readlink(proc, out, size - 1);
    out[n > 0 ? n : 0] = 0;
}

/* path joined to folder, without a doubled slash. */
static void join(char *out, size_t size, const char *folder, const char *name) {
    snprintf(out, size, "%s%s%s", folder, strcmp(folder, "/") == 0 || !*name ? "" : "/", name);
}

enum change { WRITE_FILE, WRITE_OR_CREATE, CHANGE_FOLDER };

/*
 * Asks the kernel, in the sandbox's view, whether call may change path (from dirfd) as change says, and reports the
 * sandbox's refusals and writes in its private folders by their real path: the folder resolved (links followed as the
 * sandbox sees them), then the name, itself resolved when the call follows it and it is a link.
 */
static int check_path(pid_t pid, const char *call, int dirfd, uint64_t address, enum change change, int follow) {
    char path[PATH_MAX];
    if (read_string(pid, address, path, sizeof path) < 0 || !still_valid() || !*path) return 0;
    int base = base_of(pid, dirfd, path);
    if (base < 0) return 0;
    /* The folder part and the last name (trailing slashes dropped). */
    size_t length = strlen(path);
    while (length > 1 && path[length - 1] == '/') path[--length] = 0;
    char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    char folder_part[PATH_MAX];
    if (!slash) strcpy(folder_part, ".");
    else if (slash == path) strcpy(folder_part, "/");
    else {
        memcpy(folder_part, path, (size_t)(slash - path));
        folder_part[slash - path] = 0;
    }
    if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) name = ".";
    char real[PATH_MAX], where[PATH_MAX * 2];
    int folder = openat(base, folder_part, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (folder < 0) {
        /* Its folder is not there in the sandbox: the sidecar asks whether it is outside (a hidden place). */
        if (errno == ENOENT && change != WRITE_FILE) {
            path_of(base, real, sizeof real);
            if (path[0] == '/') report("missing", call, path);
            else {
                join(where, sizeof where, real, path);
                report("missing", call, where);
            }
        }
        close(base);
        return 0;
    }
    close(base);
    path_of(folder, real, sizeof real);
    join(where, sizeof where, real, strcmp(name, ".") == 0 ? "" : name);
    struct stat target;
    int exists = fstatat(folder, name, &target, AT_SYMLINK_NOFOLLOW) == 0;
    if (exists && follow && S_ISLNK(target.st_mode)) {
        int resolved = openat(folder, name, O_PATH | O_CLOEXEC);
        if (resolved >= 0) {
            path_of(resolved, where, sizeof where);
            close(resolved);
        } else exists = 0; /* a dangling link: creating through it makes its target */
    }
    if (is_refused(where)) {
        report("denied", call, where);
        close(folder);
        return 1;
    }
    int answer;
    if (change == CHANGE_FOLDER || (change == WRITE_OR_CREATE && !exists)) answer = faccessat(folder, ".", W_OK, AT_EACCESS);
    else if (exists) answer = faccessat(folder, name, W_OK, AT_EACCESS);
    else answer = 0;
    if (answer < 0 && errno == EROFS) report("denied", call, where);
    else if (answer == 0) {
        struct stat place;
        if (fstat(folder, &place) == 0)
            for (int i = 0; i < private_count; i++)
                if (place.st_dev == private_devices[i]) report("private", call, where);
    }
    close(folder);
    return 0;
}

static void check_connect(pid_t pid, int socket_fd, uint64_t address, uint64_t length) {
    (void)socket_fd;
    struct sockaddr_un name;
    if (length <= offsetof(struct sockaddr_un, sun_path) || length > sizeof name) return;
    memset(&name, 0, sizeof name);
    if (read_memory(pid, address, &name, (size_t)length) < 0 || !still_valid()) return;
    if (name.sun_family != AF_UNIX || name.sun_path[0] == 0) return;
    name.sun_path[sizeof name.sun_path - 1] = 0;
    int base = base_of(pid, AT_FDCWD, name.sun_path);
    if (base < 0) return;
    struct stat socket_file;
    if (fstatat(base, name.sun_path, &socket_file, 0) < 0 && errno == ENOENT) {
        char real[PATH_MAX], where[PATH_MAX * 2];
        path_of(base, real, sizeof real);
        if (name.sun_path[0] == '/') report("missing", "connect", name.sun_path);
        else {
            join(where, sizeof where, real, name.sun_path);
            report("missing", "connect", where);
        }
    }
    close(base);
}

/* Looks at one watched call; nonzero when it must be refused (a --refuse place). */
static int examine(const struct seccomp_notif *request) {
    const __u64 *a = request->data.args;
    pid_t pid = request->pid;
    long nr = request->data.nr;
    int refuse = 0;
    switch (nr) {
#ifdef __NR_open
    case __NR_open: refuse |= check_path(pid, "open", AT_FDCWD, a[0], (a[1] & O_CREAT) ? WRITE_OR_CREATE : WRITE_FILE, !(a[1] & O_NOFOLLOW)); break;
    case __NR_creat: refuse |= check_path(pid, "creat", AT_FDCWD, a[0], WRITE_OR_CREATE, 1); break;
    case __NR_mkdir: refuse |= check_path(pid, "mkdir", AT_FDCWD, a[0], CHANGE_FOLDER, 0); break;
    case __NR_mknod: refuse |= check_path(pid, "mknod", AT_FDCWD, a[0], CHANGE_FOLDER, 0); break;
    case __NR_rmdir: refuse |= check_path(pid, "rmdir", AT_FDCWD, a[0], CHANGE_FOLDER, 0); break;
    case __NR_unlink: refuse |= check_path(pid, "unlink", AT_FDCWD, a[0], CHANGE_FOLDER, 0); break;
    case __NR_rename:
        refuse |= check_path(pid, "rename", AT_FDCWD, a[0], CHANGE_FOLDER, 0);
        refuse |= check_path(pid, "rename", AT_FDCWD, a[1], CHANGE_FOLDER, 0);
        break;
    case __NR_link: refuse |= check_path(pid, "link", AT_FDCWD, a[1], CHANGE_FOLDER, 0); break;
    case __NR_symlink: refuse |= check_path(pid, "symlink", AT_FDCWD, a[1], CHANGE_FOLDER, 0); break;
    case __NR_chmod: refuse |= check_path(pid, "chmod", AT_FDCWD, a[0], WRITE_FILE, 1); break;
#endif
    case __NR_openat: refuse |= check_path(pid, "open", (int)a[0], a[1], (a[2] & O_CREAT) ? WRITE_OR_CREATE : WRITE_FILE, !(a[2] & O_NOFOLLOW)); break;
    case __NR_openat2: {
        uint64_t how_flags;
        if (read_memory(pid, a[2], &how_flags, sizeof how_flags) < 0 || !(how_flags & WRITING)) break;
        refuse |= check_path(pid, "open", (int)a[0], a[1], (how_flags & O_CREAT) ? WRITE_OR_CREATE : WRITE_FILE, !(how_flags & O_NOFOLLOW));
        break;
    }
    case __NR_mkdirat: refuse |= check_path(pid, "mkdir", (int)a[0], a[1], CHANGE_FOLDER, 0); break;
    case __NR_mknodat: refuse |= check_path(pid, "mknod", (int)a[0], a[1], CHANGE_FOLDER, 0); break;
    case __NR_unlinkat: refuse |= check_path(pid, (a[2] & AT_REMOVEDIR) ? "rmdir" : "unlink", (int)a[0], a[1], CHANGE_FOLDER, 0); break;
    case __NR_renameat:
    case __NR_renameat2:
        refuse |= check_path(pid, "rename", (int)a[0], a[1], CHANGE_FOLDER, 0);
        refuse |= check_path(pid, "rename", (int)a[2], a[3], CHANGE_FOLDER, 0);
        break;
    case __NR_linkat: refuse |= check_path(pid, "link", (int)a[2], a[3], CHANGE_FOLDER, 0); break;
    case __NR_symlinkat: refuse |= check_path(pid, "symlink", (int)a[1], a[2], CHANGE_FOLDER, 0); break;
    case __NR_truncate: refuse |= check_path(pid, "truncate", AT_FDCWD, a[0], WRITE_FILE, 1); break;
    case __NR_fchmodat: refuse |= check_path(pid, "chmod", (int)a[0], a[1], WRITE_FILE, 1); break;
    case __NR_connect: check_connect(pid, (int)a[0], a[1], a[2]); break;
    }
    return refuse;
}

static int status_code(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Runs the command under the watch; returns only to report how it ended (as the command's own status). */
static int supervise(void) {
    build_program();
    struct seccomp_notif_sizes sizes;
    if (syscall(__NR_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0) {
        report("unwatched", "seccomp", strerror(errno));
        return -1;
    }
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0) return -1;
    /* Signals this process waits for arrive on a descriptor; the child gets back the mask it had. */
    sigset_t waited, before;
    sigemptyset(&waited);
    sigaddset(&waited, SIGCHLD);
    sigprocmask(SIG_BLOCK, &waited, &before);
    pid_t child = fork();
    if (child < 0) return -1;
    if (child == 0) {
        close(pair[0]);
        close(report_socket);
        report_socket = -1;
        sigprocmask(SIG_SETMASK, &before, NULL);
        struct sock_fprog filter = {.len = program_length, .filter = program};
        int listener = -1;
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0)
            listener = (int)syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &filter);
        if (listener < 0) {
            unsigned char why = (unsigned char)errno;
            if (send(pair[1], &why, 1, MSG_NOSIGNAL) < 0) _exit(125);
        } else if (send_descriptor(pair[1], listener) < 0) _exit(125);
        else close(listener);
        close(pair[1]);
        return 0; /* the caller execs the command */
    }
    close(pair[1]);
    int sent_errno;
    listener_fd = receive_descriptor(pair[0], &sent_errno);
    close(pair[0]);
    if (listener_fd < 0) report("unwatched", "seccomp", strerror(sent_errno));
    else report("watching", "seccomp", "");
    /* Only the command holds its output and the proxy: this process must not keep them open after it. */
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        close(null);
    }
    close(63);
    /* What the command leaves behind stays this process's: it can read their memory where ptrace is kept to parents. */
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    int children = signalfd(-1, &waited, SFD_CLOEXEC | SFD_NONBLOCK);
    struct seccomp_notif *request = calloc(1, sizes.seccomp_notif > sizeof *request ? sizes.seccomp_notif : sizeof *request);
    struct seccomp_notif_resp *response = calloc(1, sizes.seccomp_notif_resp > sizeof *response ? sizes.seccomp_notif_resp : sizeof *response);
    struct pollfd waits[2] = {{.fd = children, .events = POLLIN}, {.fd = listener_fd, .events = POLLIN}};
    for (;;) {
        int ready = poll(waits, listener_fd >= 0 ? 2 : 1, -1);
        if (ready < 0 && errno != EINTR) break;
        if (waits[1].revents & POLLIN) {
            memset(request, 0, sizes.seccomp_notif);
            if (ioctl(listener_fd, SECCOMP_IOCTL_NOTIF_RECV, request) == 0) {
                notification_id = request->id;
                int refuse = examine(request);
                memset(response, 0, sizes.seccomp_notif_resp);
                response->id = request->id;
                if (refuse) response->error = -EROFS;
                else response->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
                ioctl(listener_fd, SECCOMP_IOCTL_NOTIF_SEND, response); /* ENOENT: the target was killed meanwhile */
            }
        } else if (waits[1].revents & (POLLHUP | POLLERR)) waits[1].fd = -1;
        if (waits[0].revents & POLLIN) {
            struct signalfd_siginfo info;
            while (read(children, &info, sizeof info) > 0) {
            }
            int status;
            pid_t ended;
            while ((ended = waitpid(-1, &status, WNOHANG)) > 0) {
                /* The command's end is the sandbox's (bubblewrap ends it, and what it left, with this process). */
                if (ended == child) {
                    if (WIFSIGNALED(status)) {
                        signal(WTERMSIG(status), SIG_DFL);
                        sigset_t all;
                        sigfillset(&all);
                        sigprocmask(SIG_UNBLOCK, &all, NULL);
                        kill(getpid(), WTERMSIG(status));
                    }
                    _exit(status_code(status));
                }
            }
        }
    }
    _exit(125);
}

int main(int argc, char **argv) {
    const char *proxy_socket = NULL, *report_path = NULL;
    const char *private_folders[8];
    int folders = 0, at = 1;
    for (; at < argc && strcmp(argv[at], "--") != 0; at += 2) {
        if (at + 1 >= argc) break;
        if (strcmp(argv[at], "--sandbox-proxy") == 0) proxy_socket = argv[at + 1];
        else if (strcmp(argv[at], "--report") == 0) report_path = argv[at + 1];
        else if (strcmp(argv[at], "--private") == 0 && folders < 8) private_folders[folders++] = argv[at + 1];
        else if (strcmp(argv[at], "--refuse") == 0) {
            if (refused_count < 128) refused_paths[refused_count++] = argv[at + 1];
        }
        else break;
    }
    if (at >= argc - 1 || strcmp(argv[at], "--") != 0 || (!proxy_socket && !report_path))
        return fail(125, "usage: plue-sandbox-bridge [--sandbox-proxy SOCKET] [--report SOCKET [--private DIR]... [--refuse PATH]...] -- program [args]", NULL);
    char **command = argv + at + 1;

    if (proxy_socket) {
        int failed = hand_over_proxy(proxy_socket);
        if (failed) return failed;
    }
    if (report_path) {
        /* Close-on-exec: the command never holds it, so nothing it prints or sends is taken for the sandbox's word. */
        report_socket = connect_unix(report_path, SOCK_CLOEXEC);
        for (int i = 0; i < folders; i++) {
            struct stat place;
            if (stat(private_folders[i], &place) == 0) private_devices[private_count++] = place.st_dev;
        }
        if (report_socket >= 0 && supervise() < 0) report("unwatched", "fork", strerror(errno));
        if (report_socket >= 0) close(report_socket);
        report_socket = -1;
    }

    /* The command gets signals as a shell would give them. */
    signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execvp(command[0], command);
    int code = errno == ENOENT ? 127 : 126;
    if (errno == ENOENT) fprintf(stderr, "plue: %s: command not found\n", command[0]);
    else fprintf(stderr, "plue: %s: %s\n", command[0], strerror(errno));
    return code;
}
