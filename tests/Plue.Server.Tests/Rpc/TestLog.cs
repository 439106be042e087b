using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Plue.Tests.Rpc;

internal static class TestLog
{
    public static ILogger<T> For<T>() => NullLogger<T>.Instance;
}
